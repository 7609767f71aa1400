import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialResolver } from '../../src/oci/credentials.js';
import { describeError } from '../../src/shared/errors.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { runAction, visibleLog } from '../support/action-runner.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * Docker credential helpers that misbehave — exit without reading their input, cannot be
 * executed, print garbage, never exit — are real scripts on PATH named by Docker's config. Each
 * ends the run with a message naming docker-credential-<name>, never a crash: outputs and
 * summary written, the step failed, nothing pushed to the real registry.
 */

let registry: TestRegistry;
beforeAll(async () => {
  // Basic auth: the registry's challenge is what sends the action to the credential stores.
  registry = await startRegistry({ mode: 'htpasswd' });
});
afterAll(async () => registry?.stop());

/** A workspace with one chart, a bin folder with the helper, and a Docker config naming it. */
function setUp(name: string, script: string) {
  const ws = tempDir('ocp-helper-');
  writeTree(ws, chartFiles('charts/a', 'a'));
  const bin = join(ws, '.bin');
  mkdirSync(bin);
  const helper = join(bin, `docker-credential-${name}`);
  writeFileSync(helper, script);
  chmodSync(helper, 0o755);
  const docker = join(ws, '.docker');
  mkdirSync(docker);
  writeFileSync(join(docker, 'config.json'), JSON.stringify({ credsStore: name }));
  return { ws, bin, docker };
}

const CASES = [
  {
    what: 'exits without reading its input',
    name: 'no-read',
    script: '#!/bin/sh\nexec 0<&-\nexit 0\n',
    message: '"docker-credential-no-read get" did not print JSON with ServerURL, Username and Secret',
  },
  {
    what: 'cannot be executed (its #! interpreter is missing)',
    name: 'bad-interpreter',
    script: '#!/nonexistent/interpreter\n',
    message: 'docker-credential-bad-interpreter get could not be started: the file, or the interpreter its #! line names, does not exist',
  },
  {
    what: 'is not a program at all',
    name: 'not-a-program',
    script: '\u007fELF this is not an executable\n',
    message: '"docker-credential-not-a-program get" exited with code 127',
  },
  {
    what: 'prints garbage',
    name: 'garbage',
    script: '#!/bin/sh\ncat >/dev/null\nprintf "\\033[31m{{{ not json\\n"\n',
    message: '"docker-credential-garbage get" did not print JSON with ServerURL, Username and Secret',
  },
  {
    what: 'never exits (stopped by the run deadline)',
    name: 'hangs',
    script: '#!/bin/sh\nsleep 300\n',
    message: `docker-credential-hangs get was stopped: the run's time limit (input "timeout": 0.05 minute(s)) was reached`,
    timeout: '0.05',
  },
];

describe('a credential helper that misbehaves', () => {
  it.each(CASES)('$what: a message naming it, outputs, nothing pushed', async ({ name, script, message, timeout }) => {
    const { ws, bin, docker } = setUp(name, script);
    const run = await runAction({
      workspace: ws,
      inputs: {
        registry: `oci://${registry.host}/acme`,
        'plain-http': 'true',
        discover: 'all',
        'dry-run': 'false',
        'output-dir': join(ws, 'out'),
        ...(timeout ? { timeout } : {}),
      },
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: docker },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    const errors = visibleLog(run.stdout)
      .split('\n')
      .filter((line) => line.startsWith('::error'));
    expect(errors.join('\n')).toContain(message);
    expect(errors.join('\n')).toContain(`docker-credential-${name}`);
    expect(run.stdout).not.toMatch(/EPIPE|Unexpected error|at .*\(.*\.js:\d+/);
    expect(run.charts.map((c) => [c.name, c.status])).toEqual([['a', 'failed']]);
    expect(run.summary).toContain(`docker-credential-${name}`);
    const basic = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const listed = await fetch(`${registry.url}/v2/_catalog`, { headers: { authorization: `Basic ${basic}` } });
    const catalog = (await listed.json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual([]);
  });

  it('a helper that never exits is stopped at its own limit, naming it', async () => {
    const { bin, docker } = setUp('slow', '#!/bin/sh\nsleep 300\n');
    const resolver = createCredentialResolver({
      env: { PATH: `${bin}:/usr/bin:/bin`, DOCKER_CONFIG: docker },
      homeDir: tempDir('ocp-home-'),
      processRunner: createProcessRunner(),
      logger: new MemoryLogger(),
      helperTimeoutMs: 500,
    });
    const error = await resolver.resolve('registry.example').catch((e: unknown) => e);
    expect(describeError(error)).toBe(
      `credential helper docker-credential-slow (configured in Docker config ${join(docker, 'config.json')}): ` +
        'docker-credential-slow get did not finish within 500 ms and was stopped; ' +
        'run "echo registry.example | docker-credential-slow get" to see why',
    );
  });
});
