import { DomainError, describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ChangedFile, CompareApi } from './change-request.js';
import { isFetchableName, type CommitHistory } from './commit-history.js';
import { diffCommits, short, type Git } from './git-client.js';

/** The commit a selection was computed against, as the log and the summary report it. */
export interface BaseCommit {
  /** The commit compared from: the merge-base for pull requests and new branches. */
  sha: string;
  /** The commit compared to. */
  head: string;
  /** Why this base, in words: "merge-base of main (f95f852bd8fc) and ec26c3e57ca3". */
  description: string;
  /**
   * `git`: sha, head and tip are commit ids in the clone. `compare-api`: the GitHub API compared
   * them; sha may be missing from the clone and tip is the revision as it was asked for.
   */
  via: 'git' | 'compare-api';
  /** For a merge-base comparison: the tip of the branch compared with (the pull request's base). */
  tip?: string;
  /**
   * The workspace's folder inside the repository ("" or "sub/dir/", as `git rev-parse
   * --show-prefix` says): a workspace file `f` is `<commit>:<prefix>f` in git.
   */
  prefix: string;
}

export type Changes =
  | { kind: 'diff'; base: BaseCommit; files: ChangedFile[] }
  /** The changes cannot be known precisely; every chart is selected, for this reason. */
  | { kind: 'all'; why: string };

export interface ChangeContext {
  git: Git;
  history: CommitHistory;
  logger: Logger;
  compareApi?: CompareApi | undefined;
  /** The workspace's path inside the repository ("" or "sub/dir/"), as `git rev-parse --show-prefix` says. */
  prefix: string;
}

/** `base..head` as trees: two commits are enough, so a shallow clone fetches only `base`. */
export async function compareRange(ctx: ChangeContext, base: string, head: string): Promise<Changes> {
  const baseSha = await ctx.history.commit(base);
  const headSha = baseSha && (await ctx.history.commit(head));
  if (baseSha && headSha) {
    const files = await diffCommits(ctx.git, baseSha, headSha);
    return diff(
      ctx,
      { sha: baseSha, head: headSha, description: `${describeRev(base, baseSha)}..${describeRev(head, headSha)}`, via: 'git' },
      files,
    );
  }
  const why = ctx.history.fetchFailure ?? `commit ${short(baseSha ? head : base)} is not in the repository`;
  // The compare API always compares from the merge-base; for a fast-forward push that is the same.
  return (await viaCompareApi(ctx, base, head, why)) ?? unavailable(`${short(base)}..${short(head)}`, why);
}

/** What `head` changed since it left `base`, as GitHub shows a pull request. */
export async function compareFromMergeBase(ctx: ChangeContext, base: string, head: string): Promise<Changes> {
  const baseSha = await ctx.history.commit(base);
  const headSha = baseSha && (await ctx.history.commit(head));
  let why = ctx.history.fetchFailure ?? `commit ${short(baseSha ? head : base)} is not in the repository`;
  if (baseSha && headSha) {
    const mergeBase = await ctx.history.mergeBase(baseSha, headSha);
    if (mergeBase.kind === 'found') {
      const files = await diffCommits(ctx.git, mergeBase.sha, headSha);
      const description = `merge-base ${short(mergeBase.sha)} of ${describeRev(base, baseSha)} and ${describeRev(head, headSha)}`;
      return diff(ctx, { sha: mergeBase.sha, head: headSha, description, via: 'git', tip: baseSha }, files);
    }
    if (mergeBase.kind === 'none') {
      throw new DomainError(
        `${describeRev(base, baseSha)} and ${describeRev(head, headSha)} have no common history, so there is nothing to compare with`,
      );
    }
    why = mergeBase.why;
  }
  return (await viaCompareApi(ctx, base, head, why)) ?? unavailable(`${short(base)}...${short(head)}`, why);
}

/**
 * A new branch: what it changed since it left the default branch. When there is no such point
 * (unrelated history, an empty default branch) or it cannot be found, all charts are selected.
 */
export async function compareBranchPoint(ctx: ChangeContext, defaultBranch: string, head: string): Promise<Changes> {
  // From the event payload (repository.default_branch): "main:refs/tags/x" or "*:refs/tags/*"
  // would make git fetch write local refs. GitHub never sends such a name.
  if (!isFetchableName(defaultBranch)) {
    throw new DomainError(
      `The default branch "${defaultBranch}" (repository.default_branch of the event payload) is not a branch name: ` +
        'a branch name has no ":", "*", "^", "~", "?", "[", "..", or leading "-" or "+"',
    );
  }
  const tip = await ctx.history.branchTip(defaultBranch);
  if (!tip) {
    const why = ctx.history.fetchFailure ?? 'it was not found';
    return (
      (await viaCompareApi(ctx, defaultBranch, head, why)) ?? {
        kind: 'all',
        why: `the default branch ${defaultBranch} cannot be read (${why})`,
      }
    );
  }
  const headSha = await ctx.history.commit(head);
  if (!headSha) {
    const why = ctx.history.fetchFailure ?? `commit ${short(head)} is not in the repository`;
    return (await viaCompareApi(ctx, tip, head, why)) ?? unavailable(`${defaultBranch}...${short(head)}`, why);
  }
  const mergeBase = await ctx.history.mergeBase(tip, headSha);
  if (mergeBase.kind === 'found') {
    const files = await diffCommits(ctx.git, mergeBase.sha, headSha);
    const description = `merge-base ${short(mergeBase.sha)} of the default branch ${defaultBranch} (${short(tip)}) and ${short(headSha)}`;
    return diff(ctx, { sha: mergeBase.sha, head: headSha, description, via: 'git', tip }, files);
  }
  if (mergeBase.kind === 'none') return { kind: 'all', why: `the new branch shares no history with the default branch ${defaultBranch}` };
  return (
    (await viaCompareApi(ctx, tip, headSha, mergeBase.why)) ?? {
      kind: 'all',
      why: `the point where the new branch left ${defaultBranch} cannot be found (${mergeBase.why})`,
    }
  );
}

async function viaCompareApi(ctx: ChangeContext, base: string, head: string, why: string): Promise<Changes | undefined> {
  if (!ctx.compareApi) return undefined;
  ctx.logger.info(`Asking the GitHub compare API for ${short(base)}...${short(head)}, because ${why}`);
  let result;
  try {
    result = await ctx.compareApi.compare(base, head);
  } catch (error) {
    throw new DomainError(
      `Cannot compare ${short(base)}...${short(head)}: ${why}, and the GitHub compare API failed: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!result.complete) {
    ctx.logger.warning(
      `The GitHub compare API lists at most 300 changed files and ${short(base)}...${short(head)} changes more; selecting all charts`,
    );
    return { kind: 'all', why: 'the comparison changes more files than the GitHub compare API lists' };
  }
  const description = `merge-base ${short(result.mergeBase)} of ${short(base)} and ${short(head)} (GitHub compare API)`;
  return diff(ctx, { sha: result.mergeBase, head, description, via: 'compare-api', tip: base }, result.files);
}

function unavailable(what: string, why: string): never {
  throw new DomainError(
    `Cannot compare ${what}: ${why}. Let the action fetch from origin (actions/checkout keeps its credentials by default), ` +
      'or give it "github-token" so that it can ask the GitHub compare API; "fetch-depth: 0" works too.',
  );
}

/** Repository paths → workspace paths; changes outside the workspace are dropped. */
function diff(ctx: ChangeContext, compared: Omit<BaseCommit, 'prefix'>, files: ChangedFile[]): Changes {
  const base: BaseCommit = { ...compared, prefix: ctx.prefix };
  if (ctx.prefix === '') return { kind: 'diff', base, files };
  const inside = (path: string | undefined) => path !== undefined && path.startsWith(ctx.prefix);
  const strip = (path: string) => path.slice(ctx.prefix.length);
  const mapped: ChangedFile[] = [];
  for (const file of files) {
    if (!inside(file.path) && !inside(file.previousPath)) continue;
    if (inside(file.path) && file.previousPath !== undefined && inside(file.previousPath)) {
      mapped.push({ ...file, path: strip(file.path), previousPath: strip(file.previousPath) });
    } else if (inside(file.path)) {
      // Moved in from outside the workspace: an addition as far as the workspace sees.
      mapped.push({ status: file.previousPath === undefined ? file.status : 'A', path: strip(file.path) });
    } else if (file.status === 'R') {
      // Moved out of the workspace: a deletion here. (A copy leaves its source unchanged.)
      mapped.push({ status: 'D', path: strip(file.previousPath as string) });
    }
  }
  return { kind: 'diff', base, files: mapped };
}

function describeRev(rev: string, sha: string): string {
  return rev === sha ? short(sha) : `${rev} (${short(sha)})`;
}
