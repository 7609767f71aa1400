import { describe, expect, it } from 'vitest';
import { withRepositoryCredentials } from '../../src/dependencies/index.js';
import type { CredentialResolver } from '../../src/oci/index.js';
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
});
