import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * Servers on 127.0.0.1 that never finish an answer, the way a broken proxy, a hung git host or a
 * hostile registry does:
 * - `silent`: accepts the connection, reads the request, never writes a byte;
 * - `trickle`: answers `200` with a 1 MB Content-Length, then sends one byte every 200 ms (slowloris);
 * - `auth`: answers every request `401` with a Basic challenge, as a private git host does.
 */
export type StallMode = 'silent' | 'trickle' | 'auth';

export interface StallingServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `127.0.0.1:PORT` */
  host: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Request heads received (first line of each), e.g. `GET /v2/ HTTP/1.1`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startStallingServer(mode: StallMode): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: string[] = [];
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      requests.push(head.split('\r\n')[0] ?? '');
      if (mode === 'auth') {
        socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="git"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      } else if (mode === 'trickle') {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{');
        const timer = setInterval(() => socket.write(' '), 200);
        timers.add(timer);
        socket.once('close', () => clearInterval(timer));
      }
      // silent: nothing, ever.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    connections: () => accepted,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
