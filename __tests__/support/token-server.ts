import { X509Certificate, createHash, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A token service for Distribution's `auth.token` mode (registry-testbed.md §1 d), in process:
 * GET with Basic (or anonymous) and POST OAuth2 forms (password and refresh_token grants),
 * ES256/RS256 JWTs whose `kid` is the libtrust key id of the registry's rootcertbundle, per-user
 * action limits to provoke insufficient_scope, and a log of every token issued.
 */

export interface TokenServerUser {
  username: string;
  password: string;
  /** Repository actions this user may get; default pull and push. */
  actions?: readonly string[];
}

export interface TokenServerOptions {
  keyFile: string;
  certFile: string;
  issuer: string;
  service: string;
  users: readonly TokenServerUser[];
  /** Token lifetime reported as expires_in and written into exp. Default 300 s. */
  ttlSeconds?: number;
  /** Anonymous requests get pull access (otherwise an empty access list). */
  anonymousPull?: boolean;
  /** Put the certificate in the JWT header (`x5c`) instead of `kid`. */
  x5c?: boolean;
  /** Which token fields a GET answer carries. Default both. */
  responseFields?: 'both' | 'token' | 'access_token';
}

export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface IssuedToken {
  method: 'GET' | 'POST';
  grant: 'anonymous' | 'basic' | 'password' | 'refresh_token';
  user: string | undefined;
  /** The `service` the client sent, if any. */
  service: string | undefined;
  clientId: string | undefined;
  scopes: string[];
  access: TokenAccess[];
  token: string;
}

export interface TokenRefusal {
  method: 'GET' | 'POST';
  reason: string;
}

export interface TokenServer {
  /** The realm to configure in the registry and expect in challenges. */
  realm: string;
  issued: IssuedToken[];
  refused: TokenRefusal[];
  /** A refresh token (a Docker `identitytoken`) for the user, as a password grant would return. */
  refreshTokenFor(username: string): string;
  close(): Promise<void>;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(options.keyFile));
  const certPem = readFileSync(options.certFile, 'utf8');
  const cert = new X509Certificate(certPem);
  const header = {
    typ: 'JWT',
    alg: key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256',
    ...(options.x5c ? { x5c: [cert.raw.toString('base64')] } : { kid: libtrustKeyId(cert) }),
  };
  const ttl = options.ttlSeconds ?? 300;
  const issued: IssuedToken[] = [];
  const refused: TokenRefusal[] = [];
  const refreshTokens = new Map<string, string>();

  function refreshTokenFor(username: string): string {
    const token = `refresh-${randomBytes(16).toString('hex')}`;
    refreshTokens.set(token, username);
    return token;
  }

  function grant(user: TokenServerUser | undefined, scopes: string[]): TokenAccess[] {
    const allowed = user ? (user.actions ?? ['pull', 'push']) : options.anonymousPull ? ['pull'] : [];
    const access: TokenAccess[] = [];
    for (const scope of scopes) {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first <= 0 || last <= first) continue;
      const type = scope.slice(0, first);
      const name = scope.slice(first + 1, last);
      const actions = scope
        .slice(last + 1)
        .split(',')
        .filter((action) => type === 'repository' && allowed.includes(action));
      if (actions.length) access.push({ type, name, actions: [...new Set(actions)].sort() });
    }
    return access;
  }

  function jwt(subject: string | undefined, access: TokenAccess[]): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: options.issuer,
      sub: subject ?? '',
      aud: options.service,
      exp: now + ttl,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(signJws(key, input))}`;
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { details: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (req.method === 'GET' && url.pathname === '/healthz') return void send(res, 200, 'ok');
    if (req.method === 'GET' && url.pathname === '/log') return void send(res, 200, issued);
    if (url.pathname !== '/token') return void send(res, 404, { details: 'not found' });
    if (req.method === 'GET') {
      const basic = parseBasic(req.headers.authorization);
      let user: TokenServerUser | undefined;
      if (basic) {
        user = options.users.find((u) => u.username === basic.username && u.password === basic.password);
        if (!user) {
          refused.push({ method: 'GET', reason: `invalid credentials for "${basic.username}"` });
          return void send(res, 401, { details: 'invalid username or password' });
        }
      }
      const scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean);
      const access = grant(user, scopes);
      const token = jwt(user?.username, access);
      issued.push({
        method: 'GET',
        grant: user ? 'basic' : 'anonymous',
        user: user?.username,
        service: url.searchParams.get('service') ?? undefined,
        clientId: url.searchParams.get('client_id') ?? undefined,
        scopes,
        access,
        token,
      });
      const fields = options.responseFields ?? 'both';
      const body: Record<string, unknown> = { expires_in: ttl, issued_at: new Date().toISOString() };
      if (fields !== 'access_token') body.token = token;
      if (fields !== 'token') body.access_token = token;
      if (user && url.searchParams.get('offline_token') === 'true') body.refresh_token = refreshTokenFor(user.username);
      return void send(res, 200, body);
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readText(req));
      const grantType = form.get('grant_type');
      let user: TokenServerUser | undefined;
      if (grantType === 'password') {
        user = options.users.find((u) => u.username === form.get('username') && u.password === form.get('password'));
      } else if (grantType === 'refresh_token') {
        const owner = refreshTokens.get(form.get('refresh_token') ?? '');
        user = options.users.find((u) => u.username === owner);
      } else {
        refused.push({ method: 'POST', reason: `unsupported grant_type ${grantType}` });
        return void send(res, 400, { details: `unsupported grant_type ${grantType}` });
      }
      if (!user) {
        refused.push({ method: 'POST', reason: `invalid ${grantType}` });
        return void send(res, 401, { details: `invalid ${grantType}` });
      }
      if (!form.get('client_id')) {
        refused.push({ method: 'POST', reason: 'missing client_id' });
        return void send(res, 400, { details: 'client_id is required' });
      }
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const access = grant(user, scopes);
      const token = jwt(user.username, access);
      issued.push({
        method: 'POST',
        grant: grantType,
        user: user.username,
        service: form.get('service') ?? undefined,
        clientId: form.get('client_id') ?? undefined,
        scopes,
        access,
        token,
      });
      const body: Record<string, unknown> = {
        access_token: token,
        scope: scopes.join(' '),
        expires_in: ttl,
        issued_at: new Date().toISOString(),
      };
      if (grantType === 'password') body.refresh_token = refreshTokenFor(user.username);
      return void send(res, 200, body);
    }
    send(res, 405, { details: 'method not allowed' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    issued,
    refused,
    refreshTokenFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * libtrust's key id, which Distribution 2.8 matches a JWT `kid` against (registry-testbed.md §1 d):
 * SHA-256 of the DER SubjectPublicKeyInfo, first 30 bytes, base32 without padding, in 12 groups
 * of 4 joined by ":".
 */
export function libtrustKeyId(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(spki).digest().subarray(0, 30));
  return encoded.match(/.{4}/g)?.join(':') ?? encoded;
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function signJws(key: KeyObject, input: string): Buffer {
  // JWS ES256 wants the raw R‖S form, not DER (RFC 7518 3.4).
  return key.asymmetricKeyType === 'ec'
    ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    : sign('sha256', Buffer.from(input), key);
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}
