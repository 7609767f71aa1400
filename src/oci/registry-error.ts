import { DomainError } from '../shared/errors.js';
import { holdsSplitSecret, redactSecrets, shortenRedacted } from '../shared/secret-redactor.js';
import { describeUrl, networkAdvice, TransportError } from './transport-error.js';
import type { HttpResponse, Transport } from './transport.js';
import type { ResponseHeaders } from './http-exchange.js';

/** What a RegistryError knows about the failed exchange; every field is safe to print. */
export interface RegistryErrorDetails {
  /** HTTP method and URL without query (queries can carry upload state or storage signatures). */
  method?: string | undefined;
  url?: string | undefined;
  status?: number | undefined;
  /** Distribution error codes from the response body, e.g. `NAME_UNKNOWN`, `DENIED`. */
  codes?: readonly string[] | undefined;
  /** The registry's own words: the `message` fields of its `errors` array, or a body snippet. */
  registryMessage?: string | undefined;
  requestId?: string | undefined;
  /** What probably has to change, when we can tell. */
  diagnosis?: string | undefined;
  /** The registry gave no HTTP answer: it could not be reached, or said nothing in time. */
  unanswered?: boolean | undefined;
}

/** A registry or token service refused or failed a request; chains the network error as cause. */
export class RegistryError extends DomainError {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly codes: readonly string[];
  readonly registryMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly diagnosis: string | undefined;
  readonly unanswered: boolean;

  constructor(summary: string, details: RegistryErrorDetails = {}, options?: { cause?: unknown }) {
    super(composeMessage(summary, details), options);
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.codes = details.codes ?? [];
    this.registryMessage = details.registryMessage;
    this.requestId = details.requestId;
    this.diagnosis = details.diagnosis;
    this.unanswered = details.unanswered ?? false;
  }
}

/** What changes the scheme of a registry: the `plain-http` input. */
const REGISTRY_SCHEME = { plainHttp: 'if it is a plain-http registry, enable plain http', https: 'turn plain http off' };

/**
 * A transport failure as the registry client reports it: the same exchange, with advice worded
 * for a registry and its `plain-http` input.
 */
function registryErrorFrom(error: TransportError): RegistryError {
  return new RegistryError(
    error.summary,
    {
      method: error.method,
      url: error.url,
      ...(error.status !== undefined ? { status: error.status } : {}),
      diagnosis: networkAdvice(error.network, 'registry', REGISTRY_SCHEME),
      unanswered: error.unanswered,
    },
    { cause: error.cause },
  );
}

/** The transport, for registry callers: its failures become RegistryErrors. */
export function registryTransport(transport: Transport): Transport {
  return {
    send: async (request) => {
      try {
        return await transport.send(request);
      } catch (error) {
        throw error instanceof TransportError ? registryErrorFrom(error) : error;
      }
    },
  };
}

/** A credential store (config file or helper) that could not be read; names the file or helper. */
export class CredentialError extends DomainError {
  readonly store: string;

  constructor(store: string, message: string, options?: { cause?: unknown }) {
    super(`${store}: ${message}`, options);
    this.store = store;
  }
}

function composeMessage(summary: string, details: RegistryErrorDetails): string {
  const exchange: string[] = [];
  if (details.method && details.url) exchange.push(`${details.method} ${details.url}`);
  if (details.status !== undefined) exchange.push(`HTTP ${details.status}`);
  if (details.codes?.length) exchange.push(details.codes.join(', '));
  let message = summary;
  if (exchange.length) message += ` (${exchange.join(' → ')})`;
  if (details.registryMessage) message += `: ${details.registryMessage}`;
  if (details.requestId) message += ` [request id ${details.requestId}]`;
  if (details.diagnosis) message += `. ${details.diagnosis}`;
  return message;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-github-request-id', 'x-amzn-requestid', 'x-ms-request-id', 'cf-ray'];

function requestIdOf(headers: ResponseHeaders): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** A server's error message is quoted up to this length, a body that is not JSON up to the second. */
const MAX_SERVER_MESSAGE = 1_000;
const MAX_SNIPPET = 200;

/**
 * Reads the distribution-spec error body (`{"errors":[{"code","message","detail"}]}`,
 * distribution-spec "Error Codes"); falls back to a snippet of any other body.
 */
function parseErrorBody(body: Uint8Array): { codes: string[]; message: string | undefined } {
  const text = new TextDecoder().decode(body).trim();
  if (!text) return { codes: [], message: undefined };
  try {
    const parsed: unknown = JSON.parse(text);
    const errors = (parsed as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      const codes: string[] = [];
      const messages: string[] = [];
      for (const entry of errors as Array<{ code?: unknown; message?: unknown }>) {
        if (typeof entry?.code === 'string') codes.push(entry.code);
        if (typeof entry?.message === 'string' && entry.message) messages.push(entry.message);
      }
      return { codes, message: messages.length ? quoted(messages.join('; '), MAX_SERVER_MESSAGE) : undefined };
    }
    const single = parsed as { details?: unknown; error?: unknown; message?: unknown };
    for (const value of [single.details, single.message, single.error]) {
      if (typeof value === 'string' && value) return { codes: [], message: quoted(value, MAX_SERVER_MESSAGE) };
    }
  } catch {
    // Not JSON: a proxy page or a plain-text error; a short snippet still helps the reader.
  }
  return { codes: [], message: quoted(text, MAX_SNIPPET) };
}

/**
 * The server's words as one line of at most `max` characters. Secrets are removed before
 * whitespace is collapsed (a secret may hold some), and words that hold a secret split across
 * lines are not quoted at all: collapsed, the pieces would sit side by side in the log, where
 * neither the redaction nor the runner's masking recognises them.
 */
function quoted(text: string, max: number): string {
  const clean = redactSecrets(text);
  if (holdsSplitSecret(clean)) return '(not quoted: it echoes a credential of this run)';
  return shortenRedacted(clean.replace(/\s+/g, ' '), max);
}

const ECR_HOST = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

interface DiagnosisContext {
  host: string;
  repository?: string | undefined;
  status: number;
  codes: readonly string[];
  /** Where the credentials that were sent came from; undefined when the request was anonymous. */
  credentialSource?: string | undefined;
  registryMessage?: string | undefined;
  /** A HEAD over plain http: its answer has no body to say why it failed. */
  plainHttpHead?: boolean | undefined;
}

/** A sentence telling the user what to change, for the failures whose cause we can guess. */
function diagnose(context: DiagnosisContext): string | undefined {
  const { host, status, codes, credentialSource } = context;
  const repository = context.repository ?? '<repository>';
  if (ECR_HOST.test(host) && codes.includes('NAME_UNKNOWN')) {
    return (
      `Amazon ECR does not create repositories on push: create "${repository}" first ` +
      `(aws ecr create-repository --repository-name ${repository})`
    );
  }
  // Go's net/http and nginx, answering plain http on a TLS port.
  if (status === 400 && /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i.test(context.registryMessage ?? '')) {
    return `The registry speaks https on this port; ${REGISTRY_SCHEME.https}`;
  }
  if (status === 400 && context.plainHttpHead && !context.registryMessage) {
    return `The registry answered 400 without saying why (a HEAD has no body); if it speaks https on this port, ${REGISTRY_SCHEME.https}`;
  }
  if (host === 'ghcr.io' && status === 403) {
    return (
      'On ghcr.io a 403 usually means the workflow lacks "permissions: packages: write", or the package ' +
      'already exists and is not linked to this repository (package settings → "Manage Actions access")'
    );
  }
  if (status === 401) {
    return credentialSource
      ? `The registry rejected the credentials from ${credentialSource}`
      : `The registry requires authentication and no credentials were found for ${host}`;
  }
  if (status === 403 || codes.includes('DENIED')) {
    return credentialSource
      ? `The credentials from ${credentialSource} are not allowed to do this on ${host}/${repository}`
      : `Anonymous access to ${host}/${repository} is not allowed; provide credentials`;
  }
  if (status === 413) return 'The registry refused the request size';
  return undefined;
}

/** A RegistryError for a response we cannot use, with the registry's codes and a diagnosis. */
export function responseError(
  summary: string,
  method: string,
  response: HttpResponse,
  context: { repository?: string | undefined; credentialSource?: string | undefined; diagnosis?: string | undefined } = {},
): RegistryError {
  const { codes, message } = parseErrorBody(response.body);
  const diagnosis =
    context.diagnosis ??
    diagnose({
      host: response.url.host,
      status: response.status,
      codes,
      repository: context.repository,
      credentialSource: context.credentialSource,
      registryMessage: message,
      plainHttpHead: method === 'HEAD' && response.url.protocol === 'http:',
    });
  return new RegistryError(response.attempts > 1 ? `${summary} after ${response.attempts} attempts` : summary, {
    method,
    url: describeUrl(response.url),
    status: response.status,
    codes,
    registryMessage: message,
    requestId: requestIdOf(response.headers),
    diagnosis,
  });
}
