import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, visibleLog, type ActionRun } from '../support/action-runner.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { GIT_TEST_ENV, GitRepo } from '../support/git-repo.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { startStallingServer } from '../support/stalling-server.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * The run's deadline (input "timeout") through the bundle: whatever stalls — the registry, the
 * git remote, the GitHub API — the run ends near its limit with valid outputs, a summary, a
 * message naming what was in flight, a failed step, and nothing pushed.
 */

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => registry?.stop());

/** Repositories the real registry holds: empty when nothing was pushed. */
async function catalog(): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/_catalog`);
  return ((await response.json()) as { repositories: string[] }).repositories;
}

function errorLines(run: ActionRun): string[] {
  return visibleLog(run.stdout)
    .split('\n')
    .filter((line) => line.startsWith('::error'));
}

describe('the run deadline', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: registry.url, rules: [{ fault: { kind: 'stall', ms: 10 * 60_000 } }] });
  });
  afterAll(async () => proxy?.close());

  it('a stalling registry with 100 charts and timeout: 1 ends with outputs, a summary, what was in flight, and nothing pushed', async () => {
    const ws = tempDir('ocp-deadline-');
    for (let i = 0; i < 100; i++) writeTree(ws, chartFiles(`charts/c${String(i).padStart(3, '0')}`, `c${String(i).padStart(3, '0')}`));
    const run = await runAction({
      workspace: ws,
      inputs: {
        registry: `oci://${proxy.host}/acme`,
        'plain-http': 'true',
        discover: 'all',
        'dry-run': 'false',
        timeout: '1',
        'output-dir': join(ws, 'out'),
      },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    // Valid JSON, one object per chart, none published.
    expect(run.charts).toHaveLength(100);
    expect(new Set(run.charts.map((c) => c.status))).toEqual(new Set(['failed']));
    expect(run.charts.filter((c) => c.reason?.includes(`the run's time limit (input "timeout": 1 minute(s)) was reached`)).length).toBe(
      100,
    );
    // The charts in flight name their request; the others were never started.
    expect(run.charts.filter((c) => c.reason?.startsWith('not started: ')).length).toBeGreaterThan(0);
    expect(run.outputs.published).toBe('');
    const message = errorLines(run).at(-1) ?? '';
    expect(message).toContain(`::error::The run was stopped: the run's time limit (input "timeout": 1 minute(s)) was reached`);
    expect(message).toContain('100 of 100 chart(s) not finished (c000, c001,');
    expect(message).toMatch(new RegExp(`Still in flight: [A-Z]+ http://${proxy.host.replace('.', '\\.')}/v2/`));
    expect(message).toContain('Nothing more was pushed');
    expect(run.summary).toContain('| c000 | 0.1.0 |');
    expect(run.summary).toContain("the run's time limit");
    expect(proxy.requests.filter((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'PATCH')).toEqual([]);
    expect(await catalog()).toEqual([]);
  }, 180_000);

  it('a git remote that never answers: the fetch is stopped and named, outputs are written', async () => {
    const silent = await startStallingServer('silent');
    try {
      const origin = GitRepo.create();
      const base = origin.commit('one', chartFiles('charts/a', 'a'));
      const head = origin.commit('two', chartFiles('charts/a', 'a', '0.2.0'));
      const clone = GitRepo.clone(origin, { depth: 1 });
      clone.git('remote', 'set-url', 'origin', `${silent.origin}/acme/charts.git`);
      const run = await runAction({
        workspace: clone.dir,
        inputs: { registry: `oci://${registry.host}/acme`, 'plain-http': 'true', 'dry-run': 'false', timeout: '0.1' },
        event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
        env: { ...GIT_TEST_ENV, GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main' },
      });
      expect(run.exitCode, run.stdout).toBe(1);
      expect(run.outputs.charts).toBe('[]');
      expect(run.outputs.matrix).toBe('{"include":[]}');
      const message = errorLines(run).at(-1) ?? '';
      expect(message).toContain(`::error::The run was stopped: the run's time limit (input "timeout": 0.1 minute(s)) was reached`);
      expect(message).toMatch(/Still in flight: git fetch .*origin/);
      expect(run.summary).toContain("the run's time limit");
      expect(silent.connections()).toBeGreaterThan(0);
      expect(await catalog()).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('a GitHub API that never answers: the compare request is named, outputs are written', async () => {
    const silent = await startStallingServer('silent');
    try {
      const origin = GitRepo.create();
      const base = origin.commit('one', chartFiles('charts/a', 'a'));
      const head = origin.commit('two', chartFiles('charts/a', 'a', '0.2.0'));
      const clone = GitRepo.clone(origin, { depth: 1 });
      // No remote at all: discovery goes straight to the compare API.
      clone.git('remote', 'remove', 'origin');
      const run = await runAction({
        workspace: clone.dir,
        inputs: {
          registry: `oci://${registry.host}/acme`,
          'plain-http': 'true',
          'dry-run': 'false',
          timeout: '0.1',
          'github-token': 'ghs_not_a_real_token',
        },
        event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
        env: { ...GIT_TEST_ENV, GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_API_URL: `${silent.origin}/api` },
      });
      expect(run.exitCode, run.stdout).toBe(1);
      expect(run.outputs.charts).toBe('[]');
      const message = errorLines(run).at(-1) ?? '';
      expect(message).toContain(`::error::The run was stopped: the run's time limit (input "timeout": 0.1 minute(s)) was reached`);
      expect(message).toContain(`Still in flight: GET ${silent.origin}/api/repos/acme/charts/compare/`);
      expect(silent.requests.some((r) => r.startsWith('GET /api/repos/acme/charts/compare/'))).toBe(true);
      expect(await catalog()).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('an output-dir whose creation never returns (/proc/self/x) is stopped by the deadline', async () => {
    const ws = tempDir('ocp-deadline-');
    writeTree(ws, chartFiles('charts/a', 'a'));
    const run = await runAction({
      workspace: ws,
      inputs: { discover: 'all', 'dry-run': 'true', timeout: '0.1', 'output-dir': '/proc/self/x' },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.charts).toBe('[]');
    const message = errorLines(run).at(-1) ?? '';
    expect(message).toContain(`::error::The run was stopped: the run's time limit (input "timeout": 0.1 minute(s)) was reached`);
    expect(message).toContain('Still in flight: creating output-dir /proc/self/x');
  });

  it('refuses a timeout that is not a number of minutes, naming the input, with outputs', async () => {
    const ws = tempDir('ocp-deadline-');
    writeTree(ws, chartFiles('charts/a', 'a'));
    const run = await runAction({ workspace: ws, inputs: { discover: 'all', 'dry-run': 'true', timeout: '0' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Input "timeout": "0" is not a number of minutes greater than 0 and at most 360 (e.g. 30)');
    expect(run.outputs.charts).toBe('[]');
    expect(run.summary).toContain('Input "timeout"');
  });
});
