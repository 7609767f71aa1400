import { DomainError } from '../shared/errors.js';
import { errorChain } from './retry-policy.js';

/**
 * What went wrong below HTTP, as far as a caller can act on it. The transport serves registries
 * and chart repositories alike, so it names the failure and leaves the advice to the caller,
 * who knows what the server is (see `registryErrorFrom` in registry-error.ts, `chart-repository.ts`).
 */
export type NetworkFailure = 'untrusted-certificate' | 'not-tls' | 'maybe-tls' | 'refused' | 'unresolved';

export interface TransportErrorDetails {
  method: string;
  /** Without query: queries can carry upload state or storage signatures. */
  url: string;
  status?: number | undefined;
  network?: NetworkFailure | undefined;
  /** The server gave no HTTP answer: it could not be reached, or said nothing in time. */
  unanswered?: boolean | undefined;
}

/**
 * An exchange the transport could not complete: the network failed (after its retries), a
 * redirect was refused, or a body exceeded its limit. Worded without naming the server's kind;
 * the failure below (a fetch error) is the cause.
 */
export class TransportError extends DomainError {
  /** The sentence before the exchange, e.g. `Request failed after 3 attempts: … (ECONNRESET)`. */
  readonly summary: string;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly network: NetworkFailure | undefined;
  readonly unanswered: boolean;

  constructor(summary: string, details: TransportErrorDetails, options?: { cause?: unknown }) {
    const exchange = `${details.method} ${details.url}${details.status !== undefined ? ` → HTTP ${details.status}` : ''}`;
    super(`${summary} (${exchange})`, options);
    this.summary = summary;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.network = details.network;
    this.unanswered = details.unanswered ?? false;
  }
}

const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * The error codes along a fetch failure's cause chain, read as something a user can fix. A
 * plain-http request whose connection is closed before any answer (`socket hang up`, ECONNRESET)
 * is what a TLS port does with it (Node, nginx-like servers): `maybe-tls`, a guess the advice
 * words as one.
 */
export function classifyNetworkError(error: unknown, request: { url: URL; unanswered: boolean }): NetworkFailure | undefined {
  const chain = errorChain(error);
  const codes = chain.map((link) => link.code ?? '');
  if (codes.some((code) => UNTRUSTED_CERTIFICATE.test(code))) return 'untrusted-certificate';
  if (codes.some((code) => code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')) return 'not-tls';
  if (codes.includes('ECONNREFUSED')) return 'refused';
  if (codes.includes('ENOTFOUND')) return 'unresolved';
  const closed = codes.includes('ECONNRESET') || chain.some((link) => /socket hang up/i.test(link.message));
  if (closed && request.unanswered && request.url.protocol === 'http:') return 'maybe-tls';
  return undefined;
}

/** What the user changes for a server of one kind: the `plain-http` input, or the URL's scheme. */
export interface SchemeSettings {
  /** For a server that does not speak TLS, e.g. `if it is a plain-http registry, enable plain http`. */
  plainHttp: string;
  /** For a server that may speak only TLS, e.g. `turn plain http off`. */
  https: string;
}

/**
 * The advice for a network failure, for a server of the given kind (`registry`, `chart
 * repository`): what the user changes is the same, the words name what they configured.
 */
export function networkAdvice(failure: NetworkFailure | undefined, server: string, settings: SchemeSettings): string | undefined {
  switch (failure) {
    case 'untrusted-certificate':
      return `The ${server}'s TLS certificate is not trusted: give Node its CA certificate with NODE_EXTRA_CA_CERTS (set before the action starts)`;
    case 'not-tls':
      return `The ${server} does not speak TLS on this port; ${settings.plainHttp}`;
    case 'maybe-tls':
      return `The ${server} closed the plain-http connection without answering; if it speaks https on this port, ${settings.https}`;
    case 'refused':
      return `Nothing listens at this address; check the ${server} host and port`;
    case 'unresolved':
      return `The ${server} host name does not resolve`;
    default:
      return undefined;
  }
}

/** `scheme://host[:port]/path` without userinfo, query or fragment. */
export function describeUrl(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
