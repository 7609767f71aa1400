import type { Clock } from '../../src/shared/clock.js';
import type { FetchLike } from '../../src/oci/transport.js';

/** A clock whose sleeps return at once and advance virtual time; records every wait. */
export function fakeClock(start = 0): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

type Step = Response | Error | ((call: RecordedCall, signal: AbortSignal | undefined) => Promise<Response> | Response);

/** A fetch that plays a script of responses, errors or handlers, one per call; records calls. */
export function scriptedFetch(steps: Step[], fallback?: Step): FetchLike & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fn = async (input: string | URL, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const call: RecordedCall = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: init?.body instanceof Uint8Array ? new Uint8Array(init.body) : undefined,
    };
    calls.push(call);
    const step = steps.length ? steps.shift() : fallback;
    if (step === undefined) throw new Error(`scriptedFetch: no step left for ${call.method} ${call.url}`);
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(call, init?.signal ?? undefined);
    return step.clone();
  };
  return Object.assign(fn, { calls });
}

/** A Node-style connection error as global fetch reports it (TypeError with a coded cause). */
export function connectionError(code: string, message = `read ${code}`): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}
