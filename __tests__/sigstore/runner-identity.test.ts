import { describe, expect, it } from 'vitest';
import { runnerIdentity } from '../../src/sigstore/runner-identity.js';
import { MemoryLogger } from '../support/memory-logger.js';

// Unit test over an injected fetch: the runner's answers that a real endpoint rarely gives.
const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-secret' };

describe('runnerIdentity', () => {
  it('asks for audience sigstore with the bearer, masks both tokens, and reuses a token until a minute before expiry', async () => {
    const calls: string[] = [];
    let now = 1000;
    const logger = new MemoryLogger();
    const fetch = (url: URL | string, init?: RequestInit) => {
      calls.push(`${String(url)} ${new Headers(init?.headers).get('authorization')}`);
      return Promise.resolve(new Response(JSON.stringify({ value: jwt({ exp: now + 300, n: calls.length }) })));
    };
    const identity = runnerIdentity({ env, logger, fetch: fetch as typeof globalThis.fetch, now: () => now });
    const first = await identity.token();
    expect(calls).toEqual(['http://127.0.0.1:1/token?api-version=2.0&audience=sigstore Bearer request-secret']);
    expect(logger.masked).toEqual(['request-secret', first.jwt]);
    now += 200;
    expect((await identity.token()).jwt).toBe(first.jwt);
    now += 50;
    expect((await identity.token()).claims.n).toBe(2);
  });

  it('says what to fix when the runner gives no token', async () => {
    const logger = new MemoryLogger();
    await expect(runnerIdentity({ env: {}, logger }).token()).rejects.toThrow(/permissions: id-token: write/);
    const refuse = () => Promise.resolve(new Response('{}', { status: 403 }));
    await expect(runnerIdentity({ env, logger, fetch: refuse }).token()).rejects.toThrow(/answered 403/);
    const empty = () => Promise.resolve(new Response('{"value": 3}'));
    await expect(runnerIdentity({ env, logger, fetch: empty }).token()).rejects.toThrow(/did not answer/);
  });
});
