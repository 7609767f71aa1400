import type { Logger } from '../shared/logger.js';
import { SigstoreError } from './sigstore-error.js';

/**
 * The workflow's OIDC identity, fetched the way the runner offers it to a step with
 * `permissions: id-token: write`: GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sigstore` with
 * `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answered `{"value": "<jwt>"}`
 * (the contract `@actions/core` getIDToken follows). Both tokens are masked before anything logs.
 */

export interface IdentityToken {
  jwt: string;
  claims: Record<string, unknown>;
  /** Unix seconds. */
  expires: number;
}

export interface RunnerIdentity {
  /** A fresh-enough token: fetched once, refetched a minute before it expires. */
  token(): Promise<IdentityToken>;
}

export interface RunnerIdentityOptions {
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  logger: Logger;
  now?: () => number;
  audience?: string;
}

/** True when the runner can hand out an OIDC token (the job has `id-token: write`). */
export function hasRunnerIdentity(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

export function runnerIdentity(options: RunnerIdentityOptions): RunnerIdentity {
  const { env, logger } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => Date.now() / 1000);
  let cached: Promise<IdentityToken> | undefined;
  let current: IdentityToken | undefined;

  const request = async (): Promise<IdentityToken> => {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
      throw new SigstoreError(
        'cosign-keyless needs an OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL is not set: give the job `permissions: id-token: write`',
      );
    }
    logger.mask(bearer);
    const target = new URL(url);
    target.searchParams.set('audience', options.audience ?? 'sigstore');
    let response: Response;
    try {
      response = await doFetch(target, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
    } catch (error) {
      throw new SigstoreError(`cannot reach the runner's OIDC token endpoint ${target.origin}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new SigstoreError(`the runner's OIDC token endpoint answered ${response.status}`);
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || value.split('.').length !== 3) {
      throw new SigstoreError('the runner\'s OIDC token endpoint did not answer {"value": "<jwt>"}');
    }
    logger.mask(value);
    const claims = jwtClaims(value);
    return { jwt: value, claims, expires: typeof claims.exp === 'number' ? claims.exp : now() + 300 };
  };

  return {
    async token() {
      if (current && current.expires - now() > 60) return current;
      cached ??= request();
      try {
        current = await cached;
      } finally {
        cached = undefined;
      }
      return current;
    },
  };
}

/** The JWT's payload, read (not verified: Fulcio verifies it) to know the identity before signing. */
export function jwtClaims(jwt: string): Record<string, unknown> {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    if (typeof claims === 'object' && claims !== null) return claims as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new SigstoreError('the OIDC token is not a JWT with a JSON payload');
}

/** A string claim, or undefined. */
export function claim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
