import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { createGit, mayBeInsideWorkTree, type Git } from '../shared/git.js';
import type { ProcessRunner } from '../shared/process-runner.js';

/**
 * The timestamp every archive entry carries (../shared/spec/helm-oci.md §1.11, §7 DECIDE):
 * SOURCE_DATE_EPOCH when set (as on Helm main), else the committer time of the last commit that
 * touched the chart directory, else 0. A shallow clone is deepened until that commit is known
 * for certain, so a depth-1 checkout stamps the same time as a full clone.
 */

export interface SourceDate {
  /** Unix seconds. */
  epoch: number;
  /** Why this time: "SOURCE_DATE_EPOCH", "commit <sha>", or why neither applied. */
  source: string;
}

export interface SourceDateOptions {
  /** The value of SOURCE_DATE_EPOCH, if any. */
  sourceDateEpoch: string | undefined;
  /** Repository root (the workspace). */
  workspace: string;
  git: ProcessRunner;
  logger: Logger;
  /** How many times a shallow clone may be deepened (each doubling the depth). */
  maxDeepen?: number;
}

/** Resolves the timestamp of several charts at once, sharing the work of deepening a clone. */
export async function resolveSourceDates(chartDirs: readonly string[], options: SourceDateOptions): Promise<Map<string, SourceDate>> {
  const result = new Map<string, SourceDate>();
  const fixed = parseSourceDateEpoch(options.sourceDateEpoch);
  if (fixed !== undefined) {
    for (const dir of chartDirs) result.set(dir, { epoch: fixed, source: 'SOURCE_DATE_EPOCH' });
    return result;
  }
  const git = new ChartHistory(createGit(options.git, options.workspace), options.workspace);
  if (!(await git.isRepository())) {
    for (const dir of chartDirs) result.set(dir, { epoch: 0, source: 'not a git repository' });
    return result;
  }

  let depth = 1;
  const maxDeepen = options.maxDeepen ?? 8;
  for (let attempt = 0; ; attempt++) {
    const boundary = await git.shallowBoundary();
    // Charts whose last commit is the edge of a shallow clone: every file looks added there.
    const unresolved = new Map<string, { sha: string; time: number }>();
    for (const dir of chartDirs) {
      if (result.has(dir)) continue;
      const last = await git.lastCommit(dir);
      if (!last) result.set(dir, { epoch: 0, source: 'no commit touches the chart yet' });
      else if (boundary.has(last.sha)) unresolved.set(dir, last);
      else result.set(dir, { epoch: last.time, source: `commit ${last.sha.slice(0, 12)}` });
    }
    if (unresolved.size === 0) break;
    if (attempt >= maxDeepen || !(await git.deepen(depth))) {
      for (const [dir, last] of unresolved) {
        options.logger.warning(
          `${dir}: the shallow clone ends at the last commit found for this chart, so its timestamp may differ from a ` +
            'full clone and the package digest is not reproducible; set SOURCE_DATE_EPOCH or use actions/checkout with fetch-depth: 0',
        );
        result.set(dir, { epoch: last.time, source: `commit ${last.sha.slice(0, 12)} (shallow clone edge)` });
      }
      break;
    }
    options.logger.debug(`Deepened the shallow clone by ${depth} commit(s) to date ${unresolved.size} chart(s)`);
    depth *= 2;
  }
  return result;
}

/** SOURCE_DATE_EPOCH: empty means unset; otherwise decimal non-negative seconds. */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new DomainError(`invalid SOURCE_DATE_EPOCH "${value}" in the environment: expected Unix seconds, e.g. 1700000000`);
  }
  return Number(trimmed);
}

/** The questions dating asks of git, through the one git layer (non-interactive, time-limited). */
class ChartHistory {
  constructor(
    private readonly git: Git,
    private readonly cwd: string,
  ) {}

  private async run(args: string[]): Promise<{ ok: boolean; out: string }> {
    const r = await this.git.run(args);
    return { ok: r.exitCode === 0, out: r.stdout.trim() };
  }

  async isRepository(): Promise<boolean> {
    if (!(await mayBeInsideWorkTree(this.cwd))) return false;
    return (await this.run(['rev-parse', '--is-inside-work-tree'])).out === 'true';
  }

  async lastCommit(dir: string): Promise<{ sha: string; time: number } | undefined> {
    const r = await this.run(['log', '-1', '--format=%H %ct', '--', dir === '' ? '.' : dir]);
    const [sha, time] = r.out.split(' ');
    return r.ok && sha && time ? { sha, time: Number(time) } : undefined;
  }

  async shallowBoundary(): Promise<Set<string>> {
    const path = (await this.run(['rev-parse', '--git-path', 'shallow'])).out;
    try {
      const text = await readFile(isAbsolute(path) ? path : join(this.cwd, path), 'utf8');
      return new Set(text.split('\n').filter(Boolean));
    } catch {
      return new Set();
    }
  }

  async deepen(by: number): Promise<boolean> {
    if ((await this.run(['rev-parse', '--is-shallow-repository'])).out !== 'true') return false;
    return (await this.run(['fetch', '--no-tags', '--quiet', `--deepen=${by}`])).ok;
  }
}
