import { describe, expect, test } from 'vitest';
import { RegistryAuth } from '../../src/oci/auth.js';
import type { Credential, CredentialResolver } from '../../src/oci/credentials.js';
import { RegistryError } from '../../src/oci/registry-error.js';
import { createTransport } from '../../src/oci/transport.js';
import { fakeClock, scriptedFetch, type RecordedCall } from './fakes.js';
import { MemoryLogger } from '../support/memory-logger.js';

const REGISTRY = 'https://registry.example';
const REALM = 'https://auth.example/token';
const SCOPE = ['repository:charts/demo:pull,push'];

function credentials(credential: Omit<Credential, 'source'> | undefined): CredentialResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (host) => {
      asked.push(host);
      return credential && { ...credential, source: 'the test credential' };
    },
    describe: () => 'the test credential',
  };
}

/** A registry that wants `Bearer <accepted token>` and a token service that hands out tokens. */
function bearerWorld(tokenBody: (call: RecordedCall, n: number) => unknown, accepts: (auth: string | undefined) => boolean) {
  let issued = 0;
  return scriptedFetch([], (call) => {
    if (call.url.startsWith(REALM)) {
      issued++;
      return Response.json(tokenBody(call, issued));
    }
    if (accepts(call.headers.authorization)) return new Response('{}', { status: 200 });
    return new Response(null, {
      status: 401,
      headers: { 'www-authenticate': `Bearer realm="${REALM}",service="registry.example",scope="repository:charts/demo:pull"` },
    });
  });
}

function auth(fetch: ReturnType<typeof scriptedFetch>, resolver: CredentialResolver, clock = fakeClock(), logger = new MemoryLogger()) {
  return new RegistryAuth({ transport: createTransport({ fetch, clock }), credentials: resolver, logger, clock });
}

const get = (path = '/v2/charts/demo/manifests/1.0.0') => ({ method: 'HEAD', url: new URL(path, REGISTRY) });

describe('Bearer', () => {
  test('access_token is preferred over token; the legacy token field alone works too', async () => {
    const both = bearerWorld(
      () => ({ access_token: 'new-style', token: 'old-style' }),
      (a) => a === 'Bearer new-style',
    );
    expect((await auth(both, credentials({ username: 'u', password: 'p' })).send(get(), SCOPE)).status).toBe(200);

    const legacy = bearerWorld(
      () => ({ token: 'old-style' }),
      (a) => a === 'Bearer old-style',
    );
    expect((await auth(legacy, credentials(undefined)).send(get(), SCOPE)).status).toBe(200);
    // Anonymous: no Authorization on the token request.
    expect(legacy.calls.find((c) => c.url.startsWith(REALM))?.headers.authorization).toBeUndefined();
  });

  test('the token request carries scope and service and Basic credentials', async () => {
    const fetch = bearerWorld(
      () => ({ token: 't' }),
      (a) => a === 'Bearer t',
    );
    await auth(fetch, credentials({ username: 'u', password: 'p' })).send(get(), SCOPE);
    const tokenCall = fetch.calls.find((c) => c.url.startsWith(REALM));
    const url = new URL(tokenCall?.url ?? '');
    // The challenge's pull scope merges into what we asked for.
    expect(url.searchParams.getAll('scope')).toEqual(['repository:charts/demo:pull,push']);
    expect(url.searchParams.get('service')).toBe('registry.example');
    expect(tokenCall?.headers.authorization).toBe(`Basic ${btoa('u:p')}`);
  });

  test('tokens are cached until expires_in (default 60 s), then fetched again', async () => {
    const clock = fakeClock();
    const fetch = bearerWorld(
      (_c, n) => ({ token: `t${n}` }),
      (a) => a?.startsWith('Bearer t') ?? false,
    );
    const a = auth(fetch, credentials(undefined), clock);
    await a.send(get(), SCOPE);
    await a.send(get(), SCOPE);
    await clock.sleep(50_000);
    await a.send(get(), SCOPE);
    const tokenCalls = () => fetch.calls.filter((c) => c.url.startsWith(REALM)).length;
    expect(tokenCalls()).toBe(1);
    await clock.sleep(10_000);
    await a.send(get(), SCOPE);
    expect(tokenCalls()).toBe(2);
    expect(fetch.calls.at(-1)?.headers.authorization).toBe('Bearer t2');
  });

  test('a cached token the registry no longer accepts is replaced once', async () => {
    let accepted = 'Bearer t1';
    const fetch = bearerWorld(
      (_c, n) => ({ token: `t${n}`, expires_in: 3600 }),
      (a) => a === accepted,
    );
    const a = auth(fetch, credentials({ username: 'u', password: 'p' }));
    expect((await a.send(get(), SCOPE)).status).toBe(200);
    // The registry now wants t3: cached t1 fails, so does a fresh t2 → the credentials are rejected.
    accepted = 'Bearer t3';
    await expect(a.send(get(), SCOPE)).rejects.toThrow(/rejected the credentials from the test credential/);
    // Next time, cached t2 fails and a fresh t3 is fetched and accepted.
    expect((await a.send(get(), SCOPE)).status).toBe(200);
    expect(fetch.calls.filter((c) => c.url.startsWith(REALM))).toHaveLength(3);
  });

  test('concurrent requests share one token request', async () => {
    const fetch = bearerWorld(
      () => ({ token: 't' }),
      (a) => a === 'Bearer t',
    );
    const a = auth(fetch, credentials(undefined));
    await a.send(get(), SCOPE); // learn that the host wants Bearer
    await Promise.all([0, 1, 2, 3].map((n) => a.send(get(`/v2/other/manifests/${n}`), ['repository:other:pull'])));
    expect(fetch.calls.filter((c) => c.url.startsWith(REALM))).toHaveLength(2);
  });

  test.each([
    ['http realm for an https registry', 'http://auth.example/token', /does not use https while the registry does/],
    ['file realm', 'file:///etc/passwd', /: the "file:" scheme is not allowed \(https, or http for a plain-http registry\)/],
    ['loopback realm for a public registry', 'https://127.0.0.1/token', /loopback address but the registry is not/],
    ['private realm for a public registry', 'https://[::ffff:10.0.0.1]/token', /private address but the registry is not/],
    ['no realm', '', /has no realm/],
  ])('refuses a %s; the realm is never contacted', async (_label, realm, message) => {
    const fetch = scriptedFetch([
      new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}",service="s"` } }),
    ]);
    const resolver = credentials({ username: 'u', password: 'p' });
    await expect(auth(fetch, resolver).send(get(), SCOPE)).rejects.toThrow(message);
    expect(fetch.calls).toHaveLength(1);
    expect(resolver.asked).toEqual([]);
  });

  test('a token response that is not JSON is reported without quoting it', async () => {
    const body = 'ghs7c1e9b2f; expires_in=300';
    expect(() => JSON.parse(body)).toThrow('ghs7c1e');
    const fetch = scriptedFetch([], (call) =>
      call.url.startsWith(REALM)
        ? new Response(body, { status: 200 })
        : new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer realm="${REALM}",service="registry.example"` } }),
    );
    const logger = new MemoryLogger();
    const error = await auth(fetch, credentials({ username: 'u', password: 'p' }), fakeClock(), logger)
      .send(get(), SCOPE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/^The token service answered something other than JSON/);
    const chain: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(e.message);
    expect([...chain, logger.text()].join('\n')).not.toContain('ghs7c1e');
  });
});

describe('Basic', () => {
  test('answered once, then sent pre-emptively to that origin only', async () => {
    const expected = `Basic ${btoa('u:p')}`;
    const fetch = scriptedFetch([], (call) =>
      call.headers.authorization === expected || call.url.startsWith('https://other.example')
        ? new Response(null, { status: 200 })
        : new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } }),
    );
    const logger = new MemoryLogger();
    const a = auth(fetch, credentials({ username: 'u', password: 'p' }), fakeClock(), logger);
    await a.send(get(), SCOPE);
    await a.send(get('/v2/charts/other/blobs/uploads/'), SCOPE);
    await a.send({ method: 'GET', url: new URL('https://other.example/v2/') }, []);
    expect(fetch.calls.map((c) => c.headers.authorization)).toEqual([undefined, expected, expected, undefined]);
    expect(logger.masked).toContain(btoa('u:p'));
    expect(a.credentialSource(new URL(REGISTRY))).toBe('the test credential');
  });

  test('a registry asking for Basic when the credential is a token says so', async () => {
    const fetch = scriptedFetch([new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } })]);
    await expect(auth(fetch, credentials({ identityToken: 'refresh' })).send(get(), SCOPE)).rejects.toThrow(
      /asks for a username and password, but the test credential holds a token/,
    );
  });
});

describe('what is not answered', () => {
  test('a 401 from another origin after a redirect goes back to the caller untouched', async () => {
    const fetch = scriptedFetch([
      new Response(null, { status: 307, headers: { location: 'https://storage.example/blob' } }),
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="storage"' } }),
    ]);
    const resolver = credentials({ username: 'u', password: 'p' });
    const response = await auth(fetch, resolver).send({ method: 'GET', url: new URL('/v2/x/blobs/sha256:1', REGISTRY) }, SCOPE);
    expect(response.status).toBe(401);
    expect(response.leftOrigin).toBe(true);
    expect(resolver.asked).toEqual([]);
  });

  test('a 401 without a usable challenge is an error', async () => {
    const fetch = scriptedFetch([new Response(null, { status: 401, headers: { 'www-authenticate': 'Negotiate' } })]);
    const error = await auth(fetch, credentials(undefined))
      .send(get(), SCOPE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/401 without a Basic or Bearer challenge/);
  });
});
