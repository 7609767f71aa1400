import { isIP } from 'node:net';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Credential, CredentialResolver } from './credentials.js';
import { RegistryError, registryTransport, responseError } from './registry-error.js';
import { describeUrl } from './transport-error.js';
import { mergeScopes, parseScopeParameter, scopesCover } from './scope.js';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';

export interface RegistryAuthOptions {
  transport: Transport;
  credentials: CredentialResolver;
  logger: Logger;
  clock: Clock;
  /** `client_id` of refresh-token grants (distribution `docs/spec/auth/oauth.md`). */
  clientId?: string;
}

/** What a registry origin asked for the last time it challenged us. */
interface OriginState {
  scheme?: 'basic' | 'bearer' | undefined;
  realm?: URL | undefined;
  service?: string | undefined;
  basicHeader?: string | undefined;
  credential?: Promise<Credential | undefined>;
  /** Source of the credential last sent to (or for) this origin, for error messages. */
  sentCredentialSource?: string | undefined;
  /** Set once the first exchange with the origin told whether (and how) it authenticates. */
  probed?: boolean | undefined;
  /** The first exchange while it is under way; concurrent first requests wait for it. */
  probe?: Promise<void> | undefined;
  /**
   * Repository actions a token was asked for and did not grant, from its JWT `access` claim
   * (distribution `docs/spec/auth/jwt.md`); a later token that grants one takes it off. Opaque
   * tokens tell nothing.
   */
  refused?: Map<string, Set<string>> | undefined;
}

interface Token {
  value: string;
  expiresAt: number;
  /** Who the token speaks for: a credential source, or undefined for an anonymous token. */
  credentialSource: string | undefined;
}

interface SentAuthorization {
  kind: 'none' | 'basic' | 'bearer';
  header?: string;
  scopes?: string[];
  token?: Token;
  cacheKey?: string;
  fromCache?: boolean;
}

// distribution `docs/spec/auth/token.md`: "expires_in … defaults to 60 seconds".
const DEFAULT_TOKEN_LIFETIME_S = 60;
// oras-go caps token responses at 128 KiB (helm-oci.md 3.9); a token service has no reason to send more.
const MAX_TOKEN_RESPONSE_BYTES = 128 * 1024;
const MAX_AUTH_ROUNDS = 4;

/**
 * Answers registry challenges (helm-oci.md 3.9): anonymous first; on 401, Basic (then sent
 * pre-emptively to that origin) or Bearer tokens from the challenge's realm, cached per origin,
 * realm, service and scope set until they expire. Once an origin is known to want Bearer, a
 * token for a new scope set is fetched before the first request that needs it, which saves
 * the 401 round trip per repository.
 *
 * Credentials are resolved lazily, at the first challenge of an origin, and every secret —
 * the Basic header value, each token — goes to `logger.mask` as soon as it exists.
 */
export class RegistryAuth {
  private readonly origins = new Map<string, OriginState>();
  private readonly tokens = new Map<string, Promise<Token>>();
  private readonly options: RegistryAuthOptions;

  constructor(options: RegistryAuthOptions) {
    // Every exchange here is with a registry or its token service: failures are RegistryErrors.
    this.options = { ...options, transport: registryTransport(options.transport) };
  }

  /**
   * Sends `request` with whatever authorization its origin needs for `scopes` (the token scopes
   * the request would need on a Bearer registry, e.g. `repository:charts/demo:pull,push`).
   * Returns every response except a 401 that credentials could answer; throws a RegistryError
   * when the credentials are missing, rejected or not allowed to do this.
   */
  async send(request: HttpRequest, scopes: readonly string[]): Promise<HttpResponse> {
    const state = this.stateFor(request.url.origin);
    // Only one request learns how an origin authenticates; the others wait for its answer
    // instead of each collecting the same 401 (a run pushes several charts at once).
    let endProbe: (() => void) | undefined;
    if (!state.probed) {
      if (state.probe) await state.probe;
      else state.probe = new Promise<void>((resolve) => (endProbe = resolve));
    }
    try {
      return await this.exchange(state, request, scopes, () => {
        state.probed = true;
        endProbe?.();
      });
    } finally {
      state.probed = true;
      endProbe?.();
    }
  }

  private async exchange(state: OriginState, request: HttpRequest, scopes: readonly string[], learned: () => void): Promise<HttpResponse> {
    let wanted = mergeScopes(scopes);
    let retriedCachedToken = false;
    for (let round = 0; round < MAX_AUTH_ROUNDS; round++) {
      const sent = await this.authorize(state, request.url, wanted);
      const headers = { ...request.headers, ...(sent.header ? { authorization: sent.header } : {}) };
      const response = await this.options.transport.send({ ...request, headers });
      // A 401 from another origin (after a redirect) is not ours to answer with these credentials.
      if (response.status !== 401 || response.leftOrigin) {
        learned();
        return response;
      }

      const challenge = pickChallenge(parseWwwAuthenticate(response.headers.get('www-authenticate')));
      if (!challenge) {
        throw responseError('The registry answered 401 without a Basic or Bearer challenge', request.method, response, {
          diagnosis: 'It cannot be authenticated against with the OCI distribution protocol',
        });
      }
      if (challenge.scheme === 'basic') {
        if (sent.kind === 'basic') throw this.rejected(request, response, state);
        this.options.logger.debug(`auth: ${request.url.host} asks for Basic credentials`);
        state.scheme = 'basic';
        state.basicHeader = await this.basicHeader(state, request, response);
        learned();
        continue;
      }

      const realm = this.validateRealm(challenge.params.realm, request, response);
      const service = challenge.params.service || undefined;
      if (state.realm?.href !== realm.href || state.service !== service) {
        this.options.logger.debug(
          `auth: ${request.url.host} asks for a Bearer token (realm ${describeUrl(realm)}` +
            `${service ? `, service ${service}` : ''}${challenge.params.scope ? `, scope ${challenge.params.scope}` : ''})`,
        );
      }
      state.scheme = 'bearer';
      state.realm = realm;
      state.service = service;
      learned();
      const asked = mergeScopes(wanted, parseScopeParameter(challenge.params.scope));
      if (sent.kind === 'bearer' && sent.scopes && scopesCover(sent.scopes, asked)) {
        // The token we sent should have been enough for this request.
        if (challenge.params.error === 'insufficient_scope') throw this.insufficientScope(request, response, asked, sent.token);
        if (sent.fromCache && sent.cacheKey && !retriedCachedToken) {
          this.options.logger.debug('auth: the registry refused a cached token; fetching a new one');
          this.tokens.delete(sent.cacheKey);
          retriedCachedToken = true;
          continue;
        }
        throw this.rejected(request, response, state, sent.token);
      }
      wanted = asked;
    }
    throw new RegistryError('Authentication with the registry did not settle', {
      method: request.method,
      url: describeUrl(request.url),
      status: 401,
    });
  }

  /**
   * The actions of `scope` (e.g. `repository:charts/demo:pull,push`) that a token for its
   * repository was asked for and did not grant: a token service grants what the account may do
   * and silently drops the rest, so a pull-only account gets a token that reads fine and fails
   * only at the first upload. A token asked for less (pull only, for a read) says nothing about
   * the rest. Empty when everything asked was granted, or when it cannot be told (Basic auth, no
   * auth, an opaque token).
   */
  refusedActions(url: URL, scope: string): string[] {
    const last = scope.lastIndexOf(':');
    const first = scope.indexOf(':');
    const refused = this.origins.get(url.origin)?.refused?.get(scope.slice(first + 1, last));
    if (!refused) return [];
    return scope
      .slice(last + 1)
      .split(',')
      .filter((action) => refused.has(action));
  }

  private recordGrant(state: OriginState, scopes: readonly string[], token: string): void {
    const access = jwtAccess(token);
    if (!access) return;
    for (const scope of scopes) {
      if (!scope.startsWith('repository:')) continue;
      const name = scope.slice('repository:'.length, scope.lastIndexOf(':'));
      const granted = new Set(access.filter((a) => a.type === 'repository' && a.name === name).flatMap((a) => a.actions));
      const asked = scope
        .slice(scope.lastIndexOf(':') + 1)
        .split(',')
        .filter(Boolean);
      state.refused ??= new Map();
      const refused = state.refused.get(name) ?? new Set<string>();
      for (const action of asked) {
        if (granted.has(action) || granted.has('*')) refused.delete(action);
        else refused.add(action);
      }
      state.refused.set(name, refused);
    }
  }

  /** Source of the credentials sent to this origin (for diagnoses); undefined when anonymous. */
  credentialSource(url: URL): string | undefined {
    return this.origins.get(url.origin)?.sentCredentialSource;
  }

  private stateFor(origin: string): OriginState {
    let state = this.origins.get(origin);
    if (!state) {
      state = {};
      this.origins.set(origin, state);
    }
    return state;
  }

  private credential(state: OriginState, host: string): Promise<Credential | undefined> {
    state.credential ??= this.options.credentials.resolve(host);
    return state.credential;
  }

  private async authorize(state: OriginState, url: URL, scopes: string[]): Promise<SentAuthorization> {
    if (state.scheme === 'basic' && state.basicHeader) return { kind: 'basic', header: state.basicHeader };
    if (state.scheme !== 'bearer' || !state.realm) return { kind: 'none' };
    const key = [url.origin, state.realm.href, state.service ?? '', scopes.join(' ')].join('\n');
    const cached = this.tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresAt > this.options.clock.now()) {
        this.options.logger.debug(`auth: using the cached token for ${scopes.join(' ')}`);
        return { kind: 'bearer', header: `Bearer ${token.value}`, scopes, token, cacheKey: key, fromCache: true };
      }
      this.tokens.delete(key);
    }
    const pending = this.fetchToken(state, url, state.realm, scopes);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    const token = await pending;
    return { kind: 'bearer', header: `Bearer ${token.value}`, scopes, token, cacheKey: key, fromCache: false };
  }

  private async basicHeader(state: OriginState, request: HttpRequest, response: HttpResponse): Promise<string> {
    const credential = await this.credential(state, request.url.host);
    if (!credential) throw this.missing(request, response);
    if (!credential.username || !credential.password) {
      throw responseError(
        `The registry asks for a username and password, but ${credential.source} holds a token`,
        request.method,
        response,
        {
          diagnosis: `Provide a username and password for ${request.url.host}`,
        },
      );
    }
    const encoded = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    this.options.logger.mask(encoded);
    state.sentCredentialSource = credential.source;
    this.options.logger.debug(`auth: sending Basic credentials from ${credential.source} to ${request.url.host} from now on`);
    return `Basic ${encoded}`;
  }

  private async fetchToken(state: OriginState, registryUrl: URL, realm: URL, scopes: string[]): Promise<Token> {
    const { logger, clock, transport } = this.options;
    const credential = await this.credential(state, registryUrl.host);
    const scopeText = scopes.join(' ') || '(no scope)';
    if (credential?.registryToken) {
      logger.debug(`auth: using the registry token from ${credential.source} for ${scopeText}`);
      state.sentCredentialSource = credential.source;
      return { value: credential.registryToken, expiresAt: Number.POSITIVE_INFINITY, credentialSource: credential.source };
    }

    let request: HttpRequest;
    if (credential?.identityToken) {
      // distribution `docs/spec/auth/oauth.md`: a refresh token is exchanged by POSTing a form.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken });
      if (state.service) form.set('service', state.service);
      form.set('client_id', this.options.clientId ?? 'oci-chart-publish');
      if (scopes.length) form.set('scope', scopes.join(' '));
      request = {
        method: 'POST',
        url: realm,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new TextEncoder().encode(form.toString()),
        maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES,
      };
      logger.debug(`auth: fetching a token for ${scopeText} from ${describeUrl(realm)} (POST, refresh token from ${credential.source})`);
    } else {
      // distribution `docs/spec/auth/token.md`: GET realm?scope=…&service=…, Basic when we have a user.
      const url = new URL(realm);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      if (state.service) url.searchParams.append('service', state.service);
      const headers: Record<string, string> = {};
      if (credential?.username || credential?.password) {
        const encoded = Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`).toString('base64');
        logger.mask(encoded);
        headers.authorization = `Basic ${encoded}`;
      }
      request = { method: 'GET', url, headers, maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES };
      logger.debug(
        `auth: fetching a token for ${scopeText} from ${describeUrl(realm)} ` +
          `(GET, ${headers.authorization ? `credentials from ${credential?.source}` : 'anonymous'})`,
      );
    }
    if (credential) state.sentCredentialSource = credential.source;

    const response = await transport.send(request);
    if (response.status !== 200) {
      const who = credential ? `the credentials from ${credential.source}` : 'anonymous access';
      throw responseError(`The token service refused ${who}`, request.method, response, {
        diagnosis:
          response.status === 401 || response.status === 403
            ? credential
              ? `Check ${credential.source}: the token service rejected them`
              : `No credentials were found for ${registryUrl.host} (looked in ${this.options.credentials.describe(registryUrl.host)})`
            : undefined,
      });
    }
    const token = this.parseTokenResponse(response, request);
    logger.debug(`auth: got a token for ${scopeText}, valid for ${Math.round((token.expiresAt - clock.now()) / 1000)} s`);
    this.recordGrant(state, scopes, token.value);
    return { ...token, credentialSource: credential?.source };
  }

  private parseTokenResponse(response: HttpResponse, request: HttpRequest): Omit<Token, 'credentialSource'> {
    let parsed: { access_token?: unknown; token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(new TextDecoder().decode(response.body)) as typeof parsed;
    } catch {
      // No cause: JSON.parse's message quotes the body, which is where the token would be.
      throw new RegistryError('The token service answered something other than JSON', {
        method: request.method,
        url: describeUrl(response.url),
        status: response.status,
      });
    }
    // distribution `docs/spec/auth/token.md`: `access_token` is the OAuth2 name; `token` the legacy one.
    const value = typeof parsed.access_token === 'string' && parsed.access_token ? parsed.access_token : parsed.token;
    if (typeof value !== 'string' || !value) {
      throw new RegistryError('The token service answered without "access_token" or "token"', {
        method: request.method,
        url: describeUrl(response.url),
        status: response.status,
      });
    }
    this.options.logger.mask(value);
    if (typeof parsed.refresh_token === 'string' && parsed.refresh_token) this.options.logger.mask(parsed.refresh_token);
    const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    // Renew a little early so that a token does not expire between cache lookup and use.
    return { value, expiresAt: this.options.clock.now() + lifetime * 1000 * 0.9 };
  }

  /**
   * The realm receives our credentials, so it must be at least as protected as the registry
   * (helm-oci.md 3.9): https, or http only for a plain-http registry; a loopback or private
   * address only when the registry itself is one.
   */
  private validateRealm(raw: string | undefined, request: HttpRequest, response: HttpResponse): URL {
    const refuse = (why: string) =>
      responseError(`Refusing the registry's token realm: ${why}`, request.method, response, {
        diagnosis: 'The registry or a proxy in front of it is misconfigured',
      });
    if (!raw) throw refuse('the Bearer challenge has no realm');
    let realm: URL;
    try {
      realm = new URL(raw);
    } catch {
      throw refuse(`"${raw}" is not a URL`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw refuse(`the "${realm.protocol}" scheme is not allowed (https, or http for a plain-http registry)`);
    }
    if (realm.protocol === 'http:' && request.url.protocol !== 'http:') {
      throw refuse(`${describeUrl(realm)} does not use https while the registry does`);
    }
    const realmKind = addressKind(realm.hostname);
    const registryKind = addressKind(request.url.hostname);
    if ((realmKind === 'loopback' && registryKind !== 'loopback') || (realmKind === 'private' && registryKind === 'public')) {
      throw refuse(`${describeUrl(realm)} is a ${realmKind} address but the registry is not`);
    }
    return realm;
  }

  private missing(request: HttpRequest, response: HttpResponse): RegistryError {
    const host = request.url.host;
    return responseError(`The registry requires authentication and no credentials were found for ${host}`, request.method, response, {
      diagnosis: `Looked in: ${this.options.credentials.describe(host)}`,
    });
  }

  private rejected(request: HttpRequest, response: HttpResponse, state: OriginState, token?: Token): RegistryError {
    const source = token ? token.credentialSource : state.sentCredentialSource;
    if (!source) return this.missing(request, response);
    return responseError(`The registry rejected the credentials from ${source}`, request.method, response, {
      diagnosis: `Check ${source}: the username, password or token is wrong or has expired`,
    });
  }

  private insufficientScope(request: HttpRequest, response: HttpResponse, scopes: string[], token?: Token): RegistryError {
    const who = token?.credentialSource ? `the credentials from ${token.credentialSource}` : 'anonymous access';
    return responseError(`The registry refused ${who}: insufficient_scope for ${scopes.join(' ')}`, request.method, response, {
      diagnosis:
        request.url.hostname === 'ghcr.io'
          ? 'On ghcr.io the workflow needs "permissions: packages: write" and the package must be linked to this repository'
          : `The account is not granted ${scopes.map(describeScope).join(' and ')}`,
      ...(token?.credentialSource ? { credentialSource: token.credentialSource } : {}),
    });
  }
}

/**
 * The `access` claim of a JWT bearer token, read without verifying it: only to tell the user
 * early that the token lacks an action, never to grant anything. Undefined for opaque tokens.
 */
function jwtAccess(token: string): Array<{ type: string; name: string; actions: string[] }> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { access?: unknown };
    if (!Array.isArray(claims.access)) return undefined;
    return claims.access.flatMap((entry: unknown) => {
      const { type, name, actions } = (entry ?? {}) as { type?: unknown; name?: unknown; actions?: unknown };
      if (typeof type !== 'string' || typeof name !== 'string' || !Array.isArray(actions)) return [];
      return [{ type, name, actions: actions.filter((a): a is string => typeof a === 'string') }];
    });
  } catch {
    return undefined;
  }
}

/** Bearer is preferred when a registry offers both: it never sends the password to the registry. */
function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

/** `repository:charts/demo:pull,push` → `"pull,push" on repository charts/demo`. */
function describeScope(scope: string): string {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return scope;
  return `"${scope.slice(last + 1)}" on ${scope.slice(0, first)} ${scope.slice(first + 1, last)}`;
}

type AddressKind = 'loopback' | 'private' | 'public';

function addressKind(hostname: string): AddressKind {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  const version = isIP(host);
  if (version === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    if (a === 127 || a === 0) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'private';
    return 'public';
  }
  if (version === 6) {
    if (host === '::1' || host === '::') return 'loopback';
    // IPv4-mapped addresses (WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1).
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped?.[1] && mapped[2]) {
      const high = parseInt(mapped[1], 16);
      const low = parseInt(mapped[2], 16);
      return addressKind(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return 'private';
  }
  return 'public';
}
