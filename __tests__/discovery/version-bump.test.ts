import { afterEach, describe, expect, it } from 'vitest';
import { discoverCharts } from '../../src/discovery/discover-charts.js';
import { findVersionBumpProblems } from '../../src/discovery/version-bump.js';
import { ChartError } from '../../src/shared/errors.js';
import { GitError } from '../../src/shared/git.js';
import type { ProcessResult, ProcessRunner } from '../../src/shared/process-runner.js';
import { GitRepo, recordingRunner } from '../support/git-repo.js';
import { chartFiles } from './fixtures.js';
import { MemoryLogger } from '../support/memory-logger.js';

const repos: GitRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

/** Chart.yaml with the version on line 8, below comments, to prove the line is the real one. */
function commentedChart(name: string, version: string): string {
  return `# A chart\n# maintained by tests\n\napiVersion: v2\nname: ${name}\ndescription: x\n\nversion: ${version}\n`;
}

async function check(repo: GitRepo, base: string, charts: string[]) {
  const logger = new MemoryLogger();
  const problems = await findVersionBumpProblems({ workspace: repo.dir, charts, base, runner: recordingRunner(), logger });
  return { problems, logger };
}

describe('version bump (pull request dry-run)', () => {
  function pullRequest(): { repo: GitRepo; base: string } {
    const repo = GitRepo.create();
    repos.push(repo);
    const base = repo.commit('charts', {
      'charts/alpha/Chart.yaml': commentedChart('alpha', '1.2.3'),
      ...chartFiles('charts/beta', 'beta', '0.9.0'),
      ...chartFiles('charts/gamma', 'gamma', '2.0.0'),
    });
    repo.branch('feature');
    return { repo, base };
  }

  it('raises a problem on the version line of a changed chart that kept its version', async () => {
    const { repo, base } = pullRequest();
    repo.commit('alpha', { 'charts/alpha/values.yaml': 'x: 1\n' });
    const { problems } = await check(repo, base, ['charts/alpha']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(ChartError);
    expect(problems[0]).toMatchObject({ file: 'charts/alpha/Chart.yaml', line: 8 });
    expect(problems[0]?.message).toBe(
      `version 1.2.3 must be greater than 1.2.3, the version on the base commit ${base.slice(0, 12)}: the chart changed, so bump it (e.g. to 1.2.4)`,
    );
  });

  it('compares in SemVer order: 0.10.0 > 0.9.0, 1.0.0-rc.1 < 1.0.0', async () => {
    const { repo, base } = pullRequest();
    repo.commit('bumps', {
      'charts/beta/Chart.yaml': chartFiles('charts/beta', 'beta', '0.10.0')['charts/beta/Chart.yaml'] as string,
      'charts/gamma/Chart.yaml': chartFiles('charts/gamma', 'gamma', '2.0.0-rc.1')['charts/gamma/Chart.yaml'] as string,
    });
    const { problems } = await check(repo, base, ['charts/beta', 'charts/gamma']);
    expect(problems.map((p) => [p.file, p.line])).toEqual([['charts/gamma/Chart.yaml', 5]]);
    expect(problems[0]?.message).toContain('version 2.0.0-rc.1 must be greater than 2.0.0');
  });

  it('reads versions as Helm does: v1.10 > v1.9.0, 1.2.3.4 is no version (validation reports it)', async () => {
    const { repo, base } = pullRequest();
    repo.commit('v-prefixed', {
      'charts/alpha/Chart.yaml': commentedChart('alpha', 'v1.2'),
      'charts/beta/Chart.yaml': commentedChart('beta', 'v0.9'),
      'charts/gamma/Chart.yaml': commentedChart('gamma', '2.0.0.1'),
    });
    const first = await check(repo, base, ['charts/alpha', 'charts/beta', 'charts/gamma']);
    expect(first.problems.map((p) => p.message)).toEqual([
      `version v1.2 must be greater than 1.2.3, the version on the base commit ${base.slice(0, 12)}: the chart changed, so bump it (e.g. to 1.2.4)`,
      `version v0.9 must be greater than 0.9.0, the version on the base commit ${base.slice(0, 12)}: the chart changed, so bump it (e.g. to 0.9.1)`,
    ]);
    const next = repo.commit('v-prefixed base', { 'charts/alpha/Chart.yaml': commentedChart('alpha', 'v1.9.0') });
    repo.commit('bump', { 'charts/alpha/Chart.yaml': commentedChart('alpha', 'v1.10') });
    expect((await check(repo, next, ['charts/alpha'])).problems).toEqual([]);
    repo.commit('no bump', { 'charts/alpha/values.yaml': 'x: 2\n' });
    const head = repo.git('rev-parse', 'HEAD');
    expect((await check(repo, head, ['charts/alpha'])).problems[0]?.message).toContain('(e.g. to v1.10.1)');
  });

  it('checks a chart whose Chart.yaml cannot be read without failing: validation reports it', async () => {
    const { repo, base } = pullRequest();
    repo.commit('broken', { 'charts/alpha/Chart.yaml': 'name: [unclosed\n' });
    const { problems, logger } = await check(repo, base, ['charts/alpha']);
    expect(problems).toEqual([]);
    expect(logger.text()).toContain('charts/alpha/Chart.yaml: cannot be read');
  });

  it('accepts a new chart, which has no version on the base commit', async () => {
    const { repo, base } = pullRequest();
    repo.commit('new', chartFiles('charts/delta', 'delta', '0.0.1'));
    const { problems, logger } = await check(repo, base, ['charts/delta']);
    expect(problems).toEqual([]);
    expect(logger.text()).toContain('charts/delta: no Chart.yaml on the base commit');
  });

  it('reads the base commit a few charts at a time, not one git process per chart at once', async () => {
    const repo = GitRepo.create();
    repos.push(repo);
    const files = Object.assign({}, ...Array.from({ length: 40 }, (_, i) => chartFiles(`charts/c${i}`, `c${i}`, '0.1.0'))) as Record<
      string,
      string
    >;
    const base = repo.commit('forty charts', files);
    repo.commit('forty changes', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`charts/c${i}/values.yaml`, 'x: 2\n'])));
    const inner = recordingRunner();
    let running = 0;
    let most = 0;
    const runner: ProcessRunner = {
      async run(command, args, options) {
        running++;
        most = Math.max(most, running);
        try {
          return await inner.run(command, args, options);
        } finally {
          running--;
        }
      },
    };
    const charts = Array.from({ length: 40 }, (_, i) => `charts/c${i}`);
    const problems = await findVersionBumpProblems({ workspace: repo.dir, charts, base, runner, logger: new MemoryLogger() });
    expect(problems).toHaveLength(40);
    expect(inner.calls.filter((c) => c.args[0] === 'show')).toHaveLength(40);
    expect(most).toBeLessThanOrEqual(8);
  });

  it.each([
    [
      'a git that timed out',
      {
        exitCode: 124,
        stdout: '',
        stderr: 'git show did not finish within 1 min and was stopped',
        failure: 'git show did not finish within 1 min and was stopped',
      },
    ],
    [
      'a git that could not be started',
      { exitCode: 126, stdout: '', stderr: 'git show could not be started: EMFILE', failure: 'git show could not be started: EMFILE' },
    ],
    ['another git error', { exitCode: 128, stdout: '', stderr: 'fatal: bad object' }],
  ])('%s is an error, never "a new chart"', async (_name, answer) => {
    const { repo, base } = pullRequest();
    repo.commit('alpha', { 'charts/alpha/values.yaml': 'x: 1\n' });
    const inner = recordingRunner();
    const runner: ProcessRunner = {
      run: (command, args, options) => (args[0] === 'show' ? Promise.resolve<ProcessResult>(answer) : inner.run(command, args, options)),
    };
    const attempt = findVersionBumpProblems({ workspace: repo.dir, charts: ['charts/alpha'], base, runner, logger: new MemoryLogger() });
    await expect(attempt).rejects.toThrow(GitError);
    await expect(attempt).rejects.toThrow(
      `checking the version bump of charts/alpha: git show ${base}:charts/alpha/Chart.yaml failed: ${answer.stderr}`,
    );
  });

  it('warns, rather than passing silently, when the base commit is unavailable', async () => {
    const { repo } = pullRequest();
    const { problems, logger } = await check(repo, 'f'.repeat(40), ['charts/alpha']);
    expect(problems).toEqual([]);
    expect(logger.entries.some((l) => l.level === 'warning' && l.message.startsWith('Cannot check version bumps'))).toBe(true);
  });
});

describe('version bump with the base discovery compared with', () => {
  /** A pull request from feature into main, main moved on; the workspace may be a subfolder. */
  function pullRequest(folder: string): { repo: GitRepo; workspace: string; mainTip: string; head: string } {
    const repo = GitRepo.create();
    repos.push(repo);
    const at = (path: string) => (folder === '' ? path : `${folder}/${path}`);
    repo.commit('charts', {
      [at('charts/alpha/Chart.yaml')]: commentedChart('alpha', '1.2.3'),
      ...Object.fromEntries(Object.entries(chartFiles('charts/beta', 'beta', '0.9.0')).map(([path, text]) => [at(path), text])),
    });
    repo.branch('feature');
    const head = repo.commit('alpha and beta', {
      [at('charts/alpha/values.yaml')]: 'x: 1\n',
      [at('charts/beta/Chart.yaml')]: chartFiles('charts/beta', 'beta', '0.10.0')['charts/beta/Chart.yaml'] as string,
    });
    repo.checkout('main');
    const mainTip = repo.commit('main moves on', { 'README.md': 'x\n' });
    repo.checkout('feature');
    return { repo, workspace: folder === '' ? repo.dir : `${repo.dir}/${folder}`, mainTip, head };
  }

  it.each(['', 'deploy'])(
    'uses the commits and the folder discovery found, asking git nothing but the files (workspace "%s")',
    async (folder) => {
      const { workspace, mainTip, head } = pullRequest(folder);
      const logger = new MemoryLogger();
      const discovery = await discoverCharts({
        workspace,
        chartsDir: ['charts'],
        request: { kind: 'merge-base', base: mainTip, head, reason: 'pull request' },
        runner: recordingRunner(),
        logger,
      });
      expect(discovery.base).toMatchObject({ tip: mainTip, via: 'git', prefix: folder === '' ? '' : `${folder}/` });

      const runner = recordingRunner();
      const charts = discovery.charts.map((c) => c.dir);
      expect(charts).toEqual(['charts/alpha', 'charts/beta']);
      const problems = await findVersionBumpProblems({ workspace, charts, base: discovery.base!, runner, logger });
      expect(problems.map((p) => [p.file, p.line])).toEqual([['charts/alpha/Chart.yaml', 8]]);
      expect(problems[0]?.message).toContain(`the version on the base commit ${mainTip.slice(0, 12)}`);
      // No second lookup of the base or of the workspace's folder: one listing of the charts on
      // the base, one git show per chart.
      expect(runner.calls.map((c) => c.args[0])).toEqual(['ls-tree', 'show', 'show']);
      expect(
        runner.calls
          .filter((c) => c.args[0] === 'show')
          .map((c) => c.args[1])
          .sort(),
      ).toEqual(charts.map((dir) => `${mainTip}:${folder === '' ? '' : `${folder}/`}${dir}/Chart.yaml`));
    },
  );

  it('looks up the tip of a base the compare API found, which the clone may lack', async () => {
    const { workspace, mainTip } = pullRequest('');
    const base = { sha: 'e'.repeat(40), head: 'f'.repeat(40), description: 'API', via: 'compare-api' as const, tip: 'main', prefix: '' };
    const runner = recordingRunner();
    const problems = await findVersionBumpProblems({ workspace, charts: ['charts/alpha'], base, runner, logger: new MemoryLogger() });
    expect(problems[0]?.message).toContain(`the version on the base commit ${mainTip.slice(0, 12)}`);
    expect(runner.calls.some((c) => c.args.includes('--show-prefix'))).toBe(false);
  });
});
