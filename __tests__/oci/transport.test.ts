import { describe, expect, test } from 'vitest';
import { TransportError } from '../../src/oci/transport-error.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay } from '../../src/oci/retry-policy.js';
import { createTransport, type RequestEvent } from '../../src/oci/transport.js';
import { connectionError, fakeClock, scriptedFetch } from './fakes.js';

const URL_A = new URL('https://registry.example/v2/charts/demo/blobs/uploads/');

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-21T07:28:00Z');
  test.each([
    ['120', 120_000],
    [' 3 ', 3000],
    ['Wed, 21 Oct 2026 07:28:05 GMT', 5000],
    ['Wednesday, 21-Oct-26 07:28:05 GMT', 5000],
  ])('%s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test.each(['0', '-1', '1.5', 'soon', '', 'Wed, 21 Oct 2026 07:27:00 GMT', '2026-10-21'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  test('absent', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  test('exponential backoff stays within ±10 % and the [min, max] clamp', () => {
    for (let retry = 0; retry < 8; retry++) {
      const base = 250 * 2 ** retry;
      const low = retryDelay(retry, DEFAULT_RETRY_POLICY, () => 0);
      const high = retryDelay(retry, DEFAULT_RETRY_POLICY, () => 0.999_999);
      expect(low).toBe(Math.max(200, Math.min(3_000, Math.round(base * 0.9))));
      expect(high).toBe(Math.max(200, Math.min(3_000, Math.round(base * 1.1))));
    }
  });

  test('Retry-After replaces the backoff, gets at most 10 % added and is capped', () => {
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, () => 0, 7000)).toBe(7000);
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, () => 0.999_999, 7000)).toBe(7700);
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, () => 0.5, 3_600_000)).toBe(60_000);
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, () => 0, 10)).toBe(200);
  });

  test('retryable statuses', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [200, 201, 202, 301, 400, 401, 403, 404, 409, 501, 505]) expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('retries', () => {
  test('a 503 is retried and the body is sent again', async () => {
    const fetch = scriptedFetch([new Response(null, { status: 503 }), new Response(null, { status: 201 })]);
    const clock = fakeClock();
    const events: RequestEvent[] = [];
    const transport = createTransport({ fetch, clock, random: () => 0.5, onRequest: (e) => events.push(e) });
    const body = new TextEncoder().encode('blob bytes');
    const response = await transport.send({ method: 'PUT', url: URL_A, body });
    expect(response.status).toBe(201);
    expect(response.attempts).toBe(2);
    expect(fetch.calls.map((c) => new TextDecoder().decode(c.body))).toEqual(['blob bytes', 'blob bytes']);
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 201],
    ]);
    expect(clock.sleeps).toEqual([250]);
  });

  test('a persistent 500 gives up after 5 retries with growing waits; the last response is returned', async () => {
    const fetch = scriptedFetch([], new Response('{"errors":[{"code":"UNKNOWN","message":"boom"}]}', { status: 500 }));
    const clock = fakeClock();
    const response = await createTransport({ fetch, clock, random: () => 0.5 }).send({ method: 'GET', url: URL_A });
    expect(response.status).toBe(500);
    expect(response.attempts).toBe(6);
    expect(fetch.calls).toHaveLength(6);
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 3000]);
  });

  test('the total time budget ends retrying before the count does', async () => {
    const fetch = scriptedFetch([], new Response(null, { status: 502 }));
    const clock = fakeClock();
    const transport = createTransport({ fetch, clock, random: () => 0.5, retry: { maxElapsedMs: 2000, maxRetries: 50 } });
    const response = await transport.send({ method: 'GET', url: URL_A });
    expect(response.status).toBe(502);
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(2000);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });

  test('429 honours Retry-After in seconds and as an HTTP date', async () => {
    const start = Date.parse('2026-10-21T07:28:00Z');
    const fetch = scriptedFetch([
      new Response(null, { status: 429, headers: { 'retry-after': '3' } }),
      new Response(null, { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:10 GMT' } }),
      new Response(null, { status: 200 }),
    ]);
    const clock = fakeClock(start);
    const response = await createTransport({ fetch, clock, random: () => 0 }).send({ method: 'HEAD', url: URL_A });
    expect(response.status).toBe(200);
    // 3 s, then what is left until 07:28:10 after those 3 s.
    expect(clock.sleeps).toEqual([3000, 7000]);
  });

  test('a Retry-After beyond the time budget is not waited for', async () => {
    const fetch = scriptedFetch([new Response(null, { status: 429, headers: { 'retry-after': '50' } })]);
    const clock = fakeClock();
    const transport = createTransport({ fetch, clock, retry: { maxElapsedMs: 10_000 } });
    const response = await transport.send({ method: 'GET', url: URL_A });
    expect(response.status).toBe(429);
    expect(clock.sleeps).toEqual([]);
  });

  test('connection resets are retried; exhausting them gives a TransportError naming the cause', async () => {
    const fetch = scriptedFetch([connectionError('ECONNRESET'), new Response('ok', { status: 200 })]);
    const clock = fakeClock();
    const response = await createTransport({ fetch, clock }).send({ method: 'GET', url: URL_A });
    expect(response.status).toBe(200);

    const failing = scriptedFetch([], connectionError('UND_ERR_SOCKET', 'other side closed'));
    const error = await createTransport({ fetch: failing, clock: fakeClock(), retry: { maxRetries: 2 } })
      .send({ method: 'GET', url: URL_A })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/after 3 attempts.*other side closed \(UND_ERR_SOCKET\)/);
    expect((error as TransportError).message).toContain('GET https://registry.example/v2/charts/demo/blobs/uploads/');
    // The transport serves registries and chart repositories: it words nothing for either.
    expect((error as TransportError).message).not.toMatch(/registry(?!\.example)|repository/i);
    expect(failing.calls).toHaveLength(3);
  });

  test('errors that do not heal (TLS verification) and client errors are not retried', async () => {
    const tls = scriptedFetch([connectionError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')]);
    await expect(createTransport({ fetch: tls, clock: fakeClock() }).send({ method: 'GET', url: URL_A })).rejects.toThrow(
      /self-signed certificate/,
    );
    expect(tls.calls).toHaveLength(1);

    const bad = scriptedFetch([new Response(null, { status: 400 })]);
    expect((await createTransport({ fetch: bad, clock: fakeClock() }).send({ method: 'GET', url: URL_A })).status).toBe(400);
    expect(bad.calls).toHaveLength(1);
  });

  test('an attempt that stalls past the timeout is aborted and retried', async () => {
    let calls = 0;
    const fetch = scriptedFetch([], (_call, signal) => {
      calls++;
      if (calls === 1) {
        return new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason as Error));
        });
      }
      return new Response('late but fine');
    });
    const response = await createTransport({ fetch, clock: fakeClock(), timeoutMs: 20 }).send({ method: 'GET', url: URL_A });
    expect(new TextDecoder().decode(response.body)).toBe('late but fine');
    expect(calls).toBe(2);
  });

  test("a caller's abort is not retried", async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch([], (_call, signal) => {
      controller.abort(new Error('cancelled by caller'));
      return Promise.reject(signal?.reason as Error);
    });
    await expect(
      createTransport({ fetch, clock: fakeClock() }).send({ method: 'GET', url: URL_A, signal: controller.signal }),
    ).rejects.toThrow(/cancelled by caller/);
    expect(fetch.calls).toHaveLength(1);
  });

  test('a body over the limit fails at once', async () => {
    const fetch = scriptedFetch([new Response('x'.repeat(100))]);
    await expect(createTransport({ fetch, clock: fakeClock() }).send({ method: 'GET', url: URL_A, maxResponseBytes: 10 })).rejects.toThrow(
      /larger than the 10-byte limit/,
    );
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('redirects', () => {
  const withAuth = { authorization: 'Bearer secret-token', accept: 'application/json' };

  test('Authorization is dropped when a redirect leaves the origin, kept on the same origin', async () => {
    const fetch = scriptedFetch([
      new Response(null, { status: 307, headers: { location: '/v2/charts/demo/blobs/other' } }),
      new Response(null, { status: 302, headers: { location: 'https://storage.example:8443/blob?sig=1' } }),
      new Response(null, { status: 302, headers: { location: 'https://registry.example/back' } }),
      new Response('blob'),
    ]);
    const response = await createTransport({ fetch, clock: fakeClock() }).send({ method: 'GET', url: URL_A, headers: withAuth });
    expect(fetch.calls.map((c) => [c.url, c.headers.authorization])).toEqual([
      [URL_A.href, 'Bearer secret-token'],
      ['https://registry.example/v2/charts/demo/blobs/other', 'Bearer secret-token'],
      ['https://storage.example:8443/blob?sig=1', undefined],
      // Once the chain has left the origin, coming back does not restore the credentials.
      ['https://registry.example/back', undefined],
    ]);
    expect(fetch.calls[2]?.headers.accept).toBe('application/json');
    expect(response.leftOrigin).toBe(true);
    expect(response.url.href).toBe('https://registry.example/back');
  });

  test('a different port is a different origin', async () => {
    const fetch = scriptedFetch([
      new Response(null, { status: 308, headers: { location: 'https://registry.example:444/x' } }),
      new Response('x'),
    ]);
    await createTransport({ fetch, clock: fakeClock() }).send({ method: 'GET', url: URL_A, headers: withAuth });
    expect(fetch.calls[1]?.headers.authorization).toBeUndefined();
  });

  test('https → http is refused before anything is sent to the http URL', async () => {
    const fetch = scriptedFetch([new Response(null, { status: 301, headers: { location: 'http://registry.example/v2/x' } })]);
    await expect(createTransport({ fetch, clock: fakeClock() }).send({ method: 'GET', url: URL_A, headers: withAuth })).rejects.toThrow(
      /Refusing a redirect from https to http/,
    );
    expect(fetch.calls).toHaveLength(1);
  });

  test('303 turns a PUT into a GET without body; 307 keeps method and body', async () => {
    const fetch = scriptedFetch([
      new Response(null, { status: 307, headers: { location: '/again' } }),
      new Response(null, { status: 303, headers: { location: '/done' } }),
      new Response('done'),
    ]);
    const body = new TextEncoder().encode('payload');
    await createTransport({ fetch, clock: fakeClock() }).send({
      method: 'PUT',
      url: URL_A,
      body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(fetch.calls.map((c) => [c.method, c.body && new TextDecoder().decode(c.body), c.headers['content-type']])).toEqual([
      ['PUT', 'payload', 'application/octet-stream'],
      ['PUT', 'payload', 'application/octet-stream'],
      ['GET', undefined, undefined],
    ]);
  });

  test('redirect loops end', async () => {
    const fetch = scriptedFetch([], new Response(null, { status: 302, headers: { location: '/loop' } }));
    await expect(createTransport({ fetch, clock: fakeClock(), maxRedirects: 3 }).send({ method: 'GET', url: URL_A })).rejects.toThrow(
      /Too many redirects/,
    );
    expect(fetch.calls).toHaveLength(4);
  });

  test('every request says who we are', async () => {
    const fetch = scriptedFetch([new Response('')]);
    await createTransport({ fetch, clock: fakeClock(), userAgent: 'oci-chart-publish/1.2.3' }).send({ method: 'GET', url: URL_A });
    expect(fetch.calls[0]?.headers['user-agent']).toBe('oci-chart-publish/1.2.3');
  });
});
