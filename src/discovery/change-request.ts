/**
 * What a run compares, decided from the GitHub event (src/action/event.ts) or the `base` input.
 * The engine turns it into changed files; every variant carries a `reason` written for the log
 * ("pull_request #12 (synchronize) into main"), so that the log can say why a base was used.
 *
 * - `range`: the trees of `base` and `head` as they are (`git diff base head`). Used for pushes
 *   (before..after, force pushes included) and for an explicit `base`. Needs no history between
 *   the two commits, so a shallow clone only has to fetch `base` itself.
 * - `merge-base`: what `head` changed since it left `base` (`git diff $(git merge-base) head`),
 *   as GitHub shows a pull request. Needs history; a shallow clone is deepened on demand.
 * - `branch-point`: a new branch (push with an all-zero `before`): the merge-base of the default
 *   branch's tip and `head`; all charts when there is none.
 * - `tag`: a tag push or release: compared with the previous tag of the same pattern, or one
 *   chart when the tag names it (`<chart>-<version>`); all charts when there is no previous tag.
 * - `all`: every chart (workflow_dispatch, schedule, `discover: all`, unknown events).
 * - `none`: nothing to publish (a deleted branch or tag, a deleted or unpublished release).
 */
export type ChangeRequest =
  | { kind: 'range'; base: string; head: string; reason: string }
  | { kind: 'merge-base'; base: string; head: string; reason: string }
  | { kind: 'branch-point'; defaultBranch: string; head: string; reason: string }
  | { kind: 'tag'; tag: string; head: string; reason: string }
  | { kind: 'all'; reason: string }
  | { kind: 'none'; reason: string };

/** A changed path as `git diff --name-status` reports it; paths are repository-relative. */
export interface ChangedFile {
  /** A added, M modified, D deleted, R renamed, C copied, T type changed. */
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  path: string;
  /** The path before a rename or copy. */
  previousPath?: string;
}

/**
 * The GitHub API as the engine needs it: the fallback when the clone cannot fetch what it lacks.
 * `compare` compares `base...head` (three dots: from their merge-base).
 */
export interface CompareApi {
  compare(base: string, head: string): Promise<CompareResult>;
  /** The names of the repository's tags that start with `prefix`, for a tag's predecessor. */
  tags(prefix: string): Promise<string[]>;
}

export interface CompareResult {
  mergeBase: string;
  files: ChangedFile[];
  /** False when GitHub cut the file list short (it lists at most 300 files). */
  complete: boolean;
}
