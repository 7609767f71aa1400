import { describe, expect, it } from 'vitest';
import { DeadlineError, noDeadline, startDeadline } from '../../src/shared/deadline.js';

/** Work that holds the thread, as decoding a large file does: the deadline's timer cannot fire meanwhile. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('throwIfExpired: the deadline for synchronous work', () => {
  it('does nothing while time remains, and does not even name the work', () => {
    const deadline = startDeadline(60_000, 'input "timeout": 1 minute(s)');
    let named = 0;
    deadline.throwIfExpired(() => `decoding ${++named}`);
    expect(named).toBe(0);
    expect(deadline.expired).toBe(false);
    deadline.stop();
    expect(() => noDeadline.throwIfExpired(() => 'anything')).not.toThrow();
  });

  it('past the limit, reaches the deadline there and then, with the work and the requests in flight', async () => {
    const deadline = startDeadline(50, 'input "timeout": 0.001 minute(s)');
    let release: () => void = () => undefined;
    const request = deadline.track('GET https://charts.example.test/index.yaml', () => new Promise<void>((resolve) => (release = resolve)));
    busyFor(80);
    expect(deadline.expired).toBe(false);
    let error: unknown;
    try {
      deadline.throwIfExpired(() => 'decoding index.yaml (for 0.1 s)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toBe(`the run's time limit (input "timeout": 0.001 minute(s)) was reached`);
    expect(error).toBe(deadline.signal.reason);
    expect(deadline.expired).toBe(true);
    expect(deadline.inFlightAtExpiry).toEqual(['GET https://charts.example.test/index.yaml', 'decoding index.yaml (for 0.1 s)']);
    await expect(deadline.reached).resolves.toBeUndefined();
    // Later calls throw the same reason and keep the list of what was in flight at the time.
    expect(() => deadline.throwIfExpired(() => 'something later')).toThrow(error);
    expect(deadline.inFlightAtExpiry).toHaveLength(2);
    release();
    await request;
  });

  it('a deadline stopped in time never expires', () => {
    const deadline = startDeadline(20, 'input "timeout": 0.0003 minute(s)');
    deadline.stop();
    busyFor(40);
    expect(() => deadline.throwIfExpired(() => 'decoding')).not.toThrow();
    expect(deadline.expired).toBe(false);
  });
});
