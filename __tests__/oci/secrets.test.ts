import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCredentialResolver } from '../../src/oci/credentials.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { MemoryLogger } from '../support/memory-logger.js';

/**
 * Pushes with a logger that records every line at debug level, then looks for each secret in
 * what was logged (it must be absent) and in what was masked (it must be present).
 */

const b64 = (text: string) => Buffer.from(text).toString('base64');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oci-secrets-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function pushWithDockerConfig(registry: TestRegistry, entry: Record<string, string>, logger: MemoryLogger, repository: string) {
  const configDir = await mkdtemp(join(dir, 'docker-'));
  await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: entry } }));
  const credentials = createCredentialResolver({
    env: { DOCKER_CONFIG: configDir },
    homeDir: join(dir, 'no-home'),
    processRunner: createProcessRunner(),
    logger,
  });
  const client = new RegistryClient({ plainHttp: true, credentials, logger });
  const repo = client.repository(registry.host, repository, { push: true });
  await pushArtifact(repo, '1.0.0', makeArtifact(repository, '1.0.0'));
  await pushArtifact(repo, '1.0.0', makeArtifact(repository, '1.0.0'));
}

function expectHidden(logger: MemoryLogger, secrets: string[]) {
  expect(logger.lines.length).toBeGreaterThan(5);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    expect(logger.masked, `"${secret}" was not masked`).toContain(secret);
    for (const line of logger.lines) expect(line, 'a secret reached the log').not.toContain(secret);
  }
}

describe('Basic credentials', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'htpasswd', users: [{ username: 'alice', password: 'alice-Sup3r-secret' }] });
  });
  afterAll(async () => registry?.stop());

  test('password, config auth value and Authorization value are masked and never logged', async () => {
    const logger = new MemoryLogger();
    await pushWithDockerConfig(registry, { auth: b64('alice:alice-Sup3r-secret') }, logger, 'charts/basic');
    expectHidden(logger, ['alice-Sup3r-secret', b64('alice:alice-Sup3r-secret')]);
    expect(logger.lines.some((line) => line.includes('asks for Basic credentials'))).toBe(true);
  });
});

describe('Bearer tokens', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'token', users: [{ username: 'bob', password: 'bob-Sup3r-secret' }] });
  });
  afterAll(async () => registry?.stop());

  test('with a password: password, Basic value for the token service and every token', async () => {
    const logger = new MemoryLogger();
    const before = registry.tokenServer?.issued.length ?? 0;
    await pushWithDockerConfig(registry, { auth: b64('bob:bob-Sup3r-secret') }, logger, 'charts/bearer');
    const tokens = registry.tokenServer?.issued.slice(before).map((t) => t.token) ?? [];
    expect(tokens).toHaveLength(1);
    expectHidden(logger, ['bob-Sup3r-secret', b64('bob:bob-Sup3r-secret'), ...tokens]);
    expect(logger.lines.some((line) => line.includes('asks for a Bearer token'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('fetching a token for repository:charts/bearer:pull,push'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('using the cached token'))).toBe(true);
  });

  test('with a refresh token: the refresh token and every token', async () => {
    const logger = new MemoryLogger();
    const refresh = registry.tokenServer?.refreshTokenFor('bob') ?? '';
    const before = registry.tokenServer?.issued.length ?? 0;
    await pushWithDockerConfig(registry, { identitytoken: refresh }, logger, 'charts/refresh');
    const tokens = registry.tokenServer?.issued.slice(before).map((t) => t.token) ?? [];
    expect(tokens).toHaveLength(1);
    expectHidden(logger, [refresh, ...tokens]);
  });
});
