import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startRegistry, type RegistryMode, type TestRegistry } from '../support/registry.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { inputCredentials } from './helpers.js';

/**
 * HTTP requests per artifact (config + one layer), counted with the client's onRequest hook,
 * for the publishing sequence: HEAD manifest by tag, POST+PUT per blob, PUT manifest by tag.
 */

function counted(registry: TestRegistry) {
  const events: RequestEvent[] = [];
  const credentials = registry.username ? inputCredentials(registry.host, registry.username, registry.password ?? '') : undefined;
  const client = new RegistryClient({ plainHttp: true, credentials, onRequest: (e) => events.push(e) });
  return {
    events,
    async push(repository: string, version: string) {
      const before = events.length;
      await pushArtifact(client.repository(registry.host, repository, { push: true }), version, makeArtifact(repository, version));
      return events.slice(before);
    },
  };
}

const shape = (events: RequestEvent[]) => events.map((e) => `${e.method} ${e.status}`);

describe('plain registry', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'plain' });
    proxy = await startFaultProxy({ target: registry.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  test('new artifact: 6 requests; unchanged: 1 — as the registry saw them too', async () => {
    // Through a fault proxy without faults, so the registry side is counted independently.
    const events: RequestEvent[] = [];
    const client = new RegistryClient({ plainHttp: true, onRequest: (e) => events.push(e) });
    const repo = client.repository(proxy.host, 'charts/counted', { push: true });
    const artifact = makeArtifact('counted', '1.0.0');

    expect(await pushArtifact(repo, '1.0.0', artifact)).toBe('pushed');
    expect(shape(events)).toEqual(['HEAD 404', 'POST 202', 'PUT 201', 'POST 202', 'PUT 201', 'PUT 201']);
    expect(proxy.count()).toBe(6);

    expect(await pushArtifact(repo, '1.0.0', artifact)).toBe('unchanged');
    expect(shape(events.slice(6))).toEqual(['HEAD 200']);
    expect(proxy.count()).toBe(7);
  });
});

describe.each<[RegistryMode, number]>([
  ['htpasswd', 0],
  ['token', 1],
])('%s registry', (mode, tokenRequests) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode });
  });
  afterAll(async () => registry?.stop());

  test(`first contact pays one 401; after that a new artifact takes ${6 + tokenRequests} requests and an unchanged one 1`, async () => {
    const c = counted(registry);
    const first = await c.push('charts/first', '1.0.0');
    expect(first.filter((e) => e.status === 401)).toHaveLength(1);
    expect(first).toHaveLength(7 + tokenRequests);

    // Another repository on the same host: credentials (or a token for the new scope) go out
    // with the first request.
    const second = await c.push('charts/second', '1.0.0');
    expect(shape(second)).toEqual([
      ...(tokenRequests ? ['GET 200'] : []),
      'HEAD 404',
      'POST 202',
      'PUT 201',
      'POST 202',
      'PUT 201',
      'PUT 201',
    ]);

    const unchanged = await c.push('charts/second', '1.0.0');
    expect(shape(unchanged)).toEqual(['HEAD 200']);
  });
});

describe('first contact with a registry that needs a login', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'token' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  test('concurrent first requests share one 401: the others wait for the challenge', async () => {
    const { events, push } = counted(registry);
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => push(`charts/concurrent-${name}`, '1.0.0')));
    expect(events.filter((e) => e.status === 401)).toHaveLength(1);
    // Each repository: one token, HEAD, POST+PUT twice, PUT manifest — plus the single 401.
    expect(events).toHaveLength(4 * 7 + 1);
  });
});
