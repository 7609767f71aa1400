// Runs in a child process started with NODE_EXTRA_CA_CERTS, which Node reads only at start-up:
// pushes an artifact over https with the default global fetch and prints the outcome as JSON.
import { noCredentials, type CredentialResolver } from '../../../src/oci/credentials.js';
import { RegistryClient } from '../../../src/oci/registry-client.js';
import { makeArtifact, pushArtifact } from '../artifact.js';

const [host = '', repository = '', username, password] = process.argv.slice(2);
const credentials: CredentialResolver =
  username && password
    ? { resolve: async () => ({ username, password, source: 'the test arguments' }), describe: () => 'the test arguments' }
    : noCredentials;

try {
  const client = new RegistryClient({ credentials, retry: { maxRetries: 0 } });
  const repo = client.repository(host, repository, { push: true });
  const artifact = makeArtifact('tls-demo', '0.1.0');
  const first = await pushArtifact(repo, '0.1.0', artifact);
  const second = await pushArtifact(repo, '0.1.0', artifact);
  const fetched = await repo.getManifest('0.1.0');
  process.stdout.write(JSON.stringify({ first, second, digest: fetched.descriptor.digest, expected: artifact.manifestDigest }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
}
