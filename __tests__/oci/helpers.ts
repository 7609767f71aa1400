import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCredentialResolver, type CredentialResolver } from '../../src/oci/credentials.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';

/** Credentials given as the action's inputs for one host, nothing else looked at. */
export function inputCredentials(host: string, username: string, password: string, logger: Logger = silentLogger): CredentialResolver {
  return createCredentialResolver({
    explicit: { host, username, password },
    env: {},
    homeDir: '/nonexistent-home',
    processRunner: createProcessRunner(),
    logger,
  });
}

/**
 * Runs one of `child/*.ts` in a fresh Node process (so NODE_EXTRA_CA_CERTS takes effect), loading
 * the TypeScript sources through the benchmarks' hooks.
 */
export async function runChild(script: string, args: string[], env: Record<string, string>): Promise<Record<string, unknown>> {
  const hook = fileURLToPath(new URL('../../scripts/ts-hooks.js', import.meta.url));
  const file = fileURLToPath(new URL(`./child/${script}`, import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', hook, file, ...args],
    { env: { ...process.env, ...env }, timeout: 60_000 },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}
