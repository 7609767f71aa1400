/**
 * When and how long to wait before trying a registry request again. The defaults follow the
 * retry transport Helm runs through (oras-go v2.6.1 `registry/remote/retry/policy.go`, helm-oci.md
 * 3.8): up to 5 retries, 250 ms × 2ⁿ ± 10 % clamped to [200 ms, 3 s]. Two choices of ours: a
 * Retry-After is honoured on 503 as well as 429 (RFC 9110 10.2.3 defines it for 503) up to 60 s,
 * and the whole sequence is bounded in time, so that a registry that keeps asking us to come
 * back later cannot hold a workflow for minutes.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  baseDelayMs: number;
  factor: number;
  /** Fraction of the delay added or removed at random, so that parallel clients spread out. */
  jitter: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we agree to wait; longer values are shortened to this. */
  maxRetryAfterMs: number;
  /** Budget for all attempts of one request, waits included; no retry starts beyond it. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 250,
  factor: 2,
  jitter: 0.1,
  minDelayMs: 200,
  maxDelayMs: 3_000,
  maxRetryAfterMs: 60_000,
  maxElapsedMs: 120_000,
};

/**
 * Statuses worth another try: 408 and 429 (RFC 9110 15.5.9, RFC 6585 4) and server errors,
 * except 501 and 505, which say the server will never do this and retrying cannot change that.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

// Transient connection failures as Node (libuv) and undici report them. TLS verification,
// DNS NXDOMAIN and refused connections are left out: they do not heal within seconds.
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The `code`s and messages along an error's cause chain, e.g. fetch's TypeError → SocketError. */
export function errorChain(error: unknown): Array<{ code?: string; name?: string; message: string }> {
  const chain: Array<{ code?: string; name?: string; message: string }> = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (typeof current === 'object') {
      const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
      chain.push({
        ...(typeof code === 'string' ? { code } : {}),
        ...(typeof name === 'string' ? { name } : {}),
        message: typeof message === 'string' ? message : Object.prototype.toString.call(current),
      });
      current = (current as { cause?: unknown }).cause;
    } else {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive: objects took the branch above
      chain.push({ message: String(current) });
      break;
    }
  }
  return chain;
}

/** True for connection resets, hang-ups and network timeouts (not for a caller's abort). */
export function isRetryableNetworkError(error: unknown): boolean {
  return errorChain(error).some(
    (link) =>
      (link.code !== undefined && RETRYABLE_CODES.has(link.code)) ||
      link.name === 'TimeoutError' ||
      /socket hang up|other side closed|ECONNRESET/i.test(link.message),
  );
}

/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Undefined when absent, malformed, zero or in the past — the caller then uses its backoff.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return seconds > 0 ? seconds * 1000 : undefined;
  }
  // Date.parse accepts IMF-fixdate and the obsolete RFC 850 / asctime forms RFC 9110 5.6.7 allows;
  // requiring a weekday-comma or GMT keeps it from accepting arbitrary text as a date.
  if (!/GMT|^\w{3},/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const delta = at - nowMs;
  return delta > 0 ? delta : undefined;
}

/**
 * The wait before retry number `retry` (0-based). A server's Retry-After, when given, replaces the
 * exponential backoff and gets up to 10 % added so that clients it throttled together spread out.
 */
export function retryDelay(retry: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) {
    const capped = Math.min(retryAfterMs, policy.maxRetryAfterMs);
    const withJitter = capped + capped * policy.jitter * random();
    return clamp(withJitter, policy.minDelayMs, policy.maxRetryAfterMs);
  }
  const base = policy.baseDelayMs * policy.factor ** retry;
  const withJitter = base * (1 - policy.jitter) + base * 2 * policy.jitter * random();
  return clamp(withJitter, policy.minDelayMs, policy.maxDelayMs);
}

function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.min(Math.max(value, min), max));
}
