import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeExchange, type ExchangeResponse } from '../../src/oci/http-exchange.js';
import { createTransport } from '../../src/oci/transport.js';
import { TransportError } from '../../src/oci/transport-error.js';
import { scriptedFetch } from './fakes.js';
import { startServer, type TestServer } from './http-server.js';

/**
 * The transport's default exchange, over Node's http module, against small real servers on
 * 127.0.0.1: what fetch used to do for the transport (content codings, an abort that ends the
 * body too, empty answers) and what it must never do (send a URL's userinfo anywhere).
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function bodyOf(response: ExchangeResponse): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body ?? []) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const signal = () => new AbortController().signal;

describe('nodeExchange', () => {
  it('sends method, headers and body, and reads status, headers and body', async () => {
    server = await startServer((request, response) => {
      response.writeHead(201, { 'docker-content-digest': 'sha256:abc', 'x-twice': ['a', 'b'] });
      response.end(`got ${request.body.toString('utf8')}`);
    });
    const answer = await nodeExchange({
      method: 'POST',
      url: new URL(`${server.origin}/v2/x/blobs/uploads/?digest=sha256:abc`),
      headers: { 'content-type': 'application/octet-stream' },
      body: new TextEncoder().encode('hello'),
      signal: signal(),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('Docker-Content-Digest')).toBe('sha256:abc');
    expect(answer.headers.get('x-twice')).toBe('a, b');
    expect(answer.headers.get('missing')).toBeNull();
    expect(await bodyOf(answer)).toBe('got hello');
    const [received] = server.received;
    expect(received?.url).toBe('/v2/x/blobs/uploads/?digest=sha256:abc');
    expect(received?.headers['content-length']).toBe('5');
    expect(received?.headers['content-type']).toBe('application/octet-stream');
  });

  it('says the length of an empty PUT, and gives no body for HEAD or 204', async () => {
    server = await startServer((request, response) => {
      response.writeHead(request.method === 'PUT' ? 204 : 200, { 'content-length': '12' });
      response.end();
    });
    const put = await nodeExchange({ method: 'PUT', url: new URL(`${server.origin}/upload`), headers: {}, signal: signal() });
    expect(put.status).toBe(204);
    expect(put.body).toBeUndefined();
    expect(server.received[0]?.headers['content-length']).toBe('0');
    const head = await nodeExchange({ method: 'HEAD', url: new URL(`${server.origin}/manifest`), headers: {}, signal: signal() });
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(head.headers.get('content-length')).toBe('12');
  });

  it('refuses a URL with userinfo, showing it without the credentials', async () => {
    server = await startServer((_request, response) => response.end('ok'));
    const url = new URL(server.origin);
    url.username = 'user';
    url.password = 'secret';
    url.pathname = '/index.yaml';
    const error = await nodeExchange({ method: 'GET', url, headers: {}, signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(`a URL with credentials in it is not requested (http://***@${server.host}/index.yaml)`);
    expect(server.received).toEqual([]);
  });

  it('refuses any scheme but http and https, rather than sending plain http to its host', async () => {
    server = await startServer((_request, response) => response.end('ok'));
    for (const url of [`foo://${server.host}/demo-1.0.0.tgz`, `oci://${server.host}/charts/demo:1.0.0`, `ftp://${server.host}/x`]) {
      const error = await nodeExchange({ method: 'GET', url: new URL(url), headers: {}, signal: signal() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(`only http and https URLs are requested, not "${new URL(url).protocol}" (${url})`);
    }
    expect(server.received).toEqual([]);
  });

  it('decodes a gzip body a server sent although identity was asked for', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(gzipSync('apiVersion: v1\nentries: {}\n'));
    });
    const answer = await nodeExchange({ method: 'GET', url: new URL(`${server.origin}/index.yaml`), headers: {}, signal: signal() });
    expect(await bodyOf(answer)).toBe('apiVersion: v1\nentries: {}\n');
  });

  it('ends with the reason of an abort that comes while the body arrives', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('x'.repeat(10)); // and never the rest
    });
    const controller = new AbortController();
    const answer = await nodeExchange({ method: 'GET', url: new URL(`${server.origin}/stall`), headers: {}, signal: controller.signal });
    const reason = new Error('stopped by the test');
    setTimeout(() => controller.abort(reason), 50);
    await expect(bodyOf(answer)).rejects.toBe(reason);
  });

  it('ends with the reason of an abort that comes before the answer', async () => {
    server = await startServer(() => undefined); // never answers
    const controller = new AbortController();
    const reason = new Error('deadline');
    setTimeout(() => controller.abort(reason), 50);
    await expect(nodeExchange({ method: 'GET', url: new URL(`${server.origin}/`), headers: {}, signal: controller.signal })).rejects.toBe(
      reason,
    );
  });
});

describe('the transport over nodeExchange', () => {
  it('refuses a request with another scheme than http or https at once, whatever its exchange', async () => {
    server = await startServer((_request, response) => response.end('ok'));
    const fetch = scriptedFetch([], new Response('ok'));
    for (const transport of [createTransport(), createTransport({ fetch })]) {
      for (const url of [`foo://${server.host}/demo-1.0.0.tgz`, 'file:///etc/passwd']) {
        const error = await transport.send({ method: 'GET', url: new URL(url) }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TransportError);
        const scheme = url.slice(0, url.indexOf(':'));
        expect((error as TransportError).message).toBe(
          `Refusing a request with the "${scheme}" scheme: only http and https are requested (GET ${url})`,
        );
      }
    }
    expect(server.received).toEqual([]);
    expect(fetch.calls).toEqual([]);
  });

  it('applies the body limit to the decoded bytes of a gzip bomb', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
    });
    const transport = createTransport({ retry: { maxRetries: 0 } });
    const error = await transport
      .send({ method: 'GET', url: new URL(`${server.origin}/index.yaml`), maxResponseBytes: 1024 * 1024 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/larger than the 1048576-byte limit/);
  });

  it('times out an attempt whose body stalls, and says so', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
    });
    const transport = createTransport({ retry: { maxRetries: 0 }, timeoutMs: 200 });
    const error = await transport.send({ method: 'GET', url: new URL(`${server.origin}/slow`) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/no complete answer within 200 ms/);
  });
});
