import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/action-runner.js';
import { corpusPath } from '../support/corpus.js';
import { GitRepo, GIT_TEST_ENV } from '../support/git-repo.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

/**
 * The bundle driven by real GitHub webhook payloads (__tests__/corpus/events, SHAs and refs
 * adapted to a repository built by the test), in a depth-1 clone as actions/checkout makes it.
 */

function payload(name: string): Record<string, any> {
  return JSON.parse(readFileSync(corpusPath('events', name), 'utf8'));
}

const chart = (name: string, version: string, note = 'v1') => ({
  [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${version}\n`,
  [`charts/${name}/templates/configmap.yaml`]: `kind: ConfigMap\ndata:\n  note: ${note}\n`,
});

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'htpasswd' });
});
afterAll(async () => {
  await registry?.stop();
});

function registryInputs(namespace: string) {
  return {
    registry: `oci://${registry.host}/${namespace}`,
    'plain-http': 'true',
    username: registry.username!,
    password: registry.password!,
  };
}

describe('pull request: a real dry-run', () => {
  it('selects the changed charts, checks version bumps and the registry, annotates the lines', async () => {
    const namespace = `pr${process.pid}`;
    const origin = GitRepo.create();
    const base = origin.commit('charts', { ...chart('alpha', '1.0.0'), ...chart('beta', '1.0.0'), ...chart('gamma', '1.0.0') });
    origin.branch('feature');
    origin.checkout('feature');
    // alpha: changed and bumped; beta: changed without a bump; delta: new, but its version is
    // already in the registry with other content; gamma: untouched.
    const head = origin.commit('work', {
      ...chart('alpha', '1.1.0', 'v2'),
      ...chart('beta', '1.0.0', 'v2'),
      ...chart('delta', '0.1.0', 'mine'),
    });
    // Someone else published delta 0.1.0 before.
    const other = GitRepo.create();
    other.commit('delta', chart('delta', '0.1.0', 'theirs'));
    expect(
      (await runAction({ workspace: other.dir, inputs: { charts: 'charts/delta', 'dry-run': 'false', ...registryInputs(namespace) } }))
        .exitCode,
    ).toBe(0);

    const checkout = GitRepo.clone(origin, { depth: 1, ref: 'feature' });
    const event = payload('pull_request.opened.payload.json');
    event.pull_request.base.sha = base;
    event.pull_request.base.ref = 'main';
    event.pull_request.head.sha = head;
    event.pull_request.head.ref = 'feature';
    event.repository.default_branch = 'main';

    const run = await runAction({
      workspace: checkout.dir,
      event: { name: 'pull_request', payload: event },
      inputs: registryInputs(namespace),
      env: { ...GIT_TEST_ENV, GITHUB_SHA: head, GITHUB_REF: `refs/pull/${event.number}/merge` },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.charts.map((c) => [c.name, c.status])).toEqual([
      ['alpha', 'dry-run'],
      ['beta', 'failed'],
      ['delta', 'failed'],
    ]);
    expect(run.stdout).toMatch(/::error title=Version not bumped,file=charts\/beta\/Chart.yaml,line=3::.*1\.0\.0/);
    expect(run.stdout).toMatch(
      /::error title=delta 0\.1\.0,file=charts\/delta\/Chart.yaml,line=3::.*already published as sha256:[0-9a-f]{64} with different chart content/,
    );
    expect(run.stdout).toContain('charts/alpha: changed:');
    expect(run.outputs.published).toBe('');
    expect(JSON.parse(run.outputs.matrix!).include.map((c: { name: string }) => c.name)).toEqual(['alpha', 'beta', 'delta']);
    expect(run.summary).toContain('**Dry run**: nothing was pushed');
    expect(run.summary).toMatch(/Selection: .*pull request #2/);
  });
});

describe('push and tag events: publishing', () => {
  it('a push to main publishes only what changed; a chart-named tag publishes that chart alone', async () => {
    const namespace = `push${process.pid}`;
    const origin = GitRepo.create();
    const before = origin.commit('charts', { ...chart('alpha', '1.0.0'), ...chart('beta', '1.0.0') });
    const after = origin.commit('alpha 1.1.0', chart('alpha', '1.1.0', 'v2'));
    const checkout = GitRepo.clone(origin, { depth: 1, ref: 'main' });
    const event = payload('push.with-new-branch.payload.json');
    Object.assign(event, { ref: 'refs/heads/main', before, after, created: false, forced: false });
    event.repository.default_branch = 'main';

    const run = await runAction({
      workspace: checkout.dir,
      event: { name: 'push', payload: event },
      inputs: registryInputs(namespace),
      env: { ...GIT_TEST_ENV, GITHUB_SHA: after, GITHUB_REF: 'refs/heads/main' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.version, c.status])).toEqual([['alpha', '1.1.0', 'published']]);
    expect(run.outputs.published).toBe(`${registry.host}/${namespace}/alpha:1.1.0@${run.charts[0]!.digest}`);
    expect(run.summary).toContain(`helm pull oci://${registry.host}/${namespace}/alpha --version 1.1.0`);

    // Tag beta-1.0.0: selects beta alone (no other tag of the series exists).
    origin.tag('beta-1.0.0');
    const tagged = GitRepo.clone(origin, { depth: 1, ref: 'beta-1.0.0' });
    const tagEvent = {
      ...event,
      ref: 'refs/tags/beta-1.0.0',
      before: '0000000000000000000000000000000000000000',
      after,
      created: true,
      base_ref: null,
    };
    const release = await runAction({
      workspace: tagged.dir,
      event: { name: 'push', payload: tagEvent },
      inputs: registryInputs(namespace),
      env: { ...GIT_TEST_ENV, GITHUB_SHA: after, GITHUB_REF: 'refs/tags/beta-1.0.0' },
    });
    expect(release.exitCode, release.stdout).toBe(0);
    expect(release.charts.map((c) => [c.name, c.status])).toEqual([['beta', 'published']]);
  });

  it('fails loudly when charts-dir matches no chart', async () => {
    const origin = GitRepo.create();
    origin.commit('charts', chart('alpha', '1.0.0'));
    const run = await runAction({
      workspace: origin.dir,
      inputs: { 'charts-dir': 'helm', discover: 'all', 'dry-run': 'true' },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::Input "charts-dir": .*helm/);
    expect(run.outputs.charts).toBe('[]');
  });
});
