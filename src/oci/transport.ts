import { systemClock, type Clock } from '../shared/clock.js';
import { noDeadline, type Deadline } from '../shared/deadline.js';
import { formatDuration } from '../shared/duration.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import {
  DEFAULT_RETRY_POLICY,
  errorChain,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  type RetryPolicy,
} from './retry-policy.js';
import { isHttpUrl, nodeExchange, type Exchange, type ExchangeResponse, type ResponseHeaders } from './http-exchange.js';
import { classifyNetworkError, describeUrl, TransportError } from './transport-error.js';

/** The part of WHATWG fetch the transport can run on instead of Node's http (a fake in unit tests). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** Bytes, never a stream: every retry and redirect must be able to send the body again. */
  body?: Uint8Array;
  /** Largest response body accepted; a bigger one fails at once (no retry). Default 4 MiB. */
  maxResponseBytes?: number;
  /** Overrides the transport's per-attempt timeout, e.g. for a large upload. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  /** The whole body, read inside the attempt so that a stall while reading is retried too. */
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: URL;
  /** True when a redirect took the request to another origin (credentials were not sent there). */
  leftOrigin: boolean;
  /** Attempts the last hop took; more than 1 means it was retried. */
  attempts: number;
}

/** One HTTP exchange (an attempt), reported to `onRequest`; the URL carries no query. */
export interface RequestEvent {
  method: string;
  url: string;
  attempt: number;
  status?: number;
  error?: string;
}

export interface TransportOptions {
  /** Sends the requests through this fetch instead of Node's http and https modules. */
  fetch?: FetchLike | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Source of jitter, in [0, 1). */
  random?: (() => number) | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Per-attempt timeout: headers and body must arrive within it. Default 60 s. */
  timeoutMs?: number | undefined;
  userAgent?: string | undefined;
  maxRedirects?: number | undefined;
  /** Called after every attempt, including retries, redirects and token requests. */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /**
   * The run's deadline: every attempt and every wait between attempts ends when it fires, and
   * each request is listed as in flight while it runs. Per-request limits apply within it.
   */
  deadline?: Deadline | undefined;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Headers that carry the caller's identity for the original origin; RFC 9110 15.4 lets a client
// keep them across a redirect, but a registry redirecting a blob GET to object storage must not
// hand that storage our token (the rule @sigstore/oci and oras-go follow too).
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
// Only reads follow a redirect to another origin (blob storage). A write (an upload, a manifest, a
// token request's form) answered from elsewhere was not done where it was sent: a registry whose
// manifest PUT answers 307 to another host would have the chart reported as published there.
const READ_METHODS = new Set(['GET', 'HEAD']);

class AttemptTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * HTTP for the registry client: per-attempt timeouts, bounded retries with jittered backoff,
 * and redirects followed by hand so that credentials never leave the origin they belong to,
 * https is never downgraded to http, and a write never goes to another origin.
 */
export function createTransport(options: TransportOptions = {}): Transport {
  const exchange = options.fetch ? fetchExchange(options.fetch) : nodeExchange;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const deadline = options.deadline ?? noDeadline;

  /**
   * The first failure of each origin that gave no HTTP answer at all, after its retries: a
   * registry that accepts connections and never answers, or cannot be reached, costs one
   * request's budget per run, not one per chart. Later requests to it (and later attempts of
   * requests already under way) fail at once and name that failure.
   */
  const unansweredOrigins = new Map<string, TransportError>();

  async function attempt(request: HttpRequest, attemptNumber: number, progress: { answered: boolean }): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimeout(`no complete answer within ${formatDuration(timeoutMs)}`)), timeoutMs);
    const signal = AbortSignal.any([deadline.signal, timeout.signal, ...(request.signal ? [request.signal] : [])]);
    const headers: Record<string, string> = {
      // Identity encoding keeps the bytes we hash equal to the bytes the registry stored.
      'accept-encoding': 'identity',
      ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
      ...request.headers,
    };
    try {
      const response = await exchange({ method: request.method, url: request.url, headers, body: request.body, signal });
      progress.answered = true;
      const body = await readBody(response, request);
      return { status: response.status, headers: response.headers, body, url: request.url, leftOrigin: false, attempts: attemptNumber };
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendWithRetries(request: HttpRequest, startedAt: number): Promise<HttpResponse> {
    const where = describeUrl(request.url);
    const origin = request.url.origin;
    for (let retry = 0; ; retry++) {
      const attemptNumber = retry + 1;
      const first = unansweredOrigins.get(origin);
      if (first) throw notSent(first, request);
      let response: HttpResponse | undefined;
      let failure: unknown;
      const progress = { answered: false };
      try {
        response = await attempt(request, attemptNumber, progress);
      } catch (error) {
        failure = error;
      }
      options.onRequest?.({
        method: request.method,
        url: where,
        attempt: attemptNumber,
        ...(response ? { status: response.status } : { error: describeFailure(failure) }),
      });
      if (response) logger.debug(`${request.method} ${where} → ${response.status}`);

      if (response && !isRetryableStatus(response.status)) return response;
      if (deadline.signal.aborted) throw stoppedByDeadline(deadline.signal.reason, request);
      const unanswered = failure !== undefined && !progress.answered && !request.signal?.aborted && isNoAnswer(failure);
      if (failure !== undefined) {
        if (failure instanceof TransportError || request.signal?.aborted || !isRetryableNetworkError(failure)) {
          throw remember(origin, asTransportError(failure, request, attemptNumber, { unanswered }));
        }
      }
      const retryAfterMs =
        response && (response.status === 429 || response.status === 503)
          ? parseRetryAfter(response.headers.get('retry-after'), clock.now())
          : undefined;
      const why = response ? `HTTP ${response.status}` : describeFailure(failure);
      const delay = retryDelay(retry, policy, random, retryAfterMs);
      const elapsed = clock.now() - startedAt;
      if (retry >= policy.maxRetries || elapsed + delay > policy.maxElapsedMs) {
        const attempts = `after ${attemptNumber} attempt${attemptNumber === 1 ? '' : 's'}`;
        const bound =
          retry >= policy.maxRetries
            ? attempts
            : `${attempts}; waiting ${formatDuration(delay)} more would exceed the ${formatDuration(policy.maxElapsedMs)} retry budget`;
        logger.debug(`giving up on ${request.method} ${where} ${bound} (${why})`);
        if (response) return response;
        throw remember(origin, asTransportError(failure, request, attemptNumber, { bound, unanswered }));
      }
      logger.debug(
        `retrying ${request.method} ${where} in ${delay} ms after ${why}` +
          `${retryAfterMs !== undefined ? ` (Retry-After ${Math.round(retryAfterMs)} ms)` : ''} ` +
          `(attempt ${attemptNumber + 1} of at most ${policy.maxRetries + 1})`,
      );
      await clock
        .sleep(delay, request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal)
        .catch((error: unknown) => {
          throw deadline.signal.aborted ? stoppedByDeadline(deadline.signal.reason, request) : error;
        });
    }
  }

  /** Notes an origin's first unanswered request (see `unansweredOrigins`). */
  function remember(origin: string, error: TransportError): TransportError {
    if (error.unanswered && !unansweredOrigins.has(origin)) {
      unansweredOrigins.set(origin, error);
      logger.debug(`${origin} gave no answer to ${error.method} ${error.url}: later requests to it in this run fail at once`);
    }
    return error;
  }

  return {
    send(request) {
      if (!isHttpUrl(request.url)) {
        const scheme = request.url.protocol.slice(0, -1);
        return Promise.reject(
          new TransportError(`Refusing a request with the "${scheme}" scheme: only http and https are requested`, {
            method: request.method,
            url: describeUrl(request.url),
          }),
        );
      }
      return deadline.track(`${request.method} ${describeUrl(request.url)}`, () => sendFollowingRedirects(request));
    },
  };

  async function sendFollowingRedirects(request: HttpRequest): Promise<HttpResponse> {
    const startedAt = clock.now();
    const origin = request.url.origin;
    let current: HttpRequest = request;
    let leftOrigin = false;
    for (let hop = 0; ; hop++) {
      const response = await sendWithRetries(current, startedAt);
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || !location) return { ...response, leftOrigin };
      if (hop >= maxRedirects) {
        throw new TransportError(`Too many redirects (more than ${maxRedirects})`, {
          method: request.method,
          url: describeUrl(request.url),
        });
      }
      const next = resolveRedirect(current, location);
      if (next.origin !== origin && !READ_METHODS.has(current.method)) {
        throw new TransportError(
          `Refusing to follow the redirect of a ${current.method} from ${origin} to another origin (${next.origin}): ` +
            'a write goes only to the server it is meant for',
          { method: current.method, url: describeUrl(current.url), status: response.status },
        );
      }
      if (!leftOrigin && next.origin !== origin) {
        leftOrigin = true;
        logger.debug(`redirect to ${next.origin} leaves ${origin}: credentials are not sent there`);
      }
      current = redirectedRequest(current, response.status, next, leftOrigin);
    }
  }
}

/** The run's deadline ended the request: no retry, and the message says which request it was. */
function stoppedByDeadline(reason: unknown, request: HttpRequest): TransportError {
  const why = reason instanceof Error ? reason.message : 'the run was cancelled';
  return new TransportError(`Request stopped: ${why}`, { method: request.method, url: describeUrl(request.url) }, { cause: reason });
}

function resolveRedirect(request: HttpRequest, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, request.url);
  } catch (error) {
    throw new TransportError(
      `The server redirected to an invalid URL`,
      { method: request.method, url: describeUrl(request.url) },
      { cause: error },
    );
  }
  if (!isHttpUrl(next)) {
    throw new TransportError(`Refusing a redirect to the "${next.protocol}" scheme`, {
      method: request.method,
      url: describeUrl(request.url),
    });
  }
  if (request.url.protocol === 'https:' && next.protocol === 'http:') {
    throw new TransportError(`Refusing a redirect from https to http (${describeUrl(next)}): it would expose the request`, {
      method: request.method,
      url: describeUrl(request.url),
    });
  }
  return next;
}

/** RFC 9110 15.4: 303 (and, by long practice, 301/302 after POST) turn into a body-less GET. */
function redirectedRequest(request: HttpRequest, status: number, url: URL, leftOrigin: boolean): HttpRequest {
  const toGet = (status === 303 && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const lower = name.toLowerCase();
    if (leftOrigin && ORIGIN_BOUND_HEADERS.has(lower)) continue;
    if (toGet && (lower === 'content-type' || lower === 'content-length')) continue;
    headers[name] = value;
  }
  const next: HttpRequest = { ...request, url, headers, method: toGet ? 'GET' : request.method };
  if (toGet) delete next.body;
  return next;
}

async function readBody(response: ExchangeResponse, request: HttpRequest): Promise<Uint8Array> {
  const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const tooLarge = (size: string) =>
    new TransportError(`The response body is larger than the ${limit}-byte limit (${size})`, {
      method: request.method,
      url: describeUrl(request.url),
      status: response.status,
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (request.method === 'HEAD' || !response.body) {
    response.discard();
    return new Uint8Array(0);
  }
  if (declared > limit) {
    response.discard();
    throw tooLarge(`Content-Length ${declared}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop (the limit, an abort) closes the body.
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(`more than ${limit} bytes received`);
    chunks.push(chunk);
  }
  return concat(chunks, total);
}

/** An exchange over a WHATWG fetch: redirects are left to the transport, as with Node's http. */
function fetchExchange(fetchImpl: FetchLike): Exchange {
  return async ({ method, url, headers, body, signal }) => {
    const init: RequestInit = { method, headers, redirect: 'manual', signal };
    if (body !== undefined) init.body = body as Uint8Array<ArrayBuffer>;
    const response = await fetchImpl(url, init);
    const stream = response.body;
    // Cancellation is not awaited: it may wait for a peer that is gone (or for the other branch of
    // a tee), and nothing depends on it.
    const cancel = (target: ReadableStream | ReadableStreamDefaultReader) => void target.cancel().catch(() => undefined);
    return {
      status: response.status,
      headers: response.headers,
      body: stream
        ? {
            [Symbol.asyncIterator]: () => {
              const reader: ReadableStreamDefaultReader<Uint8Array> = stream.getReader();
              return {
                next: async () => {
                  const { done, value } = await reader.read();
                  return done ? { done: true, value: undefined } : { done: false, value };
                },
                return: () => {
                  cancel(reader);
                  return Promise.resolve({ done: true, value: undefined });
                },
              };
            },
          }
        : undefined,
      discard: () => stream && cancel(stream),
    };
  };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function describeFailure(error: unknown): string {
  const chain = errorChain(error);
  const codes = chain.map((link) => link.code).filter((code): code is string => code !== undefined);
  const deepest = chain.at(-1)?.message ?? String(error);
  // "connect ECONNREFUSED 127.0.0.1:5000" names its code already: say it once.
  const unsaid = [...new Set(codes)].filter((code) => !deepest.includes(code));
  return unsaid.length ? `${deepest} (${unsaid.join(', ')})` : deepest;
}

/**
 * A failure below HTTP that says the server was not reached or did not answer in time: a system
 * error (ECONNREFUSED, ENOTFOUND, EPROTO…), TLS, a reset, a hang-up, an HTTP parser error, a
 * timeout. Not Node's own checks of the request (`ERR_INVALID_CHAR` for a header, say): the
 * request was at fault there, not the server.
 */
function isNoAnswer(error: unknown): boolean {
  if (isRetryableNetworkError(error)) return true;
  return errorChain(error).some(({ code }) => code !== undefined && (!code.startsWith('ERR_') || /^ERR_(SSL|TLS)_/.test(code)));
}

/** A request not sent because its origin gave no answer earlier in the run; names that failure. */
function notSent(first: TransportError, request: HttpRequest): TransportError {
  return new TransportError(
    `Not sent: ${request.url.origin} gave no answer earlier in this run (as for ${first.method} ${first.url}: ${first.summary})`,
    { method: request.method, url: describeUrl(request.url), network: first.network, unanswered: true },
    { cause: first.cause },
  );
}

function asTransportError(
  error: unknown,
  request: HttpRequest,
  attempts: number,
  how: { bound?: string | undefined; unanswered: boolean },
): TransportError {
  if (error instanceof TransportError) return error;
  const { bound } = how;
  const summary = bound
    ? `Request failed ${bound}: ${describeFailure(error)}`
    : `Request failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${describeFailure(error)}`;
  return new TransportError(
    summary,
    {
      method: request.method,
      url: describeUrl(request.url),
      network: classifyNetworkError(error, { url: request.url, unanswered: how.unanswered }),
      unanswered: how.unanswered,
    },
    { cause: error },
  );
}
