import { existsSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSourceDates } from '../../src/chart/source-date.js';
import { startDeadline } from '../../src/shared/deadline.js';
import { describeError } from '../../src/shared/errors.js';
import { createGit, nonInteractiveGitEnv } from '../../src/shared/git.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { GitRepo } from '../support/git-repo.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startStallingServer, type StallingServer } from '../support/stalling-server.js';
import { tempDir } from '../support/temp-workspace.js';

let server: StallingServer | undefined;
const saved = { ...process.env };
beforeEach(() => {
  // What a developer's or runner's settings could add: the git layer must win over them.
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  delete process.env.GIT_TERMINAL_PROMPT;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  process.env = { ...saved };
});

/** A repository whose origin is the given server (over http), with one commit. */
function repoWithRemote(origin: string): GitRepo {
  const repo = GitRepo.create();
  repo.commit('one', { 'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 0.1.0\n' });
  repo.git('remote', 'add', 'origin', `${origin}/acme/charts.git`);
  return repo;
}

describe('the git layer', () => {
  it('stops a fetch from a remote that accepts and never answers, naming the command', async () => {
    server = await startStallingServer('silent');
    const repo = repoWithRemote(server.origin);
    const git = createGit(createProcessRunner(), repo.dir, { remoteMs: 1_000, localMs: 10_000 });
    const result = await git.run(['fetch', '--quiet', 'origin', 'main']);
    expect(result.exitCode).toBe(124);
    expect(result.failure).toBe('git fetch --quiet origin main did not finish within 1 s and was stopped');
    expect(server.connections()).toBeGreaterThan(0);
    await expect(git.output(['ls-remote', 'origin'], 'listing the tags')).rejects.toThrow(
      'listing the tags: git ls-remote origin failed: git ls-remote origin did not finish within 1 s and was stopped',
    );
  });

  it('never asks for a password: no prompt, no askpass program, even when one is configured', async () => {
    server = await startStallingServer('auth');
    const repo = repoWithRemote(server.origin);
    const asked = join(tempDir('ocp-askpass-'), 'asked');
    const askpass = join(tempDir('ocp-askpass-'), 'askpass');
    writeFileSync(askpass, `#!/bin/sh\necho "$1" >> '${asked}'\necho hunter2\n`);
    chmodSync(askpass, 0o755);
    process.env.GIT_ASKPASS = askpass;
    process.env.SSH_ASKPASS = askpass;
    repo.git('config', 'core.askPass', askpass);
    const git = createGit(createProcessRunner(), repo.dir);
    const result = await git.run(['fetch', '--quiet', 'origin', 'main']);
    expect(result.exitCode).toBe(128);
    expect(result.stderr).toContain('terminal prompts disabled');
    expect(existsSync(asked)).toBe(false);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('keeps configuration pairs the environment already carries and puts ssh in batch mode', () => {
    const env = nonInteractiveGitEnv({ GIT_CONFIG_COUNT: '1', GIT_SSH_COMMAND: 'ssh -i key' });
    expect(env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GIT_SSH_COMMAND: 'ssh -i key -o BatchMode=yes',
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_1: 'core.askPass',
      GIT_CONFIG_VALUE_1: '',
      GIT_CONFIG_KEY_2: 'credential.interactive',
      GIT_CONFIG_VALUE_2: 'never',
    });
  });

  it("dating charts in a shallow clone whose remote stalls ends at the run's deadline, naming the fetch", async () => {
    server = await startStallingServer('silent');
    const origin = GitRepo.create();
    origin.commit('one', { 'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 0.1.0\n' });
    origin.commit('two', { 'README.md': 'x' });
    const clone = GitRepo.clone(origin, { depth: 1 });
    clone.git('remote', 'set-url', 'origin', `${server.origin}/acme/charts.git`);
    const deadline = startDeadline(1_500, 'input "timeout": 0.025 minute(s)');
    const error = await resolveSourceDates(['charts/a'], {
      sourceDateEpoch: undefined,
      workspace: clone.dir,
      git: createProcessRunner({ deadline }),
      logger: new MemoryLogger(),
    }).catch((e: unknown) => e);
    expect(describeError(error)).toBe(
      'git fetch --no-tags --quiet --deepen=1 was stopped: the run\'s time limit (input "timeout": 0.025 minute(s)) was reached',
    );
    expect(deadline.inFlightAtExpiry).toEqual(['git fetch --no-tags --quiet --deepen=1']);
  });
});
