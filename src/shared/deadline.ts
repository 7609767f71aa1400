import { DomainError } from './errors.js';

/**
 * The run's time limit, as every external call sees it: one AbortSignal that fires when the run
 * is out of time, and a register of what is in flight (HTTP requests, child processes), so that
 * the message at the deadline can say what the run was still waiting for.
 */
export interface Deadline {
  /** Aborts, with a DeadlineError as its reason, when the run is out of time. */
  readonly signal: AbortSignal;
  /** Runs `work`, listed as `what` (e.g. "git fetch origin", "PUT https://host/v2/…") while it runs. */
  track<T>(what: string, work: () => Promise<T>): Promise<T>;
  /**
   * For synchronous work, during which the deadline's timer cannot fire (decoding a large
   * file): once the limit has passed, the deadline is reached there and then, with `what()`
   * listed as in flight, and its reason (a DeadlineError) is thrown. Cheap when time remains.
   */
  throwIfExpired(what: () => string): void;
}

/** The run stopped at its time limit; the message names the limit and what was still running. */
export class DeadlineError extends DomainError {}

/**
 * A chart (or migrated version) not begun when the run is stopped says so, rather than failing
 * on its first request: throws `not started: <why>` once `signal` (the deadline's) has fired.
 */
export function notStopped(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw new DomainError(`not started: ${reason instanceof Error ? reason.message : 'the run was stopped'}`, { cause: reason });
}

/** No time limit: a signal that never aborts. For engine callers without a run (tests, tools). */
export const noDeadline: Deadline = {
  signal: new AbortController().signal,
  track: (_what, work) => work(),
  throwIfExpired: () => undefined,
};

export interface RunDeadline extends Deadline {
  /** What was in flight when the limit was reached; empty before that. */
  readonly inFlightAtExpiry: readonly string[];
  readonly expired: boolean;
  /** A promise that resolves when the limit is reached (never, after stop()). */
  readonly reached: Promise<void>;
  /** Clears the timer (the run finished in time). */
  stop(): void;
  /**
   * `work`, or its end `graceMs` after the deadline (rejected with the deadline's reason) when it
   * has not unwound by then: for work that includes something that does not heed the signal.
   */
  within<T>(work: Promise<T>, graceMs: number): Promise<T>;
}

/**
 * Starts the run's clock. `limitText` is how the limit is named to the user, e.g.
 * 'input "timeout": 30 minutes'.
 */
export function startDeadline(ms: number, limitText: string): RunDeadline {
  const controller = new AbortController();
  const inFlight = new Map<number, string>();
  let nextId = 0;
  let snapshot: string[] = [];
  let resolveReached: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (resolveReached = resolve));
  let endsAt = performance.now() + ms;
  const expire = (also: string[]) => {
    if (controller.signal.aborted) return;
    clearTimeout(timer);
    snapshot = [...new Set([...inFlight.values(), ...also])];
    controller.abort(new DeadlineError(`the run's time limit (${limitText}) was reached`));
    resolveReached();
  };
  const timer = setTimeout(() => expire([]), ms);
  // The deadline alone must never keep the process alive.
  timer.unref();
  return {
    signal: controller.signal,
    get inFlightAtExpiry() {
      return snapshot;
    },
    get expired() {
      return controller.signal.aborted;
    },
    reached,
    stop: () => {
      clearTimeout(timer);
      endsAt = Number.POSITIVE_INFINITY;
    },
    within(work, graceMs) {
      let graceTimer: NodeJS.Timeout | undefined;
      const late = reached.then(
        () =>
          new Promise<never>((_resolve, reject) => {
            graceTimer = setTimeout(() => reject(controller.signal.reason as Error), graceMs);
            graceTimer.unref();
          }),
      );
      return Promise.race([work, late]).finally(() => clearTimeout(graceTimer));
    },
    throwIfExpired(what) {
      if (!controller.signal.aborted && performance.now() < endsAt) return;
      expire([what()]);
      throw controller.signal.reason as Error;
    },
    async track(what, work) {
      const id = nextId++;
      inFlight.set(id, what);
      try {
        return await work();
      } finally {
        inFlight.delete(id);
      }
    },
  };
}
