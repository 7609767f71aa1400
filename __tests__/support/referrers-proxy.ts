import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A registry with the OCI 1.1 referrers API, made of the real Distribution 2.8 (which has none)
 * and this reverse proxy in front of it: a manifest PUT whose body has a `subject` is indexed
 * and answered with `OCI-Subject` (distribution-spec v1.1 "Pushing Manifests with Subject"), and
 * `GET /v2/<name>/referrers/<digest>` lists the index (with the `artifactType` filter).
 * Everything else is forwarded unchanged.
 */

export interface ReferrersProxy {
  host: string;
  /** Referrer descriptors per `<name>@<subject digest>`. */
  referrers: Map<string, object[]>;
  /** Paths of every referrers API call. */
  apiCalls: string[];
  stop(): Promise<void>;
}

const INDEX = 'application/vnd.oci.image.index.v1+json';

export async function startReferrersProxy(target: string): Promise<ReferrersProxy> {
  const referrers = new Map<string, object[]>();
  const apiCalls: string[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://proxy');
      const listing = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
      if (listing && req.method === 'GET') {
        apiCalls.push(url.pathname);
        const filter = url.searchParams.get('artifactType');
        const all = (referrers.get(`${listing[1]}@${listing[2]}`) ?? []) as Array<{ artifactType?: string }>;
        const manifests = filter ? all.filter((m) => m.artifactType === filter) : all;
        res.writeHead(200, { 'content-type': INDEX, ...(filter ? { 'oci-filters-applied': 'artifactType' } : {}) });
        res.end(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }));
        return;
      }
      const put = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      let subject: string | undefined;
      if (put && req.method === 'PUT') {
        try {
          const manifest = JSON.parse(body.toString('utf8')) as {
            mediaType?: string;
            artifactType?: string;
            subject?: { digest?: string };
            annotations?: Record<string, string>;
          };
          if (manifest.subject?.digest) {
            subject = manifest.subject.digest;
            const key = `${put[1]}@${subject}`;
            referrers.set(key, [
              ...(referrers.get(key) ?? []),
              {
                mediaType: manifest.mediaType,
                digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
                size: body.length,
                ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
                ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
              },
            ]);
          }
        } catch {
          // not JSON: the registry answers for it
        }
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers, // the registry builds upload Locations on the host it is asked as: the proxy
        },
        (answer) => {
          const headers = { ...answer.headers, ...(subject && (answer.statusCode ?? 0) < 300 ? { 'oci-subject': subject } : {}) };
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    referrers,
    apiCalls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
