import { describe, expect, it } from 'vitest';
import { withRepositoryCredentials } from '../../src/dependencies/repository-credentials.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { CredentialResolver } from '../../src/oci/credentials.js';
import { scriptedFetch } from '../oci/fakes.js';
import { MemoryLogger } from '../support/memory-logger.js';

const pushStores: CredentialResolver = {
  resolve: async (host) => (host === 'ghcr.io' ? { username: 'actor', password: 'gh-token', source: 'the github-token input' } : undefined),
  describe: () => 'Helm registry config, Docker config',
};

describe('credentials for oci:// dependencies', () => {
  it('takes the dependency-credentials line for the host first, then the stores the push uses', async () => {
    const logger = new MemoryLogger();
    const resolver = withRepositoryCredentials(
      pushStores,
      [
        { prefix: 'https://charts.example.com', username: 'web', password: 'not-for-oci' },
        { prefix: 'oci://Registry.Example.com:5000/team', username: 'robot', password: 'r0bot' },
        { prefix: 'oci://ghcr.io/other-org', username: 'bot', password: 'pat' },
      ],
      logger,
    );
    expect(await resolver.resolve('registry.example.com:5000')).toEqual({
      username: 'robot',
      password: 'r0bot',
      source: 'the dependency-credentials line for oci://Registry.Example.com:5000/team',
    });
    expect(await resolver.resolve('ghcr.io')).toMatchObject({ username: 'bot', password: 'pat' });
    expect(await resolver.resolve('charts.example.com')).toBeUndefined();
    expect(logger.masked).toEqual(expect.arrayContaining(['r0bot', 'pat']));
    expect(resolver.describe('x')).toBe('dependency-credentials (oci:// lines), Helm registry config, Docker config');

    const storesOnly = withRepositoryCredentials(pushStores, [], logger);
    expect(await storesOnly.resolve('ghcr.io')).toMatchObject({ source: 'the github-token input' });
    // Public registries: nothing anywhere means anonymous access.
    expect(await withRepositoryCredentials(undefined, [], logger).resolve('registry-1.docker.io')).toBeUndefined();
  });

  it('matches a Docker Hub line by any of its names, as the client asks for registry-1.docker.io', async () => {
    const logger = new MemoryLogger();
    const resolver = withRepositoryCredentials(
      undefined,
      [{ prefix: 'oci://docker.io/acme', username: 'hub', password: 'hub-pat' }],
      logger,
    );
    for (const host of ['docker.io', 'registry-1.docker.io', 'index.docker.io']) {
      expect(await resolver.resolve(host)).toMatchObject({ username: 'hub', password: 'hub-pat' });
    }
    expect(await resolver.resolve('ghcr.io')).toBeUndefined();

    const basic = `Basic ${btoa('hub:hub-pat')}`;
    const fetch = scriptedFetch([], (call) =>
      call.headers.authorization === basic
        ? Response.json({ tags: ['1.0.0'] })
        : new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="hub"' } }),
    );
    const client = new RegistryClient({ fetch, credentials: resolver, retry: { maxRetries: 0 } });
    expect(await client.repository('docker.io', 'acme/lib').listTags()).toEqual(['1.0.0']);
    expect(fetch.calls.map((c) => [new URL(c.url).host, c.headers.authorization])).toEqual([
      ['registry-1.docker.io', undefined],
      ['registry-1.docker.io', basic],
    ]);
  });
});
