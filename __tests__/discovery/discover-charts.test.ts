import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/action/event.js';
import type { ChangeRequest } from '../../src/discovery/change-request.js';
import { discoverCharts, type Discovery } from '../../src/discovery/discover-charts.js';
import { ChartError, DomainError, InputError } from '../../src/shared/errors.js';
import { GitRepo, recordingRunner } from '../support/git-repo.js';
import { chartFiles, chartYaml, corpusEvent, fileDependency } from './fixtures.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { corpusPath } from '../support/corpus.js';

const repos: GitRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function track(repo: GitRepo): GitRepo {
  repos.push(repo);
  return repo;
}

/**
 * charts/alpha (with subchart charts/alpha/charts/sub), charts/beta → file://../common,
 * charts/common, charts/gamma → file://../beta, charts/team/delta → file://../../../libs/base,
 * libs/base (a chart outside charts-dir), README.md.
 */
function monorepo(): GitRepo {
  const repo = track(GitRepo.create());
  repo.commit('initial charts', {
    ...chartFiles('charts/alpha', 'alpha'),
    ...chartFiles('charts/alpha/charts/sub', 'sub'),
    ...chartFiles('charts/beta', 'beta', '0.1.0', fileDependency('common', '../common')),
    ...chartFiles('charts/common', 'common'),
    ...chartFiles('charts/gamma', 'gamma', '0.1.0', fileDependency('beta', '../beta')),
    ...chartFiles('charts/team/delta', 'delta', '0.1.0', fileDependency('base', '../../../libs/base')),
    ...chartFiles('libs/base', 'base'),
    'README.md': '# charts\n',
  });
  return repo;
}

async function discover(repo: GitRepo, request: ChangeRequest, chartsDir: string[] = ['charts']) {
  const logger = new MemoryLogger();
  const runner = recordingRunner();
  const discovery = await discoverCharts({ workspace: repo.dir, chartsDir, request, runner, logger });
  return { discovery, logger, runner };
}

/** The files of a corpus folder, as they would be committed under `at`. */
function corpusTree(folder: string, at: string): Record<string, string> {
  const dir = corpusPath(folder);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[`${at}/${relative(dir, path).split('\\').join('/')}`] = readFileSync(path, 'utf8');
  }
  return files;
}

function selected(discovery: Discovery): string[] {
  return discovery.charts.map((c) => c.dir);
}

function reasonsOf(discovery: Discovery, dir: string) {
  return discovery.charts.find((c) => c.dir === dir)?.reasons;
}

describe('pull_request and merge_group: merge-base..head', () => {
  it.each(['pull_request.opened.payload.json', 'pull_request.synchronize.payload.json'])(
    '%s selects what the branch changed, not what main did since',
    async (file) => {
      const repo = monorepo();
      repo.branch('feature');
      repo.commit('alpha values', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
      const head = repo.head();
      const branchPoint = repo.rev('main');
      repo.checkout('main');
      const mainTip = repo.commit('gamma on main', { 'charts/gamma/values.yaml': 'replicas: 3\n' });

      const payload = corpusEvent(file);
      payload.pull_request.base.sha = mainTip;
      payload.pull_request.head.sha = head;
      payload.pull_request.base.ref = 'main';
      payload.pull_request.head.ref = 'feature';
      const request = describeEvent({ eventName: 'pull_request', payload, sha: head, ref: 'refs/pull/2/merge' });
      const { discovery, logger, runner } = await discover(repo, request);

      expect(selected(discovery)).toEqual(['charts/alpha']);
      expect(reasonsOf(discovery, 'charts/alpha')).toEqual([{ kind: 'changed', files: ['charts/alpha/values.yaml'] }]);
      expect(discovery.base).toMatchObject({ sha: branchPoint, head, tip: mainTip, via: 'git' });
      expect(logger.text()).toContain(`merge-base ${branchPoint.slice(0, 12)}`);
      expect(logger.text()).toContain('charts/alpha: changed: charts/alpha/values.yaml');
      // One diff for the whole repository, no per-chart git calls.
      expect(runner.calls.filter((c) => c.args[0] === 'diff')).toHaveLength(1);
      expect(runner.calls.length).toBeLessThanOrEqual(8);
    },
  );

  it('merge_group compares the queued merge commit with its base', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.branch('gh-readonly-queue/main/pr-7');
    const head = repo.commit('queued', { 'charts/team/delta/templates/service.yaml': 'kind: Service\n' });
    const payload = {
      merge_group: { base_sha: base, head_sha: head, base_ref: 'refs/heads/main', head_ref: 'gh-readonly-queue/main/pr-7' },
    };
    const { discovery } = await discover(repo, describeEvent({ eventName: 'merge_group', payload, sha: head, ref: '' }));
    expect(selected(discovery)).toEqual(['charts/team/delta']);
    expect(discovery.base?.sha).toBe(base);
  });
});

describe('push to a branch', () => {
  it('compares before..after', async () => {
    const repo = monorepo();
    const before = repo.head();
    repo.commit('beta', { 'charts/beta/templates/deployment.yaml': 'kind: Deployment # v2\n' });
    const after = repo.commit('docs', { 'README.md': '# charts, documented\n' });
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/heads/main', before, after, created: false });
    const { discovery } = await discover(repo, describeEvent({ eventName: 'push', payload, sha: after, ref: 'refs/heads/main' }));
    // gamma depends on beta through file://, so it is selected too.
    expect(selected(discovery)).toEqual(['charts/beta', 'charts/gamma']);
    expect(reasonsOf(discovery, 'charts/gamma')).toEqual([{ kind: 'dependency', chain: ['charts/beta'] }]);
    expect(discovery.base).toMatchObject({ sha: before, head: after });
  });

  it('compares the trees of a force push, whose before is not an ancestor', async () => {
    const repo = monorepo();
    repo.branch('topic');
    const before = repo.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 5\n' });
    repo.git('reset', '--hard', 'main');
    const after = repo.commit('gamma instead', { 'charts/gamma/values.yaml': 'replicas: 5\n' });
    const request: ChangeRequest = { kind: 'range', base: before, head: after, reason: 'push to topic' };
    const { discovery } = await discover(repo, request);
    // alpha's change was withdrawn, gamma's is new: both differ from what was pushed before.
    expect(selected(discovery)).toEqual(['charts/alpha', 'charts/gamma']);
  });

  it('selects nothing, and says so, for a deleted branch or tag', async () => {
    const repo = monorepo();
    const payload = corpusEvent('push.payload.json');
    const request = describeEvent({ eventName: 'push', payload, sha: repo.head(), ref: payload.ref });
    expect(request.kind).toBe('none');
    const { discovery, logger } = await discover(repo, request);
    expect(discovery.charts).toEqual([]);
    expect(logger.text()).toContain('push deleted refs/tags/simple-tag');
  });
});

describe('files reached through symbolic links', () => {
  it('a change to a shared template or a linked subchart folder selects the charts whose packages it changes', async () => {
    const repo = monorepo();
    mkdirSync(join(repo.dir, 'charts/common/charts'));
    repo.write({ 'linked/_helpers.tpl': '{{- define "x" }}1{{ end }}\n', ...chartFiles('linked/lib', 'lib') });
    symlinkSync('../../../linked/_helpers.tpl', join(repo.dir, 'charts/alpha/templates/_helpers.tpl'));
    symlinkSync('../../../linked/lib', join(repo.dir, 'charts/common/charts/lib'));
    const before = repo.commit('links');
    repo.commit('helpers', { 'linked/_helpers.tpl': '{{- define "x" }}2{{ end }}\n' });
    const after = repo.commit('lib', { 'linked/lib/values.yaml': 'replicas: 3\n' });
    const { discovery, logger } = await discover(repo, { kind: 'range', base: before, head: after, reason: 'push to main' });
    // alpha packages the template; common packages lib as its subchart, and beta and gamma depend on common.
    expect(selected(discovery)).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma']);
    expect(reasonsOf(discovery, 'charts/alpha')).toEqual([{ kind: 'changed', files: ['linked/_helpers.tpl'] }]);
    expect(reasonsOf(discovery, 'charts/common')).toEqual([{ kind: 'changed', files: ['linked/lib/values.yaml'] }]);
    expect(logger.text()).toContain('linked/_helpers.tpl: reached by the symbolic link charts/alpha/templates/_helpers.tpl');
  });

  it('a link that .helmignore leaves out of the package selects nothing', async () => {
    const repo = monorepo();
    repo.write({ 'linked/notes.md': 'v1\n', 'charts/alpha/.helmignore': 'notes.md\n' });
    symlinkSync('../../linked/notes.md', join(repo.dir, 'charts/alpha/notes.md'));
    const before = repo.commit('link');
    const after = repo.commit('notes', { 'linked/notes.md': 'v2\n' });
    const { discovery } = await discover(repo, { kind: 'range', base: before, head: after, reason: 'push to main' });
    expect(selected(discovery)).toEqual([]);
  });
});

describe('files of a change that are not ordinary files', () => {
  // A fork's change can turn any file into a link; discovery reads Chart.yaml and .helmignore
  // files itself (dependents, package rules) before any chart is loaded.
  async function rejected(repo: GitRepo, before: string): Promise<ChartError> {
    const error = await discover(repo, { kind: 'range', base: before, head: repo.head(), reason: 'pull request' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChartError);
    return error as ChartError;
  }

  it('a Chart.yaml linked to /dev/zero is refused, not read without end', async () => {
    const repo = monorepo();
    const before = repo.head();
    rmSync(join(repo.dir, 'charts/common/Chart.yaml'));
    symlinkSync('/dev/zero', join(repo.dir, 'charts/common/Chart.yaml'));
    repo.commit('link', {});
    const error = await rejected(repo, before);
    expect(error.file).toBe('charts/common/Chart.yaml');
    expect(error.message).toMatch(/^leads outside the workspace \(a symbolic link to \/dev\/zero\) and is never read/);
  });

  it('a .helmignore linked to /proc/self/environ is never read, so never quoted', async () => {
    const repo = monorepo();
    const before = repo.head();
    symlinkSync('/proc/self/environ', join(repo.dir, 'charts/alpha/.helmignore'));
    repo.commit('link', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    const error = await rejected(repo, before);
    expect(error.file).toBe('charts/alpha/.helmignore');
    expect(error.message).toMatch(/^leads outside the workspace/);
    expect(error.message).not.toContain('PATH=');
  });
});

describe('push creating a branch (all-zero before)', () => {
  it('compares with the merge-base of the default branch', async () => {
    const origin = monorepo();
    const branchPoint = origin.head();
    origin.branch('feature');
    const head = origin.commit('gamma', { 'charts/gamma/templates/deployment.yaml': 'kind: Deployment # new\n' });
    origin.checkout('main');
    origin.commit('alpha on main', { 'charts/alpha/values.yaml': 'replicas: 9\n' });
    const work = track(GitRepo.clone(origin, { ref: 'feature' }));

    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/heads/feature', after: head });
    payload.repository.default_branch = 'main';
    const request = describeEvent({ eventName: 'push', payload, sha: head, ref: 'refs/heads/feature' });
    expect(request).toMatchObject({ kind: 'branch-point', defaultBranch: 'main', head });
    const { discovery } = await discover(work, request);
    expect(selected(discovery)).toEqual(['charts/gamma']);
    expect(discovery.base).toMatchObject({ sha: branchPoint, tip: origin.rev('main') });
  });

  it('selects all charts when the branch shares no history with the default branch', async () => {
    const origin = monorepo();
    origin.git('checkout', '--quiet', '--orphan', 'site');
    const head = origin.commit('unrelated history', { 'charts/alpha/values.yaml': 'replicas: 1 # orphan\n' });
    const work = track(GitRepo.clone(origin, { ref: 'site' }));
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/heads/site', after: head });
    payload.repository.default_branch = 'main';
    const { discovery } = await discover(work, describeEvent({ eventName: 'push', payload, sha: head, ref: 'refs/heads/site' }));
    expect(selected(discovery)).toEqual(discovery.roots);
    expect(discovery.charts[0]?.reasons[0]).toMatchObject({ kind: 'all' });
    expect(discovery.explanation).toContain('shares no history with the default branch main');
  });

  it('selects all charts on the first push of the default branch itself (the corpus payload)', async () => {
    const repo = monorepo();
    const payload = corpusEvent('push.with-new-branch.payload.json');
    payload.after = repo.head();
    const request = describeEvent({ eventName: 'push', payload, sha: repo.head(), ref: payload.ref });
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma', 'charts/team/delta']);
  });
});

describe('tags and releases', () => {
  /** v1.2.0 → alpha, v1.9.0 → beta... the tags are created out of lexical order on purpose. */
  function tagged(): GitRepo {
    const repo = monorepo();
    repo.tag('v1.2.0');
    repo.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 2\n' });
    repo.tag('v1.9.0', { message: 'release 1.9.0' });
    repo.commit('team delta', { 'charts/team/delta/values.yaml': 'replicas: 2\n' });
    repo.tag('other-5.0.0');
    repo.commit('gamma', { 'charts/gamma/values.yaml': 'replicas: 2\n' });
    repo.tag('v1.10.0');
    return repo;
  }

  it('push of a tag compares with the previous tag of the series in SemVer order', async () => {
    const repo = tagged();
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/tags/v1.10.0', before: '0'.repeat(40), after: repo.head(), created: true });
    const request = describeEvent({ eventName: 'push', payload, sha: repo.head(), ref: payload.ref });
    expect(request).toMatchObject({ kind: 'tag', tag: 'v1.10.0' });
    const { discovery, logger } = await discover(repo, request);
    // Since v1.9.0 (not v1.2.0, which sorts after v1.10.0 as text): delta and gamma changed.
    expect(selected(discovery)).toEqual(['charts/gamma', 'charts/team/delta']);
    expect(discovery.base?.sha).toBe(repo.rev('v1.9.0'));
    expect(discovery.base?.description).toContain('previous tag v1.9.0');
    expect(logger.text()).toContain('Previous tag of the series v<version>: v1.9.0');
  });

  it('release event: same comparison, from release.tag_name', async () => {
    const repo = tagged();
    const payload = corpusEvent('release.published.payload.json');
    payload.release.tag_name = 'v1.10.0';
    const request = describeEvent({ eventName: 'release', payload, sha: repo.head(), ref: 'refs/tags/v1.10.0' });
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(['charts/gamma', 'charts/team/delta']);
  });

  it('the first tag of a series selects all charts', async () => {
    const repo = tagged();
    const payload = corpusEvent('release.published.payload.json');
    payload.release.tag_name = 'v1.2.0';
    const request = describeEvent({ eventName: 'release', payload, sha: repo.rev('v1.2.0'), ref: 'refs/tags/v1.2.0' });
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(discovery.roots);
    expect(discovery.explanation).toContain('v1.2.0 is the first tag of the series v<version>');
  });

  it('a tag without a version (the corpus release "0.0.1" has one) selects all charts', async () => {
    const repo = tagged();
    repo.tag('nightly');
    const request: ChangeRequest = { kind: 'tag', tag: 'nightly', head: repo.head(), reason: 'push of tag nightly' };
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(discovery.roots);
    expect(discovery.explanation).toContain('carries no version');
  });

  it('<chart>-<version> selects that chart alone when Chart.yaml has that version', async () => {
    const repo = tagged();
    repo.commit('alpha 0.2.0', { 'charts/alpha/Chart.yaml': chartYaml('alpha', '0.2.0') });
    repo.tag('alpha-0.2.0');
    const payload = corpusEvent('push.with-new-branch.payload.json');
    Object.assign(payload, { ref: 'refs/tags/alpha-0.2.0', after: repo.head() });
    const { discovery } = await discover(repo, describeEvent({ eventName: 'push', payload, sha: repo.head(), ref: payload.ref }));
    expect(discovery.charts).toEqual([{ dir: 'charts/alpha', reasons: [{ kind: 'tag', tag: 'alpha-0.2.0', version: '0.2.0' }] }]);
  });

  it('<chart>-<version> fails on the version line when Chart.yaml says otherwise', async () => {
    const repo = tagged();
    repo.tag('team-delta-9.9.9');
    repo.commit('rename delta', { 'charts/team/delta/Chart.yaml': chartYaml('team-delta', '0.3.0') });
    repo.tag('team-delta-0.4.0');
    const request: ChangeRequest = { kind: 'tag', tag: 'team-delta-0.4.0', head: repo.head(), reason: 'push of tag team-delta-0.4.0' };
    const error = await discover(repo, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartError);
    expect(error).toMatchObject({ file: 'charts/team/delta/Chart.yaml', line: 5 });
    expect((error as Error).message).toContain('tag team-delta-0.4.0 releases team-delta 0.4.0, but the chart\'s version is "0.3.0"');
  });

  it('<chart>-v<version> names the chart of a v-prefixed version (cert-manager-v1.19.1)', async () => {
    const repo = tagged();
    repo.commit('alpha v1.19.1', { 'charts/alpha/Chart.yaml': chartYaml('alpha', 'v1.19.1') });
    repo.tag('alpha-v1.19.1');
    const request: ChangeRequest = { kind: 'tag', tag: 'alpha-v1.19.1', head: repo.head(), reason: 'push of tag alpha-v1.19.1' };
    const { discovery } = await discover(repo, request);
    expect(discovery.charts).toEqual([{ dir: 'charts/alpha', reasons: [{ kind: 'tag', tag: 'alpha-v1.19.1', version: 'v1.19.1' }] }]);
  });

  it('with a version input, <chart>-<version> must agree with the input, not with Chart.yaml', async () => {
    const repo = tagged();
    repo.tag('alpha-2.0.0');
    const request: ChangeRequest = { kind: 'tag', tag: 'alpha-2.0.0', head: repo.head(), reason: 'push of tag alpha-2.0.0' };
    const withOverride = (versionOverride: string) =>
      discoverCharts({
        workspace: repo.dir,
        chartsDir: ['charts'],
        request,
        runner: recordingRunner(),
        logger: new MemoryLogger(),
        versionOverride,
      });
    expect(selected(await withOverride('2.0.0'))).toEqual(['charts/alpha']);
    expect(selected(await withOverride('v2.0.0'))).toEqual(['charts/alpha']);
    const error = await withOverride('2.0.1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'Input "version": "2.0.1" disagrees with tag alpha-2.0.0, which releases alpha 2.0.0: give 2.0.0, or leave version empty to publish the chart\'s own version',
    );
  });

  it('a tag whose prefix is no chart name is a series of its own', async () => {
    const repo = tagged();
    repo.commit('beta', { 'charts/beta/values.yaml': 'replicas: 4\n' });
    repo.tag('other-5.1.0');
    const request: ChangeRequest = { kind: 'tag', tag: 'other-5.1.0', head: repo.head(), reason: 'push of tag other-5.1.0' };
    const { discovery } = await discover(repo, request);
    expect(discovery.base?.sha).toBe(repo.rev('other-5.0.0'));
    expect(selected(discovery)).toEqual(['charts/beta', 'charts/gamma']);
  });
});

describe('workflow_dispatch, schedule, base input and other events', () => {
  it('workflow_dispatch selects all charts', async () => {
    const repo = monorepo();
    const payload = corpusEvent('workflow_dispatch.payload.json');
    const request = describeEvent({ eventName: 'workflow_dispatch', payload, sha: repo.head(), ref: payload.ref });
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma', 'charts/team/delta']);
    expect(reasonsOf(discovery, 'charts/alpha')?.[0]).toMatchObject({
      kind: 'all',
      why: expect.stringContaining('workflow_dispatch publishes all charts'),
    });
  });

  it('the base input overrides the event', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('common', { 'charts/common/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}\n' });
    const payload = corpusEvent('workflow_dispatch.payload.json');
    const request = describeEvent({ eventName: 'workflow_dispatch', payload, sha: repo.head(), ref: payload.ref, base });
    const { discovery } = await discover(repo, request);
    // common changed; beta depends on it, gamma on beta.
    expect(selected(discovery)).toEqual(['charts/beta', 'charts/common', 'charts/gamma']);
    expect(reasonsOf(discovery, 'charts/gamma')).toEqual([{ kind: 'dependency', chain: ['charts/beta', 'charts/common'] }]);
    expect(discovery.base?.sha).toBe(base);
  });

  it('accepts a ref name as base', async () => {
    const repo = monorepo();
    repo.tag('last-release');
    repo.commit('alpha', { 'charts/alpha/values.yaml': 'replicas: 7\n' });
    const request = describeEvent({
      eventName: 'schedule',
      payload: { schedule: '0 3 * * *' },
      sha: repo.head(),
      ref: 'refs/heads/main',
      base: 'last-release',
    });
    const { discovery } = await discover(repo, request);
    expect(selected(discovery)).toEqual(['charts/alpha']);
  });

  it('an unknown event selects all charts and says why', async () => {
    const repo = monorepo();
    const request = describeEvent({ eventName: 'repository_dispatch', payload: {}, sha: repo.head(), ref: 'refs/heads/main' });
    const { discovery, logger } = await discover(repo, request);
    expect(discovery.charts).toHaveLength(5);
    expect(logger.text()).toContain('the repository_dispatch event says nothing about what changed');
  });
});

describe('chart roots', () => {
  it('finds a chart at the repository root with charts-dir "."; its charts/ are subcharts', async () => {
    const repo = track(GitRepo.create());
    const base = repo.commit('root chart', {
      ...chartFiles('.', 'root'),
      ...chartFiles('charts/embedded', 'embedded'),
      'docs/index.md': '# docs\n',
    });
    repo.commit('embedded', { 'charts/embedded/values.yaml': 'replicas: 4\n' });
    const { discovery } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' }, ['.']);
    expect(discovery.roots).toEqual(['.']);
    expect(discovery.charts).toEqual([{ dir: '.', reasons: [{ kind: 'changed', files: ['charts/embedded/values.yaml'] }] }]);
  });

  it('expands globs: *, ** and ?, and ! excludes', async () => {
    const repo = track(GitRepo.create());
    const base = repo.commit('apps', {
      ...chartFiles('apps/web/chart', 'web'),
      ...chartFiles('apps/api/chart', 'api'),
      ...chartFiles('apps/api/deploy/extra/chart', 'extra'),
      ...chartFiles('apps/old/chart', 'old'),
      'apps/web/src/main.go': 'package main\n',
    });
    repo.commit('change', { 'apps/api/chart/values.yaml': 'replicas: 2\n', 'apps/web/src/main.go': 'package main // 2\n' });
    const head = repo.head();
    const range: ChangeRequest = { kind: 'range', base, head, reason: 'push' };
    expect((await discover(repo, range, ['apps/*/chart', '!apps/old'])).discovery.roots).toEqual(['apps/api/chart', 'apps/web/chart']);
    expect((await discover(repo, range, ['apps/**/chart'])).discovery.roots).toEqual([
      'apps/api/chart',
      'apps/api/deploy/extra/chart',
      'apps/old/chart',
      'apps/web/chart',
    ]);
    expect((await discover(repo, range, ['apps/?pi'])).discovery.roots).toEqual(['apps/api/chart', 'apps/api/deploy/extra/chart']);
    expect(selected((await discover(repo, range, ['apps/*/chart'])).discovery)).toEqual(['apps/api/chart']);
  });

  it('skips charts in hidden folders unless an entry names the hidden folder', async () => {
    const repo = track(GitRepo.create());
    repo.commit('charts', {
      ...chartFiles('traefik', 'traefik'),
      ...chartFiles('.github/fixtures/a', 'fixture-a'),
      ...chartFiles('.github/fixtures/b', 'fixture-b'),
      ...chartFiles('charts/.drafts/c', 'draft'),
    });
    const all: ChangeRequest = { kind: 'all', reason: 'input "discover" is all' };
    const root = await discover(repo, all, ['.']);
    expect(root.discovery.roots).toEqual(['traefik']);
    expect(root.logger.text()).toContain(
      'Skipped 3 charts in hidden folders (.github/fixtures/a, .github/fixtures/b, charts/.drafts/c): a hidden folder is searched only when a charts-dir entry names it',
    );
    expect((await discover(repo, all, ['.', '.github/fixtures'])).discovery.roots).toEqual([
      '.github/fixtures/a',
      '.github/fixtures/b',
      'traefik',
    ]);
    expect((await discover(repo, all, ['charts/.*'])).discovery.roots).toEqual(['charts/.drafts/c']);
    // An entry that finds only hidden charts says how to name them.
    const error = await discover(repo, all, ['charts']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'the charts it covers are in hidden folders (charts/.drafts/c), which are searched only when an entry names the hidden folder, e.g. "charts/.drafts"',
    );
  });

  it("a chart folder inside another chart is that chart's files, as Helm packages it, unless its .helmignore leaves it out", async () => {
    const repo = track(GitRepo.create());
    repo.commit('charts', {
      ...chartFiles('charts/app', 'app'),
      ...chartFiles('charts/app/tests/fixtures/broken', 'broken', 'not-a-version'),
      ...chartFiles('charts/app/examples/demo', 'demo'),
      ...chartFiles('charts/lib', 'lib'),
      'charts/lib/.helmignore': 'standalone/\n',
      ...chartFiles('charts/lib/standalone', 'standalone'),
      ...chartFiles('charts/lib/standalone/fixture', 'fixture'),
    });
    const base = repo.head();
    const all: ChangeRequest = { kind: 'all', reason: 'input "discover" is all' };
    const { discovery, logger } = await discover(repo, all);
    expect(discovery.roots).toEqual(['charts/app', 'charts/lib', 'charts/lib/standalone']);
    expect(logger.text()).toContain(
      "Skipped 3 charts inside other charts' folders (charts/app/examples/demo in charts/app, charts/app/tests/fixtures/broken in charts/app, " +
        'charts/lib/standalone/fixture in charts/lib/standalone): Helm packages them as files of the enclosing chart; to publish one on its own, ' +
        "leave its folder out in the enclosing chart's .helmignore, or name it in the charts input",
    );

    // A chart encloses only when charts-dir covers it: an entry naming the fixtures alone finds them.
    expect((await discover(repo, all, ['charts/app/tests/fixtures'])).discovery.roots).toEqual(['charts/app/tests/fixtures/broken']);
    const error = await discover(repo, all, ['charts', 'charts/app/tests/fixtures']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      '"charts/app/tests/fixtures" matches no chart (a folder with a Chart.yaml, at any depth, outside the folders of other charts); ' +
        'the charts it covers are inside other charts, which package them as files (charts/app/tests/fixtures/broken in charts/app): ' +
        "to publish one on its own, leave its folder out in the enclosing chart's .helmignore, or name it in the charts input",
    );

    // A change to a fixture changes the package that holds it.
    repo.commit('fixture values', { 'charts/app/tests/fixtures/broken/values.yaml': 'replicas: 2\n' });
    const changed = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(selected(changed.discovery)).toEqual(['charts/app']);
    expect(reasonsOf(changed.discovery, 'charts/app')).toEqual([
      { kind: 'changed', files: ['charts/app/tests/fixtures/broken/values.yaml'] },
    ]);

    // Removing a fixture changes its chart; no chart was deleted. Removing a chart of its own is reported.
    const before = repo.head();
    repo.commit('remove', {
      'charts/app/examples/demo/Chart.yaml': null,
      'charts/lib/standalone/Chart.yaml': null,
      'charts/lib/standalone/fixture/Chart.yaml': null,
    });
    const removed = await discover(repo, { kind: 'range', base: before, head: repo.head(), reason: 'push' });
    expect(selected(removed.discovery)).toEqual(['charts/app']);
    expect(removed.discovery.deleted).toEqual([{ dir: 'charts/lib/standalone' }]);
  });

  it('a chart at the root encloses the charts below it only when charts-dir covers the root', async () => {
    const repo = track(GitRepo.create());
    repo.commit('charts', { ...chartFiles('.', 'root'), ...chartFiles('deploy/web', 'web') });
    const all: ChangeRequest = { kind: 'all', reason: 'input "discover" is all' };
    expect((await discover(repo, all, ['deploy'])).discovery.roots).toEqual(['deploy/web']);
    const root = await discover(repo, all, ['.']);
    expect(root.discovery.roots).toEqual(['.']);
    expect(root.logger.text()).toContain("Skipped 1 chart inside other charts' folders (deploy/web in .): Helm packages it as files");
  });

  it("Helm's own signtest chart, which holds the alpine chart as files, is one chart", async () => {
    const repo = track(GitRepo.create());
    repo.commit('charts', corpusTree('helm-testdata/signtest', 'charts/signtest'));
    const { discovery } = await discover(repo, { kind: 'all', reason: 'input "discover" is all' });
    expect(discovery.roots).toEqual(['charts/signtest']);
  });

  it('exclude removes charts whatever selected them, and says which rule', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('common and alpha', { 'charts/common/values.yaml': 'replicas: 2\n', 'charts/alpha/values.yaml': 'replicas: 2\n' });
    const logger = new MemoryLogger();
    const discovery = await discoverCharts({
      workspace: repo.dir,
      chartsDir: ['charts'],
      request: { kind: 'range', base, head: repo.head(), reason: 'push' },
      runner: recordingRunner(),
      logger,
      exclude: ['charts/gamma', 'charts/a*', 'charts/never'],
    });
    // beta depends on common; gamma on beta, excluded all the same.
    expect(selected(discovery)).toEqual(['charts/beta', 'charts/common']);
    expect(logger.text()).toContain('charts/alpha: excluded by the exclude rule "charts/a*"; not published');
    expect(logger.text()).toContain('charts/gamma: excluded by the exclude rule "charts/gamma"; not published');
    expect(logger.text()).toContain('2 of 5 charts selected');
    const error = await discoverCharts({
      workspace: repo.dir,
      chartsDir: ['charts'],
      request: { kind: 'all', reason: 'all' },
      runner: recordingRunner(),
      logger,
      exclude: ['!charts/alpha'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^Input "exclude": "!charts\/alpha": exclude has no "!" entries/);
  });

  it('finds charts at any depth and never lists subcharts as roots', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('subchart', { 'charts/alpha/charts/sub/templates/deployment.yaml': 'kind: Deployment # sub\n' });
    const { discovery } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(discovery.roots).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma', 'charts/team/delta']);
    expect(discovery.charts).toEqual([
      { dir: 'charts/alpha', reasons: [{ kind: 'changed', files: ['charts/alpha/charts/sub/templates/deployment.yaml'] }] },
    ]);
  });

  it('discover: all counts untracked charts (generated by an earlier step) but not git-ignored ones', async () => {
    const repo = monorepo();
    repo.write({ ...chartFiles('charts/generated', 'generated'), '.gitignore': 'charts/vendor/\n', ...chartFiles('charts/vendor/x', 'x') });
    const { discovery } = await discover(repo, { kind: 'all', reason: 'discover: all' });
    expect(discovery.roots).toContain('charts/generated');
    expect(discovery.roots).not.toContain('charts/vendor/x');
  });

  it('works outside a git work tree for discover: all', async () => {
    const repo = monorepo();
    repo.write({ '.git': null });
    const { discovery } = await discover(repo, { kind: 'all', reason: 'discover: all' });
    expect(discovery.roots).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma', 'charts/team/delta']);
  });

  it('outside a git work tree, a folder name that is not UTF-8 is skipped with a warning, a path too long is an error', async () => {
    const repo = monorepo();
    repo.write({ '.git': null });
    mkdirSync(Buffer.concat([Buffer.from(join(repo.dir, 'charts/b')), Buffer.from([0xff, 0xfe])]));
    const { discovery, logger } = await discover(repo, { kind: 'all', reason: 'discover: all' });
    expect(discovery.roots).toEqual(['charts/alpha', 'charts/beta', 'charts/common', 'charts/gamma', 'charts/team/delta']);
    expect(logger.text()).toContain('charts/b\uFFFD\uFFFD: skipped: its path is not valid UTF-8');

    // Deeper than PATH_MAX (4096 bytes), made step by step with relative paths.
    const name = 'd'.repeat(250);
    execFileSync('bash', ['-c', `cd "$1" && for i in $(seq 20); do mkdir ${name} && cd ${name}; done`, 'bash', join(repo.dir, 'charts')]);
    const error = await discover(repo, { kind: 'all', reason: 'discover: all' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as Error).message).toMatch(
      /^cannot look for charts in the folder charts\/d{250}\/.*: the name is too long .*\(ENAMETOOLONG\)$/,
    );
  });
});

describe('file:// dependencies, .helmignore and deletions', () => {
  it('selects dependents transitively, also of a dependency outside charts-dir', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('libs', { 'libs/base/templates/_lib.tpl': '{{- define "lib" -}}{{- end -}}\n', 'charts/common/values.yaml': 'x: 1\n' });
    const { discovery, logger } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(discovery.charts).toEqual([
      { dir: 'charts/beta', reasons: [{ kind: 'dependency', chain: ['charts/common'] }] },
      { dir: 'charts/common', reasons: [{ kind: 'changed', files: ['charts/common/values.yaml'] }] },
      { dir: 'charts/gamma', reasons: [{ kind: 'dependency', chain: ['charts/beta', 'charts/common'] }] },
      { dir: 'charts/team/delta', reasons: [{ kind: 'dependency', chain: ['libs/base'] }] },
    ]);
    expect(logger.text()).toContain('charts/gamma: depends (file://) on charts/beta, which depends on charts/common, which changed');
  });

  it('reads apiVersion v1 dependencies from requirements.yaml', async () => {
    const repo = monorepo();
    repo.commit('v1 chart', {
      'charts/legacy/Chart.yaml': 'apiVersion: v1\nname: legacy\nversion: 1.0.0\n',
      'charts/legacy/requirements.yaml': fileDependency('alpha', '../alpha'),
    });
    const base = repo.head();
    repo.commit('alpha', { 'charts/alpha/templates/deployment.yaml': 'kind: Deployment # 2\n' });
    const { discovery } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(selected(discovery)).toEqual(['charts/alpha', 'charts/legacy']);
  });

  it("a file that the chart's .helmignore excludes does not select it, and the log says which rule", async () => {
    const repo = monorepo();
    const base = repo.commit('ignore', { 'charts/alpha/.helmignore': '# test files\nci/\n*.md\n' });
    repo.commit('ci only', { 'charts/alpha/ci/test-values.yaml': 'replicas: 0\n', 'charts/alpha/README.md': '# alpha\n' });
    const { discovery, logger } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(discovery.charts).toEqual([]);
    expect(logger.text()).toContain(
      'charts/alpha/ci/test-values.yaml: not packaged in charts/alpha (excluded by "ci/" (line 2) of charts/alpha/.helmignore (directory ci/))',
    );
    expect(logger.text()).toContain('charts/alpha/README.md: not packaged in charts/alpha (excluded by "*.md" (line 3)');
    expect(logger.text()).toContain(
      'No chart selected: charts/alpha/README.md, charts/alpha/ci/test-values.yaml are excluded from packaging by .helmignore',
    );
  });

  it("a change to .helmignore itself selects the chart, and Helm's default rule applies", async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('ignore', { 'charts/alpha/.helmignore': '.helmignore\n', 'charts/beta/templates/.notes': 'x\n' });
    const { discovery } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(selected(discovery)).toEqual(['charts/alpha']);
  });

  it('reports a deleted chart and does not publish it; a moved chart is deleted at the old path', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.git('mv', 'charts/common', 'charts/shared');
    repo.commit('move common', { 'charts/alpha': null });
    const { discovery, logger } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(discovery.deleted).toEqual([{ dir: 'charts/alpha' }, { dir: 'charts/common', movedTo: 'charts/shared' }]);
    expect(selected(discovery)).toEqual(['charts/shared']);
    expect(logger.text()).toContain('charts/alpha: deleted; not published');
    expect(logger.text()).toContain('charts/common: deleted (moved to charts/shared); not published');
  });
});

describe('misconfiguration fails loudly', () => {
  it('charts-dir that matches no chart names the entry and where charts are', async () => {
    const repo = monorepo();
    const error = await discover(repo, { kind: 'all', reason: 'x' }, ['charts', 'chartz']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('charts-dir');
    expect((error as Error).message).toContain('"chartz" matches no chart');
    expect((error as Error).message).toContain('charts in this workspace: charts/alpha, charts/beta');
  });

  it('a repository without any chart says that no Chart.yaml exists', async () => {
    const repo = track(GitRepo.create());
    repo.commit('no charts', { 'README.md': 'x\n' });
    await expect(discover(repo, { kind: 'all', reason: 'x' })).rejects.toThrow(
      /"charts" matches no chart.*no Chart.yaml was found anywhere/,
    );
  });

  it('charts-dir outside the workspace is refused', async () => {
    const repo = monorepo();
    await expect(discover(repo, { kind: 'all', reason: 'x' }, ['../elsewhere'])).rejects.toThrow(
      /Input "charts-dir": "..\/elsewhere" leads outside the workspace/,
    );
  });

  it('chart content changed outside any chart (a misspelt Chart.yaml) fails with the files', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('new chart', {
      'charts/epsilon/Chart.yml': chartYaml('epsilon', '0.1.0'),
      'charts/epsilon/templates/deployment.yaml': 'kind: Deployment\n',
    });
    const error = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'files under charts-dir changed but no chart was selected: charts/epsilon/Chart.yml, charts/epsilon/templates/deployment.yaml are chart content outside any chart',
    );
  });

  it('a README beside the charts is not a misconfiguration, but the log says nothing was selected and why', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('docs', { 'charts/README.md': '# the charts\n' });
    const { discovery, logger } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(discovery.charts).toEqual([]);
    expect(logger.text()).toContain('No chart selected: the changed files under charts-dir belong to no chart (charts/README.md)');
  });

  it('warns about stray chart content when other charts were selected', async () => {
    const repo = monorepo();
    const base = repo.head();
    repo.commit('two', { 'charts/alpha/values.yaml': 'replicas: 3\n', 'charts/zeta/values.yaml': 'a: 1\n' });
    const { discovery, logger } = await discover(repo, { kind: 'range', base, head: repo.head(), reason: 'push' });
    expect(selected(discovery)).toEqual(['charts/alpha']);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('charts/zeta/values.yaml looks like chart content') }),
    );
  });
});
