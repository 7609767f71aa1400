import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { packageChart } from '../../src/chart/packager.js';
import { parseSourceDateEpoch, resolveSourceDates } from '../../src/chart/source-date.js';
import { DomainError } from '../../src/shared/errors.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

/** An origin repository where charts/demo was last changed on 2024-03-01, then 3 other commits. */
function originRepo(): string {
  const repo = tempDir('ocp-origin-');
  git(repo, ['init', '-q', '-b', 'main']);
  writeTree(repo, chartFiles('charts/demo', 'demo'));
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'chart'], '2024-03-01T12:00:00Z');
  for (let i = 0; i < 3; i++) {
    writeTree(repo, { [`docs/note-${i}.md`]: `note ${i}\n` });
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', `docs ${i}`], `2024-04-0${i + 1}T12:00:00Z`);
  }
  return repo;
}

async function packageFrom(workspace: string, epoch?: string) {
  const logger = new MemoryLogger();
  const dates = await resolveSourceDates(['charts/demo'], {
    sourceDateEpoch: epoch,
    workspace,
    git: createProcessRunner(),
    logger,
  });
  const date = dates.get('charts/demo')!;
  const chart = await loadChart('charts/demo', { workspace, logger });
  const pkg = await packageChart(chart, { outputDir: tempDir('ocp-out-'), mtime: date.epoch });
  return { pkg, date, logger };
}

describe('reproducible packages', () => {
  it('the same chart from a full clone and a depth-1 clone at other paths has the same sha256', async () => {
    const origin = originRepo();
    const full = join(tempDir('ocp-a-'), 'checkout');
    const shallow = join(tempDir('ocp-b-'), 'somewhere', 'else');
    git(origin, ['clone', '-q', `file://${origin}`, full]);
    git(origin, ['clone', '-q', '--depth', '1', `file://${origin}`, shallow]);
    expect(git(shallow, ['rev-parse', '--is-shallow-repository'])).toBe('true');

    const a = await packageFrom(full);
    const b = await packageFrom(shallow);
    expect(a.date.epoch).toBe(Date.parse('2024-03-01T12:00:00Z') / 1000);
    expect(b.date.epoch).toBe(a.date.epoch);
    expect(b.pkg.sha256).toBe(a.pkg.sha256);
    // Packaging twice from the same checkout is stable too.
    expect((await packageFrom(full)).pkg.sha256).toBe(a.pkg.sha256);
  });

  it('SOURCE_DATE_EPOCH wins over the commit time', async () => {
    const origin = originRepo();
    const { date } = await packageFrom(origin, '1700000000');
    expect(date).toEqual({ epoch: 1700000000, source: 'SOURCE_DATE_EPOCH' });
  });

  it('warns when a shallow clone cannot be deepened (no remote)', async () => {
    const origin = originRepo();
    const shallow = join(tempDir('ocp-c-'), 'x');
    git(origin, ['clone', '-q', '--depth', '1', `file://${origin}`, shallow]);
    git(shallow, ['remote', 'remove', 'origin']);
    const { logger, date } = await packageFrom(shallow);
    expect(date.source).toMatch(/shallow clone edge/);
    expect(logger.messages('warning').join()).toMatch(
      /not reproducible; set SOURCE_DATE_EPOCH or use actions\/checkout with fetch-depth: 0/,
    );
  });

  it('outside git the entries are dated 1970', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    expect((await packageFrom(ws)).date.epoch).toBe(0);
  });

  it('rejects a malformed SOURCE_DATE_EPOCH', () => {
    expect(parseSourceDateEpoch('')).toBeUndefined();
    expect(parseSourceDateEpoch('42')).toBe(42);
    expect(() => parseSourceDateEpoch('-1')).toThrow(DomainError);
    expect(() => parseSourceDateEpoch('1.5')).toThrow(/invalid SOURCE_DATE_EPOCH "1.5" in the environment/);
  });
});
