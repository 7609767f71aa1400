import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A reverse proxy in front of a registry that injects faults real networks produce: connection
 * resets (before or after the registry saw the request), 5xx/429 answers with Retry-After, and
 * stalls longer than the client's timeout. Faults follow rules, chosen by position or by a
 * seeded random draw so that a failing run can be replayed. Every request is recorded.
 */

export type Fault =
  /** Close the connection without forwarding: the registry never sees the request. */
  | { kind: 'reset' }
  /** Forward, let the registry act, then close the connection instead of answering. */
  | { kind: 'reset-after-forward' }
  /** Answer with this status (not forwarded), e.g. 503 or 429 with `retryAfter: '1'`. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** Hold the request unanswered for `ms`, then close (not forwarded). */
  | { kind: 'stall'; ms: number };

export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Pattern matched against the path (without query); any when absent. */
  path?: RegExp;
  fault: Fault;
  /** Inject on these matching requests only (1-based, counted per rule). */
  on?: readonly number[];
  /** Inject with this probability (seeded RNG) on matching requests. */
  probability?: number;
  /** At most this many injections by the rule. */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The fault injected, if any. */
  fault?: Fault['kind'];
  /** Status the client received, when it received one. */
  status?: number | undefined;
}

export interface FaultProxyOptions {
  /** Origin of the registry, e.g. `http://127.0.0.1:5000`. */
  target: string;
  rules?: readonly FaultRule[];
  /** Seed of the RNG that decides `probability` rules. Default 1. */
  seed?: number;
  /** CA to trust when the target speaks https. */
  ca?: Buffer;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`: use as the registry host. */
  host: string;
  requests: ProxiedRequest[];
  /** Requests seen, optionally only those with this method and a path matching the pattern. */
  count(method?: string, path?: RegExp): number;
  /** Number of faults injected so far. */
  injected(): number;
  /** Replaces the rules (and their counters). */
  setRules(rules: readonly FaultRule[]): void;
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = mulberry32(options.seed ?? 1);
  let rules: Array<{ rule: FaultRule; matched: number; injected: number }> = [];
  const setRules = (next: readonly FaultRule[]) => {
    rules = next.map((rule) => ({ rule, matched: 0, injected: 0 }));
  };
  setRules(options.rules ?? []);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let proxyOrigin = '';

  function chooseFault(method: string, path: string): Fault | undefined {
    for (const state of rules) {
      const { rule } = state;
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !rule.path.test(path)) continue;
      state.matched++;
      if (rule.times !== undefined && state.injected >= rule.times) continue;
      if (rule.on && !rule.on.includes(state.matched)) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      state.injected++;
      return rule.fault;
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: ProxiedRequest = { method: req.method ?? 'GET', path };
    requests.push(record);
    const fault = chooseFault(record.method, path);
    if (fault) record.fault = fault.kind;
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'stall': {
        req.resume();
        const timer = setTimeout(() => req.socket.destroy(), fault.ms);
        req.socket.once('close', () => clearTimeout(timer));
        return;
      }
      case 'status':
        req.resume();
        req.once('end', () => {
          record.status = fault.status;
          res.writeHead(fault.status, {
            'content-type': 'application/json',
            ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
          });
          res.end(fault.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
        });
        return;
      default:
        forward(req, res, record, fault?.kind === 'reset-after-forward');
    }
  });

  function forward(req: IncomingMessage, res: ServerResponse, record: ProxiedRequest, resetAfter: boolean): void {
    const headers = { ...req.headers, host: target.host };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        ca: options.ca,
      },
      (answer) => {
        if (resetAfter) {
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        record.status = answer.statusCode;
        const out = { ...answer.headers };
        // Keep the client on the proxy: absolute Locations that point at the registry are rewritten.
        if (typeof out.location === 'string' && out.location.startsWith(target.origin)) {
          out.location = proxyOrigin + out.location.slice(target.origin.length);
        }
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxyOrigin = `http://127.0.0.1:${port}`;

  return {
    url: proxyOrigin,
    host: `127.0.0.1:${port}`,
    requests,
    count: (method, path) => requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path))).length,
    injected: () => rules.reduce((sum, state) => sum + state.injected, 0),
    setRules,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same fault sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
