import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCredentialResolver } from '../../src/oci/credentials.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { RegistryError } from '../../src/oci/registry-error.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { inputCredentials } from './helpers.js';

let registry: TestRegistry;
let dockerDir: string;
beforeAll(async () => {
  registry = await startRegistry({
    mode: 'token',
    users: [
      { username: 'testuser', password: 'testpass' },
      { username: 'reader', password: 'readpass', actions: ['pull'] },
    ],
    token: { anonymousPull: true },
  });
  dockerDir = await mkdtemp(join(tmpdir(), 'oci-token-docker-'));
});
afterAll(async () => {
  await registry?.stop();
  if (dockerDir) await rm(dockerDir, { recursive: true, force: true });
});

function client(credentials = inputCredentials(registry.host, 'testuser', 'testpass'), events: RequestEvent[] = []) {
  return new RegistryClient({ plainHttp: true, credentials, onRequest: (e) => events.push(e), retry: { maxRetries: 0 } });
}

const issuedSince = (mark: number) => registry.tokenServer?.issued.slice(mark) ?? [];
const mark = () => registry.tokenServer?.issued.length ?? 0;

test('one token per scope, asked with pull,push up front, reused for the whole push', async () => {
  const start = mark();
  const events: RequestEvent[] = [];
  const c = client(undefined, events);
  const repo = c.repository(registry.host, 'charts/once', { push: true });
  await pushArtifact(repo, '1.0.0', makeArtifact('once', '1.0.0'));
  await pushArtifact(repo, '1.1.0', makeArtifact('once', '1.1.0'));

  expect(
    issuedSince(start).map(({ method, grant, user, service, scopes, access }) => ({ method, grant, user, service, scopes, access })),
  ).toEqual([
    {
      method: 'GET',
      grant: 'basic',
      user: 'testuser',
      service: 'testbed-registry',
      scopes: ['repository:charts/once:pull,push'],
      access: [{ type: 'repository', name: 'charts/once', actions: ['pull', 'push'] }],
    },
  ]);
  // The only 401 is the very first request, which tells us the host uses Bearer.
  expect(events.filter((e) => e.status === 401)).toHaveLength(1);
});

test('a second repository on a known host gets its token before the first request: no 401', async () => {
  const events: RequestEvent[] = [];
  const c = client(undefined, events);
  await pushArtifact(c.repository(registry.host, 'charts/first', { push: true }), '1.0.0', makeArtifact('first', '1.0.0'));
  const before = events.length;
  const start = mark();
  await pushArtifact(c.repository(registry.host, 'charts/second', { push: true }), '1.0.0', makeArtifact('second', '1.0.0'));
  const second = events.slice(before);
  expect(second.filter((e) => e.status === 401)).toEqual([]);
  expect(second[0]?.url).toBe(registry.tokenServer?.realm);
  expect(issuedSince(start).map((t) => t.scopes)).toEqual([['repository:charts/second:pull,push']]);
});

test('a reader without push intent asks for pull only', async () => {
  const c = client();
  await pushArtifact(c.repository(registry.host, 'charts/readable', { push: true }), '1.0.0', makeArtifact('readable', '1.0.0'));
  const start = mark();
  const tags = await client().repository(registry.host, 'charts/readable').listTags();
  expect(tags).toEqual(['1.0.0']);
  expect(issuedSince(start).map((t) => t.scopes)).toEqual([['repository:charts/readable:pull']]);
});

test('refresh token (Docker identitytoken) is exchanged with a POST form grant', async () => {
  const refresh = registry.tokenServer?.refreshTokenFor('testuser') ?? '';
  await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { identitytoken: refresh } } }));
  const credentials = createCredentialResolver({
    env: { DOCKER_CONFIG: dockerDir },
    homeDir: '/nonexistent-home',
    processRunner: createProcessRunner(),
    logger: silentLogger,
  });
  const start = mark();
  await pushArtifact(
    client(credentials).repository(registry.host, 'charts/refreshed', { push: true }),
    '1.0.0',
    makeArtifact('refreshed', '1.0.0'),
  );
  expect(
    issuedSince(start).map(({ method, grant, user, clientId, service, scopes }) => ({ method, grant, user, clientId, service, scopes })),
  ).toEqual([
    {
      method: 'POST',
      grant: 'refresh_token',
      user: 'testuser',
      clientId: 'oci-chart-publish',
      service: 'testbed-registry',
      scopes: ['repository:charts/refreshed:pull,push'],
    },
  ]);
  expect(await skopeoFor(registry).listTags('charts/refreshed')).toEqual(['1.0.0']);
});

test('a registry token (Docker registrytoken) is sent as is, without asking the token service', async () => {
  const realm = new URL(registry.tokenServer?.realm ?? '');
  realm.searchParams.set('scope', 'repository:charts/direct:pull,push');
  realm.searchParams.set('service', 'testbed-registry');
  const minted = (await (await fetch(realm, { headers: { authorization: `Basic ${btoa('testuser:testpass')}` } })).json()) as {
    token: string;
  };
  await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { registrytoken: minted.token } } }));
  const credentials = createCredentialResolver({
    env: { DOCKER_CONFIG: dockerDir },
    homeDir: '/nonexistent-home',
    processRunner: createProcessRunner(),
    logger: silentLogger,
  });
  const start = mark();
  expect(
    await pushArtifact(
      client(credentials).repository(registry.host, 'charts/direct', { push: true }),
      '1.0.0',
      makeArtifact('direct', '1.0.0'),
    ),
  ).toBe('pushed');
  expect(issuedSince(start)).toEqual([]);
});

test('a pull-only user gets a clear insufficient_scope error on push, and can still read', async () => {
  const artifact = makeArtifact('guarded', '1.0.0');
  await pushArtifact(client().repository(registry.host, 'charts/guarded', { push: true }), '1.0.0', artifact);
  const reader = client(inputCredentials(registry.host, 'reader', 'readpass'));
  const repo = reader.repository(registry.host, 'charts/guarded', { push: true });
  expect((await repo.headManifest('1.0.0'))?.digest).toBe(artifact.manifestDigest);

  const error = await pushArtifact(repo, '2.0.0', makeArtifact('guarded', '2.0.0')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  expect((error as RegistryError).status).toBe(401);
  expect((error as RegistryError).message).toMatch(
    /^The registry refused the credentials from the username\/password inputs: insufficient_scope for repository:charts\/guarded:pull,push \(POST http:\/\/127\.0\.0\.1:\d+\/v2\/charts\/guarded\/blobs\/uploads\/ → HTTP 401 → UNAUTHORIZED\).*The account is not granted "pull,push" on repository charts\/guarded$/,
  );
});

test('a pull token fetched after the push token does not make push look refused; a refused push stays known', async () => {
  await pushArtifact(client().repository(registry.host, 'charts/both', { push: true }), '1.0.0', makeArtifact('both', '1.0.0'));
  // The writer reads with push intent (pull,push granted), then the same repository without it
  // (a second token, for pull only): push was never refused.
  const writer = client();
  const pushRepo = writer.repository(registry.host, 'charts/both', { push: true });
  await pushRepo.headManifest('1.0.0');
  await writer.repository(registry.host, 'charts/both').headManifest('1.0.0');
  expect(() => pushRepo.assertPushGranted()).not.toThrow();

  // The reader is refused push; reading again for pull only does not forget it.
  const reader = client(inputCredentials(registry.host, 'reader', 'readpass'));
  const guarded = reader.repository(registry.host, 'charts/both', { push: true });
  await guarded.headManifest('1.0.0');
  await reader.repository(registry.host, 'charts/both').headManifest('1.0.0');
  expect(() => guarded.assertPushGranted()).toThrow(/did not grant "push" on 127\.0\.0\.1:\d+\/charts\/both/);
});

test('wrong credentials are refused by the token service, naming the source', async () => {
  const error = await pushArtifact(
    client(inputCredentials(registry.host, 'testuser', 'not-the-password')).repository(registry.host, 'charts/denied', { push: true }),
    '1.0.0',
    makeArtifact('denied', '1.0.0'),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  expect((error as RegistryError).message).toMatch(
    /^The token service refused the credentials from the username\/password inputs \(GET http:\/\/127\.0\.0\.1:\d+\/token → HTTP 401\): invalid username or password/,
  );
  expect((error as RegistryError).message).not.toContain('not-the-password');
});

test('anonymous pull works when the token service allows it; anonymous push does not', async () => {
  await pushArtifact(client().repository(registry.host, 'charts/public', { push: true }), '1.0.0', makeArtifact('public', '1.0.0'));
  const anonymous = new RegistryClient({ plainHttp: true, retry: { maxRetries: 0 } });
  expect(await anonymous.repository(registry.host, 'charts/public').listTags()).toEqual(['1.0.0']);
  await expect(
    pushArtifact(anonymous.repository(registry.host, 'charts/public', { push: true }), '2.0.0', makeArtifact('public', '2.0.0')),
  ).rejects.toThrow(/refused anonymous access: insufficient_scope/);
});

describe('RS256 token with x5c instead of kid', () => {
  let rsa: TestRegistry;
  beforeAll(async () => {
    rsa = await startRegistry({ mode: 'token', token: { keyType: 'rsa', x5c: true } });
  });
  afterAll(async () => rsa?.stop());

  test('push', async () => {
    const c = new RegistryClient({ plainHttp: true, credentials: inputCredentials(rsa.host, 'testuser', 'testpass') });
    const artifact = makeArtifact('rsa', '1.0.0');
    expect(await pushArtifact(c.repository(rsa.host, 'charts/rsa', { push: true }), '1.0.0', artifact)).toBe('pushed');
    expect((await skopeoFor(rsa).inspectRaw('charts/rsa:1.0.0')).equals(Buffer.from(artifact.manifest))).toBe(true);
  });
});
