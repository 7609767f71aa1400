import type { Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChartRepositoryClient } from '../../src/dependencies/chart-repository.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { createTransport } from '../../src/oci/transport.js';
import { startDeadline } from '../../src/shared/deadline.js';
import { describeError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startStallingServer, type StallingServer } from '../support/stalling-server.js';

/**
 * Registries and chart repositories that misbehave on purpose, as real servers on 127.0.0.1:
 * a body trickled one byte at a time, a body without end, a redirect to itself. Every request
 * ends within its own limit and within the run's deadline, with a message naming the request.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function stalling(mode: 'silent' | 'trickle'): Promise<StallingServer> {
  const server = await startStallingServer(mode);
  closers.push(() => server.close());
  return server;
}

/** An HTTP server answering every request with `handler`; returns host:port. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(options: ConstructorParameters<typeof RegistryClient>[0] = {}) {
  return new RegistryClient({ plainHttp: true, timeoutMs: 1_000, retry: { maxRetries: 1, maxElapsedMs: 5_000 }, ...options });
}

describe('a registry that never finishes its answer', () => {
  it('a body trickled one byte at a time ends at the per-attempt limit, retried once, naming the request', async () => {
    const server = await stalling('trickle');
    const error = await client()
      .repository(server.host, 'acme/chart')
      .getManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe(
      `Request failed after 2 attempts: no complete answer within 1 s (GET http://${server.host}/v2/acme/chart/manifests/1.0.0)`,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("a silent registry ends at the run's deadline, before the request's own limits", async () => {
    const server = await stalling('silent');
    const deadline = startDeadline(500, 'input "timeout": 0.0083 minute(s)');
    const error = await client({ deadline, timeoutMs: 60_000 })
      .repository(server.host, 'acme/chart', { push: true })
      .headManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe(
      `Request stopped: the run's time limit (input "timeout": 0.0083 minute(s)) was reached (HEAD http://${server.host}/v2/acme/chart/manifests/1.0.0)`,
    );
    expect(deadline.inFlightAtExpiry).toEqual([`HEAD http://${server.host}/v2/acme/chart/manifests/1.0.0`]);
  });

  it("a blob's limit, which grows with its size, is said in whole milliseconds", async () => {
    const server = await stalling('silent');
    const digest = `sha256:${'a'.repeat(64)}`;
    const error = await client({ timeoutMs: 300, retry: { maxRetries: 0 } })
      .repository(server.host, 'acme/chart')
      .fetchBlob(digest, { maxBytes: 1234 })
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe(
      `Request failed after 1 attempt: no complete answer within 301 ms (GET http://${server.host}/v2/acme/chart/blobs/${digest})`,
    );
  });

  it('a connection reset after the answer began is not taken for a TLS port', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '100' });
      res.write('{"schemaVersion"', () => res.socket?.resetAndDestroy());
    });
    const error = await client({ retry: { maxRetries: 0 } })
      .repository(host, 'acme/chart')
      .getManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(error)).toMatch(/^Request failed after 1 attempt: /);
    expect(describeError(error)).not.toContain('https');
  });

  it('a manifest body without end is cut at 4 MiB', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const error = await client()
      .repository(host, 'acme/chart')
      .getManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(error)).toContain('The response body is larger than the 4194304-byte limit (more than 4194304 bytes received)');
    expect(describeError(error)).toContain(`GET http://${host}/v2/acme/chart/manifests/1.0.0`);
  });

  it('a redirect to itself ends after 10 hops', async () => {
    let hops = 0;
    const host = await serve((req, res) => {
      hops++;
      res.writeHead(302, { location: req.url ?? '/' }).end();
    });
    const error = await client()
      .repository(host, 'acme/chart')
      .getManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe(`Too many redirects (more than 10) (GET http://${host}/v2/acme/chart/manifests/1.0.0)`);
    expect(hops).toBe(11);
  });
});

describe('an origin that gave no answer', () => {
  it('is not asked again in the run: later requests fail at once and name the first failure; other origins are asked', async () => {
    const server = await stalling('silent');
    const other = await serve((_req, res) => res.writeHead(404).end());
    const registry = client({ timeoutMs: 300 });
    const first = await registry
      .repository(server.host, 'acme/a')
      .headManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(describeError(first)).toBe(
      `Request failed after 2 attempts: no complete answer within 300 ms (HEAD http://${server.host}/v2/acme/a/manifests/1.0.0)`,
    );
    const later = await registry
      .repository(server.host, 'acme/b', { push: true })
      .getManifest('2.0.0')
      .catch((e: unknown) => e);
    expect(describeError(later)).toBe(
      `Not sent: http://${server.host} gave no answer earlier in this run ` +
        `(as for HEAD http://${server.host}/v2/acme/a/manifests/1.0.0: Request failed after 2 attempts: no complete answer within 300 ms) ` +
        `(GET http://${server.host}/v2/acme/b/manifests/2.0.0)`,
    );
    expect(server.requests).toHaveLength(2);
    expect(await registry.repository(other, 'acme/a').headManifest('1.0.0')).toBeUndefined();
  });

  it('stops the retries of a request already under way', async () => {
    const server = await stalling('silent');
    const transport = createTransport({ retry: { maxRetries: 2 } });
    const url = new URL(`${server.origin}/v2/acme/a/manifests/1.0.0`);
    // The short request gives up after 3 attempts (some 1.4 s); the long one's first attempt is still waiting then.
    const [short, long] = await Promise.all([
      transport.send({ method: 'HEAD', url, timeoutMs: 200 }).catch((e: unknown) => e),
      transport.send({ method: 'GET', url, timeoutMs: 2_000 }).catch((e: unknown) => e),
    ]);
    expect(describeError(short)).toMatch(/^Request failed after 3 attempts: no complete answer within 200 ms/);
    expect(describeError(long)).toMatch(
      /^Not sent: .* \(as for HEAD .*: Request failed after 3 attempts: no complete answer within 200 ms\) \(GET /,
    );
    expect(server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
  });

  it('an origin that answers, even with errors, is asked again', async () => {
    let answered = 0;
    const host = await serve((_req, res) => {
      answered++;
      res.writeHead(500).end();
    });
    const registry = client();
    for (const tag of ['1.0.0', '2.0.0']) {
      await expect(registry.repository(host, 'acme/a').headManifest(tag)).rejects.toThrow(/HTTP 500/);
    }
    expect(answered).toBe(4);
  });
});

describe('a chart repository whose index takes longer to decode than the run has left', () => {
  it('decoding stops at the deadline, and the error and the in-flight list name it, not a later request', async () => {
    const lines = ['apiVersion: v1', 'entries:'];
    for (let i = 0; i < 40_000; i++) lines.push(`  c${i}: [{name: c${i}, version: 1.0.0, urls: [c${i}.tgz]}]`);
    const index = Buffer.from(`${lines.join('\n')}\n`);
    const host = await serve((_req, res) => res.writeHead(200, { 'content-length': String(index.byteLength) }).end(index));
    const deadline = startDeadline(500, 'input "timeout": 0.0083 minute(s)');
    const repositories = new ChartRepositoryClient({ logger: new MemoryLogger(), credentials: [], deadline });
    const error = await repositories.index(`http://${host}/charts`).catch((e: unknown) => e);
    expect(describeError(error)).toMatch(
      new RegExp(
        `^decoding the index\\.yaml of http://${host}/charts \\(${index.byteLength} bytes\\) was stopped after \\d+\\.\\d s: ` +
          `the run's time limit \\(input "timeout": 0\\.0083 minute\\(s\\)\\) was reached$`,
      ),
    );
    expect(deadline.inFlightAtExpiry).toEqual([
      expect.stringMatching(new RegExp(`^decoding the index\\.yaml of http://${host}/charts \\(`)),
    ]);
  });
});

describe('a chart repository that never finishes its index', () => {
  it("index.yaml trickled forever ends at the run's deadline, naming the repository", async () => {
    const server = await stalling('trickle');
    const deadline = startDeadline(700, 'input "timeout": 0.0117 minute(s)');
    const repositories = new ChartRepositoryClient({ logger: new MemoryLogger(), credentials: [], deadline });
    const error = await repositories.index(`${server.origin}/charts`).catch((e: unknown) => e);
    expect(describeError(error)).toContain(
      `cannot reach the chart repository ${server.origin}/charts: Request stopped: the run's time limit`,
    );
  });
});
