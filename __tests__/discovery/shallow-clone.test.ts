import { afterEach, describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/action/event.js';
import type { ChangeRequest, CompareApi, CompareResult } from '../../src/discovery/change-request.js';
import { isFetchableName } from '../../src/discovery/commit-history.js';
import { discoverCharts } from '../../src/discovery/discover-charts.js';
import { DomainError } from '../../src/shared/errors.js';
import { GitRepo, recordingRunner } from '../support/git-repo.js';
import { chartFiles, corpusEvent } from './fixtures.js';
import { MemoryLogger } from '../support/memory-logger.js';

/**
 * actions/checkout clones one commit deep by default. These tests clone the same way
 * (`git clone --depth 1 file://…`) and check that discovery fetches what it lacks, and that it
 * asks the compare API when the remote cannot be reached.
 */

const repos: GitRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function track(repo: GitRepo): GitRepo {
  repos.push(repo);
  return repo;
}

function origin(): GitRepo {
  const repo = track(GitRepo.create());
  repo.commit('charts', {
    ...chartFiles('charts/alpha', 'alpha'),
    ...chartFiles('charts/beta', 'beta'),
    ...chartFiles('charts/gamma', 'gamma'),
  });
  return repo;
}

async function discover(repo: GitRepo, request: ChangeRequest, compareApi?: CompareApi) {
  const logger = new MemoryLogger();
  const runner = recordingRunner();
  const discovery = await discoverCharts({ workspace: repo.dir, chartsDir: ['charts'], request, runner, logger, compareApi });
  return { discovery, logger, runner, fetches: runner.calls.filter((c) => c.args[0] === 'fetch') };
}

/** A compare API that answers from the origin repository's own git, recording its calls. */
function fakeCompare(source: GitRepo, tags: string[] = []): CompareApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async compare(base, head): Promise<CompareResult> {
      calls.push(`${base}...${head}`);
      const mergeBase = source.git('merge-base', base, head);
      const names = source.git('diff', '--name-only', mergeBase, head).split('\n').filter(Boolean);
      return { mergeBase, files: names.map((path) => ({ status: 'M' as const, path })), complete: true };
    },
    async tags(prefix) {
      calls.push(`tags ${prefix}`);
      return tags.filter((t) => t.startsWith(prefix));
    },
  };
}

function isShallow(repo: GitRepo): boolean {
  return repo.git('rev-parse', '--is-shallow-repository') === 'true';
}

describe('shallow clones fetch what they lack', () => {
  it('pull request: fetches base and head, deepens in steps until the merge-base appears', async () => {
    const upstream = origin();
    const branchPoint = upstream.head();
    upstream.branch('feature');
    const head = upstream.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    upstream.checkout('main');
    // 70 commits on main: more than the first deepening step (64) reaches.
    for (let i = 0; i < 70; i++) upstream.commit(`main ${i}`, { 'charts/gamma/values.yaml': `replicas: ${i}\n` });
    const mainTip = upstream.head();
    upstream.branch('pull/1/merge');
    upstream.merge('feature');
    const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'pull/1/merge' }));
    expect(isShallow(work)).toBe(true);

    const payload = corpusEvent('pull_request.opened.payload.json');
    payload.pull_request.base.sha = mainTip;
    payload.pull_request.head.sha = head;
    const request = describeEvent({ eventName: 'pull_request', payload, sha: work.head(), ref: 'refs/pull/1/merge' });
    const { discovery, logger, fetches } = await discover(work, request);

    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/alpha']);
    expect(discovery.base).toMatchObject({ sha: branchPoint, via: 'git' });
    expect(fetches.map((c) => c.args.find((a) => a.startsWith('--depth')))).toEqual([
      '--depth=1',
      '--depth=1',
      '--depth=64',
      '--depth=512',
    ]);
    expect(logger.text()).toContain('Shallow clone: fetching 512 commits of history');
    expect(isShallow(work)).toBe(true);
  });

  it('push: fetches only the before commit (a tree comparison needs no history)', async () => {
    const upstream = origin();
    const before = upstream.head();
    for (let i = 0; i < 5; i++) upstream.commit(`beta ${i}`, { 'charts/beta/values.yaml': `replicas: ${i}\n` });
    const after = upstream.head();
    const work = track(GitRepo.clone(upstream, { depth: 1 }));
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/heads/main', before, after, created: false });
    const { discovery, fetches } = await discover(work, describeEvent({ eventName: 'push', payload, sha: after, ref: 'refs/heads/main' }));
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/beta']);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.args).toContain(before);
    expect(fetches[0]?.args).toContain('--depth=1');
  });

  it('tag: lists the remote tags and fetches the previous one', async () => {
    const upstream = origin();
    upstream.tag('v0.9.0', { message: 'annotated' });
    upstream.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    upstream.tag('v0.10.0');
    const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'v0.10.0' }));
    expect(work.git('tag', '--list')).toBe('v0.10.0');
    const request: ChangeRequest = { kind: 'tag', tag: 'v0.10.0', head: work.head(), reason: 'push of tag v0.10.0' };
    // The clone lacks the previous tag's commit until discovery fetches it.
    expect(() => work.git('cat-file', '-e', upstream.rev('v0.9.0'))).toThrow();
    const { discovery, runner, fetches } = await discover(work, request);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/gamma']);
    expect(discovery.base?.sha).toBe(upstream.rev('v0.9.0'));
    expect(runner.calls.some((c) => c.args[0] === 'ls-remote')).toBe(true);
    // One commit of the previous tag, by name, and nothing else.
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.args).toContain('--depth=1');
    expect(fetches[0]?.args.at(-1)).toBe('v0.9.0');
    expect(work.git('cat-file', '-t', upstream.rev('v0.9.0'))).toBe('commit');
  });

  it('tag: a previous tag with SemVer build metadata (v9.0.0+a) is fetched by name', async () => {
    const upstream = origin();
    upstream.tag('v9.0.0+a');
    upstream.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    upstream.tag('v9.1.0+b');
    const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'v9.1.0+b' }));
    const request: ChangeRequest = { kind: 'tag', tag: 'v9.1.0+b', head: work.head(), reason: 'push of tag v9.1.0+b' };
    const { discovery, fetches } = await discover(work, request);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/gamma']);
    expect(discovery.base?.sha).toBe(upstream.rev('v9.0.0+a'));
    expect(fetches.map((c) => c.args.at(-1))).toEqual(['v9.0.0+a']);
  });

  it.each(['+refs/heads/main', '+main'])('never fetches %s, which a leading "+" makes a forced refspec', async (base) => {
    const upstream = origin();
    const work = track(GitRepo.clone(upstream, { depth: 1 }));
    // Fetched, the remote's main would resolve; refused, the base is not in the clone.
    await expect(discover(work, { kind: 'range', base, head: work.head(), reason: 'input "base"' })).rejects.toThrow(
      `Cannot compare ${base}..`,
    );
  });

  it('tag: a clone that is whole but has no tags (deepened to its first commit by an earlier step) still finds the previous tag', async () => {
    const upstream = origin();
    upstream.tag('v1.0.0');
    upstream.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    upstream.tag('v1.1.0');
    const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'v1.1.0' }));
    // What a fetch deepening past the first commit leaves: no longer shallow, and no tag but the one checked out.
    work.git('fetch', '--no-tags', '--unshallow', '--quiet', 'origin');
    expect(work.git('rev-parse', '--is-shallow-repository')).toBe('false');
    expect(work.git('tag', '--list')).toBe('v1.1.0');
    const request: ChangeRequest = { kind: 'tag', tag: 'v1.1.0', head: work.head(), reason: 'push of tag v1.1.0' };
    const { discovery } = await discover(work, request);
    expect(discovery.base?.sha).toBe(upstream.rev('v1.0.0'));
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/gamma']);
  });

  it('new branch: fetches the default branch and finds where the branch left it', async () => {
    const upstream = origin();
    const branchPoint = upstream.head();
    upstream.branch('feature');
    upstream.commit('beta', { 'charts/beta/values.yaml': 'replicas: 2\n' });
    const head = upstream.commit('beta again', { 'charts/beta/values.yaml': 'replicas: 3\n' });
    upstream.checkout('main');
    upstream.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'feature' }));
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/heads/feature', after: head });
    payload.repository.default_branch = 'main';
    const { discovery } = await discover(work, describeEvent({ eventName: 'push', payload, sha: head, ref: 'refs/heads/feature' }));
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/beta']);
    expect(discovery.base).toMatchObject({ sha: branchPoint, tip: upstream.rev('main') });
  });

  it.each(['main:refs/tags/v9.9.9', '*:refs/tags/*', '+main', 'main~1', '-main'])(
    'new branch: a default branch "%s" in the payload is refused, never fetched as a refspec',
    async (defaultBranch) => {
      const upstream = origin();
      upstream.branch('feature');
      const head = upstream.commit('beta', { 'charts/beta/values.yaml': 'replicas: 2\n' });
      const work = track(GitRepo.clone(upstream, { depth: 1, ref: 'feature' }));
      const payload = corpusEvent('push.with-new-branch.payload.json');
      Object.assign(payload, { ref: 'refs/heads/feature', after: head });
      payload.repository.default_branch = defaultBranch;
      const request = describeEvent({ eventName: 'push', payload, sha: head, ref: 'refs/heads/feature' });
      await expect(discover(work, request)).rejects.toThrow(
        `The default branch "${defaultBranch}" (repository.default_branch of the event payload) is not a branch name`,
      );
      expect(work.git('for-each-ref', 'refs/tags')).toBe('');
    },
  );

  it('names git fetches as they are: SemVer build metadata and letters beyond ASCII, not refspec syntax', () => {
    for (const name of ['main', 'release/1.x', 'v9.0.0+a', 'übersetzung', 'chart-1.0.0_build']) expect(isFetchableName(name)).toBe(true);
    for (const name of ['main:x', '*', '+main', '-main', 'main~1', 'main^', 'a..b', '']) expect(isFetchableName(name)).toBe(false);
  });

  it('never hands a refspec given as base to git fetch', async () => {
    const upstream = origin();
    const work = track(GitRepo.clone(upstream, { depth: 1 }));
    const base = '+refs/heads/main:refs/heads/evil';
    const error = await discover(work, { kind: 'range', base, head: work.head(), reason: 'input "base"' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('Cannot compare +refs/heads/main:refs/heads/evil..');
    expect(work.git('for-each-ref', 'refs/heads/evil')).toBe('');
  });

  it('a full clone is never made shallow by a fetch', async () => {
    const upstream = origin();
    upstream.branch('feature');
    const head = upstream.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    upstream.checkout('main');
    const mainTip = upstream.commit('beta', { 'charts/beta/values.yaml': 'replicas: 2\n' });
    const work = track(GitRepo.clone(upstream, { ref: 'main' }));
    // The head commit is on a branch the clone knows only as origin/feature: present already.
    work.git('update-ref', '-d', 'refs/remotes/origin/feature');
    work.git('gc', '--quiet', '--prune=now');
    const { discovery, fetches } = await discover(work, { kind: 'merge-base', base: mainTip, head, reason: 'pull request' });
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/alpha']);
    expect(fetches.map((c) => c.args.at(-1))).toEqual([head]);
    expect(fetches.every((c) => !c.args.some((a) => a.startsWith('--depth')))).toBe(true);
    expect(isShallow(work)).toBe(false);
  });
});

describe('when the remote cannot be reached, the compare API answers', () => {
  function cutOff(work: GitRepo): GitRepo {
    work.git('remote', 'remove', 'origin');
    return work;
  }

  it('pull request', async () => {
    const upstream = origin();
    const branchPoint = upstream.head();
    upstream.branch('feature');
    const head = upstream.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    upstream.checkout('main');
    const mainTip = upstream.commit('beta', { 'charts/beta/values.yaml': 'replicas: 2\n' });
    const work = cutOff(track(GitRepo.clone(upstream, { depth: 1, ref: 'feature' })));
    const api = fakeCompare(upstream);
    const payload = corpusEvent('pull_request.synchronize.payload.json');
    payload.pull_request.base.sha = mainTip;
    payload.pull_request.head.sha = head;
    const request = describeEvent({ eventName: 'pull_request', payload, sha: head, ref: 'refs/pull/1/merge' });
    const { discovery, logger } = await discover(work, request, api);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/alpha']);
    expect(discovery.base).toMatchObject({ sha: branchPoint, via: 'compare-api', tip: mainTip });
    expect(api.calls).toEqual([`${mainTip}...${head}`]);
    expect(logger.text()).toMatch(/Asking the GitHub compare API for .* because git fetch origin .* failed/);
  });

  it('push', async () => {
    const upstream = origin();
    const before = upstream.head();
    const after = upstream.commit('gamma', { 'charts/gamma/templates/deployment.yaml': 'kind: Deployment # 2\n' });
    const work = cutOff(track(GitRepo.clone(upstream, { depth: 1 })));
    const api = fakeCompare(upstream);
    const { discovery } = await discover(work, { kind: 'range', base: before, head: after, reason: 'push to main' }, api);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/gamma']);
    expect(discovery.base?.via).toBe('compare-api');
  });

  it('tag: the API lists the series and compares with the previous tag', async () => {
    const upstream = origin();
    upstream.tag('v2.0.0');
    upstream.commit('beta', { 'charts/beta/values.yaml': 'replicas: 2\n' });
    upstream.tag('v2.1.0');
    const work = cutOff(track(GitRepo.clone(upstream, { depth: 1, ref: 'v2.1.0' })));
    const api = fakeCompare(upstream, ['v2.0.0', 'v2.1.0', 'v10.0.0-rc.1']);
    const request: ChangeRequest = { kind: 'tag', tag: 'v2.1.0', head: work.head(), reason: 'push of tag v2.1.0' };
    const { discovery } = await discover(work, request, api);
    // v2.1.0 and 2.1.0 are one series (prefix ""): the API lists every tag.
    expect(api.calls).toEqual(['tags ', `v2.0.0...${work.head()}`]);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/beta']);
  });

  it('without github-token the error says how to fix it', async () => {
    const upstream = origin();
    const before = upstream.head();
    const after = upstream.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    const work = cutOff(track(GitRepo.clone(upstream, { depth: 1 })));
    const error = await discover(work, { kind: 'range', base: before, head: after, reason: 'push' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as Error).message).toMatch(/Cannot compare .*: git fetch origin .* failed: .*give it "github-token"/);
    // git's own reason, not the last line of its advice ("and the repository exists.").
    expect((error as Error).message).toMatch(/failed: fatal: 'origin' does not appear to be a git repository/);
  });

  it('a file list the API cut short selects all charts, with a warning', async () => {
    const upstream = origin();
    const before = upstream.head();
    const after = upstream.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    const work = cutOff(track(GitRepo.clone(upstream, { depth: 1 })));
    const api: CompareApi = {
      compare: async () => ({ mergeBase: before, files: [], complete: false }),
      tags: async () => [],
    };
    const { discovery, logger } = await discover(work, { kind: 'range', base: before, head: after, reason: 'push' }, api);
    expect(discovery.charts.map((c) => c.dir)).toEqual(['charts/alpha', 'charts/beta', 'charts/gamma']);
    expect(logger.entries.some((l) => l.level === 'warning' && l.message.includes('at most 300 changed files'))).toBe(true);
  });
});
