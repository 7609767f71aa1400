import { createServer, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  host: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * An in-process HTTP server for the edge cases a real registry cannot produce on demand
 * (cross-origin redirects, foreign upload Locations, paginated tags). Records every request.
 */
export async function startServer(
  handler: (request: ReceivedRequest, response: ServerResponse, server: { origin: string }) => void,
): Promise<TestServer> {
  const received: ReceivedRequest[] = [];
  const self = { origin: '' };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      handler(request, res, self);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self.origin = `http://127.0.0.1:${port}`;
  return {
    origin: self.origin,
    host: `127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
