import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The schemes a request may use. Helm picks a getter by scheme and refuses any other
 * ("scheme not supported"); the transport refuses them before anything is sent, whichever
 * exchange it runs on, and on redirects.
 */
export function isHttpUrl(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}

/** Response headers, read by name (case-insensitive); WHATWG `Headers` fits too. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** One HTTP request as the transport sends it: no redirect is followed, no retry is made. */
export interface ExchangeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
  /** Aborting it ends the exchange, the body's reading included, with the signal's reason. */
  signal: AbortSignal;
}

/** The answer before its body is read: status and headers, and the body as it arrives. */
export interface ExchangeResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body's bytes (decoded from any content coding); leaving the loop early closes it. */
  body: AsyncIterable<Uint8Array> | undefined;
  /** Drops a body nobody will read. */
  discard(): void;
}

export type Exchange = (request: ExchangeRequest) => Promise<ExchangeResponse>;

/**
 * HTTP/1.1 over Node's own http and https modules: the default exchange of the transport.
 *
 * Global fetch would do the same work, but its first call loads and compiles Node's bundled
 * undici (some 50 ms, a fifth of a one-chart dry-run's start); node:http is part of Node's
 * start-up snapshot, and node:https (with TLS) is loaded only for an https URL. Node's global
 * agents keep connections alive between requests to the same origin, as fetch does.
 *
 * A URL with userinfo (`https://user:pass@host/`, say a dependency's repository in Chart.yaml) is
 * refused, as fetch refuses it: credentials come from the inputs and the credential stores, which
 * know the origin they belong to, and the message shows the URL without them. Any scheme but
 * http and https is refused too: `foo://host/x` or `file:///etc/passwd` must not become a plain
 * http request to that host (or to localhost).
 */
export const nodeExchange: Exchange = async (request) => {
  const { url, signal } = request;
  signal.throwIfAborted();
  if (url.username || url.password) {
    throw new TypeError(`a URL with credentials in it is not requested (${url.protocol}//***@${url.host}${url.pathname})`);
  }
  if (!isHttpUrl(url)) {
    throw new TypeError(`only http and https URLs are requested, not "${url.protocol}" (${url.protocol}//${url.host}${url.pathname})`);
  }
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  signal.throwIfAborted();
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(request.body.byteLength);
  else if (request.method === 'PUT' || request.method === 'POST' || request.method === 'PATCH') headers['content-length'] = '0';
  const options: RequestOptions = {
    method: request.method,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers,
  };
  return new Promise<ExchangeResponse>((resolve, reject) => {
    const outgoing = send(options);
    const abortRequest = () => outgoing.destroy(asError(signal.reason));
    signal.addEventListener('abort', abortRequest, { once: true });
    // Errors after the answer arrived reach the response (and the body's reader) as well.
    outgoing.on('error', (error) => {
      signal.removeEventListener('abort', abortRequest);
      reject(error);
    });
    outgoing.on('response', (incoming) => {
      signal.removeEventListener('abort', abortRequest);
      const abortBody = () => incoming.destroy(asError(signal.reason));
      signal.addEventListener('abort', abortBody, { once: true });
      incoming.once('close', () => signal.removeEventListener('abort', abortBody));
      const empty = request.method === 'HEAD' || incoming.statusCode === 204 || incoming.statusCode === 304;
      resolve({
        status: incoming.statusCode ?? 0,
        headers: new NodeHeaders(incoming.headers),
        body: empty ? undefined : decoded(incoming),
        discard: () => incoming.destroy(),
      });
      if (empty) incoming.resume();
    });
    outgoing.end(request.body);
  });
};

/** Node's header object read as `Headers.get` reads: repeated values joined with ", ". */
class NodeHeaders implements ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * The body as sent, or decoded when the server applied a content coding although the transport
 * asked for `identity` (fetch decodes those too); limits apply to the decoded bytes.
 */
function decoded(incoming: IncomingMessage): AsyncIterable<Uint8Array> {
  const coding = (incoming.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return incoming;
  incoming.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => incoming.destroy());
  return incoming.pipe(decoder);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
