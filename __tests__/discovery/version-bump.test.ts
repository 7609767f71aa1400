import { afterEach, describe, expect, it } from 'vitest';
import { findVersionBumpProblems } from '../../src/discovery/version-bump.js';
import { ChartError } from '../../src/shared/errors.js';
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

  it('accepts a new chart, which has no version on the base commit', async () => {
    const { repo, base } = pullRequest();
    repo.commit('new', chartFiles('charts/delta', 'delta', '0.0.1'));
    const { problems, logger } = await check(repo, base, ['charts/delta']);
    expect(problems).toEqual([]);
    expect(logger.text()).toContain('charts/delta: no Chart.yaml on the base commit');
  });

  it('warns, rather than passing silently, when the base commit is unavailable', async () => {
    const { repo } = pullRequest();
    const { problems, logger } = await check(repo, 'f'.repeat(40), ['charts/alpha']);
    expect(problems).toEqual([]);
    expect(logger.entries.some((l) => l.level === 'warning' && l.message.startsWith('Cannot check version bumps'))).toBe(true);
  });
});
