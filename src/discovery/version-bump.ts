import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutText } from '../shared/checkout-file.js';
import { parseChartYaml } from '../chart/metadata.js';
import { compareVersions, nextPatch, parseVersion } from '../chart/go/version-constraints.js';
import { mapLimit } from '../shared/concurrency.js';
import { ChartError, describeError } from '../shared/errors.js';
import { GitError } from '../shared/git.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessRunner } from '../shared/process-runner.js';
import type { BaseCommit } from './changed-files.js';
import { CommitHistory } from './commit-history.js';
import { createGit, short, type Git } from './git-client.js';
import { joinPath } from './repo-paths.js';

/** git processes reading the base commit's Chart.yaml files at once. */
const SHOW_CONCURRENCY = 8;

export interface VersionBumpOptions {
  workspace: string;
  /** The chart folders to check (workspace-relative), e.g. the selected charts of a pull request. */
  charts: readonly string[];
  /**
   * The commit to compare with: for a pull request, the tip of its base branch. Either a
   * revision, looked up (and fetched when the clone lacks it), or the base a discovery compared
   * with (`Discovery.base`): then its tip is used (its sha when it has no tip), and what discovery
   * already found out (the commit, the workspace's folder in the repository) is not asked again.
   */
  base: string | BaseCommit;
  runner: ProcessRunner;
  logger: Logger;
  remote?: string;
}

/**
 * A changed chart that exists on the base commit must carry a greater version (SemVer
 * precedence) than it has there; otherwise publishing would overwrite, or be refused for, a
 * version that is already out. Returns one problem per chart, on its Chart.yaml `version:` line;
 * a chart that is new on this side has nothing to be greater than.
 */
export async function findVersionBumpProblems(options: VersionBumpOptions): Promise<ChartError[]> {
  const { workspace, logger } = options;
  const git = createGit(options.runner, workspace);
  const found = await resolveBase(git, options);
  if (!found) return [];
  const { sha: base, prefix } = found;
  // Which charts have a Chart.yaml on the base commit, in one git call that needs no parsing of
  // git's (translated) error messages: a path that is not there is simply not listed.
  const paths = options.charts.map((dir) => `${prefix}${joinPath(dir, 'Chart.yaml')}`);
  const listed = await git.output(
    ['ls-tree', '-z', '--full-tree', '--full-name', '--name-only', base, '--', ...paths],
    `listing the charts of the base commit ${short(base)}`,
  );
  const onBase = new Set(listed.split('\0'));
  // One git process per chart, a few at a time: a pull request touching 1500 charts must not
  // start 1500 processes at once (a runner allowing 1024 descriptors cannot).
  const problems = await mapLimit(options.charts, SHOW_CONCURRENCY, async (dir) => {
    const file = joinPath(dir, 'Chart.yaml');
    if (!onBase.has(`${prefix}${file}`)) {
      logger.debug(`${dir}: no Chart.yaml on the base commit ${short(base)}: a new chart, no version to exceed`);
      return undefined;
    }
    const args = ['show', `${base}:${prefix}${file}`];
    const shown = await git.run(args);
    if (shown.exitCode !== 0) {
      // A git that timed out or could not be started says nothing about the chart: the check
      // must not pass for it.
      throw new GitError(
        `checking the version bump of ${dir}: git ${args.join(' ')} failed: ${shown.stderr.trim() || `exit code ${shown.exitCode}`}`,
      );
    }
    const text = readCheckoutText(file, { workspace, maxBytes: MAX_FILE_SIZE });
    return text === undefined ? undefined : checkBump(file, text, shown.stdout, base, logger);
  });
  return problems.filter((p): p is ChartError => p !== undefined);
}

/** The base commit to read Chart.yaml files from, and the workspace's folder in the repository. */
async function resolveBase(git: Git, options: VersionBumpOptions): Promise<{ sha: string; prefix: string } | undefined> {
  const { base: given, logger } = options;
  const rev = typeof given === 'string' ? given : (given.tip ?? given.sha);
  // git compared these very commits during discovery: they are in the clone, already resolved.
  if (typeof given !== 'string' && given.via === 'git') return { sha: rev, prefix: given.prefix };
  const history = new CommitHistory({ git, logger, ...(options.remote ? { remote: options.remote } : {}) });
  const sha = await history.commit(rev);
  if (!sha) {
    logger.warning(`Cannot check version bumps: the base commit ${short(rev)} is not available (${history.fetchFailure ?? 'not found'})`);
    return undefined;
  }
  const prefix =
    typeof given === 'string'
      ? (await git.output(['rev-parse', '--show-prefix'], `finding the git repository of ${options.workspace}`)).trim()
      : given.prefix;
  return { sha, prefix };
}

function checkBump(file: string, headText: string, baseText: string, base: string, logger: Logger): ChartError | undefined {
  let head: ReturnType<typeof parseChartYaml>;
  try {
    head = parseChartYaml(headText, file);
  } catch (error) {
    // Validation reports an unreadable Chart.yaml with its own message.
    logger.debug(`${file}: cannot be read (${describeError(error)}); its version bump is not checked`);
    return undefined;
  }
  let baseVersion: string;
  try {
    baseVersion = parseChartYaml(baseText, file).metadata.version;
  } catch (error) {
    logger.debug(`${file}: the base commit's Chart.yaml cannot be read (${describeError(error)}); no version to compare with`);
    return undefined;
  }
  // Chart versions as Helm reads them (Masterminds/semver: "1.2" and "v1.2.3" are versions).
  const now = parseVersion(head.metadata.version);
  const before = parseVersion(baseVersion);
  // An invalid version is reported by validation, with its own message; nothing to compare here.
  if (!now || !before) return undefined;
  if (compareVersions(now, before) > 0) {
    logger.debug(`${file}: version ${head.metadata.version} > ${baseVersion} on ${short(base)}`);
    return undefined;
  }
  const next = nextPatch(before);
  return new ChartError(
    `version ${head.metadata.version} must be greater than ${baseVersion}, the version on the base commit ${short(base)}: ` +
      `the chart changed, so bump it (e.g. to ${next})`,
    { file, line: head.source.keyLines.get('version') },
  );
}
