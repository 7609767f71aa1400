import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { InvalidReferenceError } from '../../src/oci/reference.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { RegistryError } from '../../src/oci/registry-error.js';
import { silentLogger } from '../../src/shared/logger.js';
import { clearSecrets, registerSecret } from '../../src/shared/secret-redactor.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { fakeClock, scriptedFetch } from './fakes.js';
import { inputCredentials } from './helpers.js';
import { startServer, type TestServer } from './http-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(...args: Parameters<typeof startServer>) {
  const started = await startServer(...args);
  servers.push(started);
  return started;
}

const BLOB = new TextEncoder().encode('the blob bytes');
const BLOB_DIGEST = sha256Digest(BLOB);
const BASIC = `Basic ${btoa('alice:secret')}`;

describe('credentials stay on the registry origin', () => {
  test('a blob GET redirected to storage on another origin carries no Authorization', async () => {
    const storage = await server((_req, res) => res.end(Buffer.from(BLOB)));
    const registry = await server((req, res) => {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      } else {
        res.writeHead(307, { location: `${storage.origin}/bucket/blob?X-Signature=abc` }).end();
      }
    });
    const client = new RegistryClient({ plainHttp: true, credentials: inputCredentials(registry.host, 'alice', 'secret') });
    const bytes = await client.repository(registry.host, 'charts/demo').fetchBlob(BLOB_DIGEST);

    expect(Buffer.from(bytes).equals(Buffer.from(BLOB))).toBe(true);
    expect(registry.received.map((r) => r.headers.authorization)).toEqual([undefined, BASIC]);
    expect(storage.received).toHaveLength(1);
    expect(storage.received[0]?.url).toBe('/bucket/blob?X-Signature=abc');
    expect(storage.received[0]?.headers.authorization).toBeUndefined();
  });

  test('storage that serves other bytes is caught by the digest check', async () => {
    const storage = await server((_req, res) => res.end('tampered'));
    const registry = await server((_req, res) => res.writeHead(302, { location: `${storage.origin}/blob` }).end());
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    await expect(repo.fetchBlob(BLOB_DIGEST)).rejects.toThrow(/does not match its digest/);
  });

  test('a plain-http registry naming a file: token realm is refused for its scheme', async () => {
    const registry = await server((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="file:///etc/passwd",service="s"' }).end(),
    );
    const client = new RegistryClient({ plainHttp: true, credentials: inputCredentials(registry.host, 'alice', 'secret') });
    const error = await client
      .repository(registry.host, 'charts/demo')
      .headManifest('1.0.0')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Refusing the registry's token realm: the "file:" scheme is not allowed \(https, or http for a plain-http registry\) \(HEAD /,
    );
  });

  test('an upload Location on another origin is refused before anything is sent there', async () => {
    const elsewhere = await server((_req, res) => res.writeHead(201).end());
    const registry = await server((_req, res) => res.writeHead(202, { location: `${elsewhere.origin}/upload?_state=x` }).end());
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo', { push: true });
    const error = await repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/Refusing the upload Location on another origin/);
    expect(elsewhere.received).toEqual([]);
  });
});

describe("the registry's error body", () => {
  // As the action's logger does: every masked value is registered for redaction.
  const logger = { ...silentLogger, mask: registerSecret };
  afterEach(() => clearSecrets());

  async function refusal(body: string, password = 's3cr3t-P@ss/word') {
    const registry = await server((req, res) => {
      if (!req.headers.authorization) res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      else res.writeHead(403, { 'content-type': 'text/plain' }).end(body);
    });
    const client = new RegistryClient({ plainHttp: true, logger, credentials: inputCredentials(registry.host, 'robot', password, logger) });
    const error = await client
      .repository(registry.host, 'charts/demo')
      .getManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    return (error as Error).message;
  }

  test('is not quoted when it echoes a credential split across lines', async () => {
    const basic = Buffer.from('robot:s3cr3t-P@ss/word').toString('base64');
    const message = await refusal(`Forbidden.\nYou sent password: s3cr3t-P\n@ss/word\nb64: ${basic.slice(0, 10)}\n${basic.slice(10)}\n`);
    expect(message).toContain('HTTP 403): (not quoted: it echoes a credential of this run)');
    for (const piece of ['s3cr3t', '@ss/word', basic.slice(0, 10), basic.slice(10)]) expect(message).not.toContain(piece);
  });

  test('loses a secret that holds whitespace before the body is put on one line', async () => {
    const message = await refusal('Forbidden: wrong password "two\t\twords" for robot', 'two\t\twords');
    expect(message).toContain('HTTP 403): Forbidden: wrong password "***" for robot');
  });

  test('is quoted on one line otherwise', async () => {
    const message = await refusal('Forbidden.\n  Ask the\tadmin.\n');
    expect(message).toContain('HTTP 403): Forbidden. Ask the admin.');
  });
});

describe('a write is not redirected to another origin', () => {
  const MANIFEST = new TextEncoder().encode('{"schemaVersion":2}');
  test.each([
    ['a manifest PUT', 307, 'manifest', 'PUT'],
    ['a manifest PUT answered 303', 303, 'manifest', 'PUT'],
    ['a blob upload PUT', 307, 'blob', 'PUT'],
    ['an upload POST', 308, 'blob', 'POST'],
  ] as const)('%s redirected elsewhere is refused; nothing is sent there', async (_what, status, push, method) => {
    const redirected = method === 'POST' ? /^POST / : push === 'manifest' ? /^PUT .*\/manifests\// : /^PUT .*\/uploads\/u1/;
    const elsewhere = await server((_req, res) => res.writeHead(201, { 'docker-content-digest': BLOB_DIGEST }).end());
    const registry = await server((req, res) => {
      if (redirected.test(`${req.method} ${req.url}`)) res.writeHead(status, { location: `${elsewhere.origin}${req.url}` }).end();
      else if (req.method === 'POST') res.writeHead(202, { location: '/v2/charts/demo/blobs/uploads/u1' }).end();
      else res.writeHead(201).end();
    });
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo', { push: true });
    const error = await (
      method === 'PUT' && redirected.source.includes('manifests')
        ? repo.putManifest('1.0.0', 'application/vnd.oci.image.manifest.v1+json', MANIFEST)
        : repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB)
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Refusing to follow the redirect of a ${method} from ${registry.origin} to another origin \\(${elsewhere.origin}\\): ` +
          `a write goes only to the server it is meant for \\(${method} ${registry.origin}/v2/charts/demo/.* → HTTP ${status}\\)$`,
      ),
    );
    expect(elsewhere.received).toEqual([]);
  });

  test('a write redirected on its own origin is followed', async () => {
    const registry = await server((req, res) => {
      if (req.url === '/v2/charts/demo/manifests/1.0.0') res.writeHead(307, { location: '/v2/charts/demo/manifests/1.0.0?moved' }).end();
      else res.writeHead(201).end();
    });
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo', { push: true });
    await repo.putManifest('1.0.0', 'application/vnd.oci.image.manifest.v1+json', MANIFEST);
    expect(registry.received.map((r) => [r.method, r.url, r.body.toString()])).toEqual([
      ['PUT', '/v2/charts/demo/manifests/1.0.0', '{"schemaVersion":2}'],
      ['PUT', '/v2/charts/demo/manifests/1.0.0?moved', '{"schemaVersion":2}'],
    ]);
  });
});

describe('distribution API details', () => {
  test('relative upload Location, digest appended to its query, octet-stream body, User-Agent', async () => {
    const registry = await server((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/charts/demo/blobs/uploads/u1?_state=a%2Bb' }).end();
      else res.writeHead(201, { 'docker-content-digest': BLOB_DIGEST }).end();
    });
    const repo = new RegistryClient({ plainHttp: true, version: '1.2.3' }).repository(registry.host, 'charts/demo');
    await repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB);
    const [post, put] = registry.received;
    expect(post?.url).toBe('/v2/charts/demo/blobs/uploads/');
    expect(post?.body.byteLength).toBe(0);
    expect(put?.method).toBe('PUT');
    expect(put?.url).toBe(`/v2/charts/demo/blobs/uploads/u1?_state=a%2Bb&digest=${encodeURIComponent(BLOB_DIGEST)}`);
    expect(put?.headers['content-type']).toBe('application/octet-stream');
    expect(put?.body.equals(Buffer.from(BLOB))).toBe(true);
    expect(post?.headers['user-agent']).toBe('oci-chart-publish/1.2.3');
  });

  test('a 201 to the POST naming our digest means the blob is already there', async () => {
    const registry = await server((_req, res) => res.writeHead(201, { 'docker-content-digest': BLOB_DIGEST }).end());
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    await repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB);
    expect(registry.received.map((r) => r.method)).toEqual(['POST']);
  });

  test('a bare 201 to the POST is checked with a HEAD of the blob', async () => {
    const other = sha256Digest(new TextEncoder().encode('other'));
    for (const headers of [{}, { 'docker-content-digest': other }]) {
      let has = true;
      const registry = await server((req, res) => {
        if (req.method === 'POST') res.writeHead(201, headers).end();
        else res.writeHead(has ? 200 : 404).end();
      });
      const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
      const descriptor = { mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength };
      await repo.pushBlob(descriptor, BLOB);
      expect(registry.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /v2/charts/demo/blobs/uploads/',
        `HEAD /v2/charts/demo/blobs/${BLOB_DIGEST}`,
      ]);

      has = false;
      const error = await repo.pushBlob(descriptor, BLOB).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as Error).message).toBe(
        `Cannot start uploading blob ${BLOB_DIGEST} to ${registry.host}/charts/demo (POST http://${registry.host}/v2/charts/demo/blobs/uploads/ → HTTP 201). ` +
          'The registry answered 201 Created instead of 202 Accepted with an upload Location, and does not have the blob; ' +
          'it does not follow the distribution spec for blob uploads',
      );
    }
  });

  test('a registry that stores another digest than sent is an error', async () => {
    const other = sha256Digest(new TextEncoder().encode('other'));
    const registry = await server((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/upload' }).end();
      else res.writeHead(201, { 'docker-content-digest': other }).end();
    });
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    await expect(repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB)).rejects.toThrow(
      `The registry stored ${other} where ${BLOB_DIGEST} was sent`,
    );
  });

  test('tags are collected across Link pages, relative or absolute', async () => {
    const registry = await server((req, res, self) => {
      const last = new URL(req.url, self.origin).searchParams.get('last');
      if (!last) {
        res.writeHead(200, { link: '</v2/charts/demo/tags/list?last=b&n=2>; rel="next"' }).end('{"name":"charts/demo","tags":["a","b"]}');
      } else if (last === 'b') {
        res.writeHead(200, { link: `<${self.origin}/v2/charts/demo/tags/list?last=d&n=2>; rel="next"` }).end('{"tags":["c","d"]}');
      } else {
        res.end('{"tags":["e"]}');
      }
    });
    expect(await new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo').listTags()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(registry.received).toHaveLength(3);
  });

  test('HEAD without Docker-Content-Digest falls back to GET and hashes the manifest', async () => {
    const manifest = Buffer.from('{"schemaVersion":2}');
    const registry = await server((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': manifest.byteLength });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    expect(await repo.headManifest('1.0.0')).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha256Digest(manifest),
      size: manifest.byteLength,
    });
    expect(registry.received.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(registry.received[0]?.headers.accept).toBe(
      'application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, ' +
        'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.oci.artifact.manifest.v1+json',
    );
  });

  test('names and references are validated before any request', async () => {
    const fetch = scriptedFetch([]);
    const client = new RegistryClient({ fetch });
    expect(() => client.repository('ghcr.io', 'Acme/Demo')).toThrow(InvalidReferenceError);
    expect(() => client.repository('https://ghcr.io', 'acme/demo')).toThrow(/invalid registry/);
    const repo = client.repository('ghcr.io', 'acme/demo');
    await expect(repo.headManifest('1.0.0+build')).rejects.toThrow(/invalid tag/);
    await expect(repo.fetchBlob('sha256:nothex')).rejects.toThrow(/Invalid digest/);
    await expect(repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: 3 }, BLOB)).rejects.toThrow(/do not match the descriptor/);
    expect(fetch.calls).toEqual([]);
  });
});

describe('diagnoses for well-known registries', () => {
  test('ghcr.io 403: permissions or package linking', async () => {
    const fetch = scriptedFetch([
      Response.json(
        { errors: [{ code: 'DENIED', message: 'permission_denied: write_package' }] },
        { status: 403, headers: { 'x-github-request-id': 'ABCD:1234' } },
      ),
    ]);
    const repo = new RegistryClient({ fetch, clock: fakeClock() }).repository('ghcr.io', 'acme/charts/demo', { push: true });
    const error = (await repo
      .pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB)
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(403);
    expect(error.codes).toEqual(['DENIED']);
    expect(error.requestId).toBe('ABCD:1234');
    expect(error.message).toBe(
      'Cannot start uploading blob ' +
        BLOB_DIGEST +
        ' to ghcr.io/acme/charts/demo ' +
        '(POST https://ghcr.io/v2/acme/charts/demo/blobs/uploads/ → HTTP 403 → DENIED): permission_denied: write_package ' +
        '[request id ABCD:1234]. On ghcr.io a 403 usually means the workflow lacks "permissions: packages: write", or the ' +
        'package already exists and is not linked to this repository (package settings → "Manage Actions access")',
    );
  });

  test('ECR NAME_UNKNOWN: create the repository first', async () => {
    const fetch = scriptedFetch([
      Response.json(
        { errors: [{ code: 'NAME_UNKNOWN', message: 'The repository with name charts/demo does not exist' }] },
        { status: 404 },
      ),
    ]);
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const repo = new RegistryClient({ fetch, clock: fakeClock() }).repository(host, 'charts/demo', { push: true });
    await expect(repo.pushBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.byteLength }, BLOB)).rejects.toThrow(
      /NAME_UNKNOWN.*Amazon ECR does not create repositories on push: create "charts\/demo" first \(aws ecr create-repository --repository-name charts\/demo\)/,
    );
  });
});

describe('errors from the real registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'htpasswd' });
  });
  afterAll(async () => registry?.stop());
  const repo = (name: string) =>
    new RegistryClient({ plainHttp: true, credentials: inputCredentials(registry.host, 'testuser', 'testpass') }).repository(
      registry.host,
      name,
      { push: true },
    );

  test('a manifest that references a missing blob: MANIFEST_BLOB_UNKNOWN', async () => {
    const artifact = makeArtifact('orphan', '1.0.0');
    const error = (await repo('charts/orphan')
      .putManifest('1.0.0', 'application/vnd.oci.image.manifest.v1+json', artifact.manifest)
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(400);
    expect(error.codes).toContain('MANIFEST_BLOB_UNKNOWN');
    expect(error.message).toMatch(
      /^Cannot push manifest 127\.0\.0\.1:\d+\/charts\/orphan:1\.0\.0 \(PUT http:\/\/.*\/manifests\/1\.0\.0 → HTTP 400 → MANIFEST_BLOB_UNKNOWN/,
    );
  });

  test('unknown manifest and unknown repository', async () => {
    await expect(repo('charts/none').getManifest('1.0.0')).rejects.toMatchObject({ status: 404, codes: ['MANIFEST_UNKNOWN'] });
    await expect(repo('charts/none').listTags()).rejects.toMatchObject({ status: 404, codes: ['NAME_UNKNOWN'] });
  });

  test('a blob corrupted in storage is refused on download', async () => {
    const artifact = makeArtifact('corrupt', '1.0.0');
    const r = repo('charts/corrupt');
    await pushArtifact(r, '1.0.0', artifact);
    const hex = artifact.layer.descriptor.digest.slice('sha256:'.length);
    const dataFile = join(registry.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    expect(await readdir(join(dataFile, '..'))).toContain('data');
    // Same length: the registry announces the size it recorded, so only the content may change.
    await writeFile(dataFile, Buffer.from(artifact.layer.bytes).reverse());
    await expect(r.fetchBlob(artifact.layer.descriptor.digest)).rejects.toThrow(/does not match its digest.*corrupt or was replaced/);
  });
});

describe('list pages stay on the registry origin', () => {
  const DIGEST = `sha256:${'a'.repeat(64)}`;

  test.each([
    ['tags', 'The tag list of', { 'content-type': 'application/json' }, '{"name":"charts/demo","tags":["1.0.0"]}'],
    [
      'referrers',
      'The referrers list of',
      { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}',
    ],
  ])('a next page of the %s list on another origin fails the listing; nothing is sent there', async (list, what, headers, body) => {
    const elsewhere = await server((_req, res) => res.end(body));
    const registry = await server((_req, res) =>
      res.writeHead(200, { ...headers, link: `<${elsewhere.origin}/v2/next?n=1>; rel="next"` }).end(body),
    );
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    const error = await (list === 'tags' ? repo.listTags() : repo.listReferrers(DIGEST)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toContain(`${what} ${registry.host}/charts/demo`);
    expect((error as Error).message).toContain(`points to another origin (${elsewhere.origin})`);
    expect(elsewhere.received).toHaveLength(0);
  });

  test('an endless list of 4 MiB pages of distinct tags stops at 64 MiB, before it fills the memory', async () => {
    // Each page: some 4 MB of distinct tags, linking to the next page, forever.
    const body = (page: number) =>
      JSON.stringify({ tags: Array.from({ length: 65_000 }, (_, i) => `p${page}-${String(i).padStart(50, '0')}`) });
    const registry = await server((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '0');
      res
        .writeHead(200, { 'content-type': 'application/json', link: `</v2/charts/demo/tags/list?page=${page + 1}>; rel="next"` })
        .end(body(page));
    });
    // The page on which the bytes read pass 64 MiB.
    let expected = 0;
    for (let bytes = 0; bytes <= 64 * 1024 * 1024; expected++) bytes += Buffer.byteLength(body(expected));
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    const error = await repo.listTags().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    const pages = /The tag list of .* is longer than 64 MiB \((\d+) pages\); it is not read further/.exec((error as Error).message)?.[1];
    // Stopped on the page that passes 64 MiB, and not one request more.
    expect(Number(pages)).toBe(expected);
    expect(registry.received).toHaveLength(expected);
  });

  test('pages on the same origin are followed, each once', async () => {
    const registry = await server((req, res) => {
      const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '0';
      // Page 2 links back to page 1: a loop that must not be followed again.
      const next =
        page === '0'
          ? '/v2/charts/demo/tags/list?page=1'
          : page === '1'
            ? '/v2/charts/demo/tags/list?page=2'
            : '/v2/charts/demo/tags/list?page=1';
      res.writeHead(200, { 'content-type': 'application/json', link: `<${next}>; rel="next"` }).end(JSON.stringify({ tags: [`v${page}`] }));
    });
    const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, 'charts/demo');
    expect(await repo.listTags()).toEqual(['v0', 'v1', 'v2']);
    expect(registry.received).toHaveLength(3);
  });
});
