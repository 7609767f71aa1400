import { DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isShallowRepository, resolveCommit, short, type Git } from './git-client.js';

/** What CommitHistory.mergeBase found. */
export type MergeBase =
  | { kind: 'found'; sha: string }
  /** The complete history is here and the two commits share none of it. */
  | { kind: 'none' }
  /** The clone is shallow and the history could not be completed far enough. */
  | { kind: 'unknown'; why: string };

/** Depths tried in turn to find a merge-base in a shallow clone. */
const DEEPEN_STEPS: readonly number[] = [64, 512, 4096];

/**
 * The commits discovery needs, fetched on demand. actions/checkout clones one commit deep by
 * default; rather than asking users for `fetch-depth: 0` (a full clone of a large chart monorepo
 * on every run), the missing commits are fetched: one commit for a tree comparison, and a
 * bounded, growing history when a merge-base is needed. Once the remote has failed (removed,
 * unreachable, no credentials) it is not asked again; the caller falls back to the compare API.
 */
export class CommitHistory {
  private readonly git: Git;
  private readonly logger: Logger;
  private readonly remote: string;
  private readonly deepenSteps: readonly number[];
  private shallow: boolean | undefined;
  private remoteFailure: string | undefined;

  constructor(options: { git: Git; logger: Logger; remote?: string; deepenSteps?: readonly number[] }) {
    this.git = options.git;
    this.logger = options.logger;
    this.remote = options.remote ?? 'origin';
    this.deepenSteps = options.deepenSteps ?? DEEPEN_STEPS;
  }

  /** Why the remote could not be used, once it failed. */
  get fetchFailure(): string | undefined {
    return this.remoteFailure;
  }

  async isShallow(): Promise<boolean> {
    this.shallow ??= await isShallowRepository(this.git);
    return this.shallow;
  }

  /**
   * The commit `rev` names (a commit id, tag, branch or other revision), fetching it from the
   * remote when the clone lacks it. Undefined when it cannot be had.
   */
  async commit(rev: string): Promise<string | undefined> {
    const local = (await resolveCommit(this.git, rev)) ?? (await this.remoteTracking(rev));
    if (local) return local;
    // A refspec ("a:b", "+x") would make git fetch write local refs: only ids and ref names go.
    if (!FETCHABLE.test(rev)) return undefined;
    if (!(await this.fetch([rev], `commit ${short(rev)}`))) return undefined;
    return resolveCommit(this.git, isCommitId(rev) ? rev : 'FETCH_HEAD');
  }

  /**
   * The tip of a branch of the remote: the remote-tracking ref when there is one, else fetched.
   * `branch` must be a plain name (isFetchableName): it becomes part of a refspec.
   */
  async branchTip(branch: string): Promise<string | undefined> {
    if (!FETCHABLE.test(branch)) throw new DomainError(`"${branch}" is not a branch name git can fetch`);
    const tracked = await this.remoteTracking(branch);
    if (tracked) return tracked;
    if (!(await this.fetch([`refs/heads/${branch}`], `branch ${branch}`))) return undefined;
    return resolveCommit(this.git, 'FETCH_HEAD');
  }

  /** The merge-base of two commits that are present, deepening a shallow clone as needed. */
  async mergeBase(a: string, b: string): Promise<MergeBase> {
    const first = await this.localMergeBase(a, b);
    if (first) return { kind: 'found', sha: first };
    if (!(await this.isShallow())) return { kind: 'none' };
    for (const depth of this.deepenSteps) {
      if (this.remoteFailure) break;
      this.logger.info(`Shallow clone: fetching ${depth} commits of history to find the merge-base of ${short(a)} and ${short(b)}`);
      if (!(await this.fetch([a, b], `history of ${short(a)} and ${short(b)}`, depth))) break;
      const found = await this.localMergeBase(a, b);
      if (found) return { kind: 'found', sha: found };
      this.shallow = undefined;
      // A depth beyond the start of history leaves nothing shallow: the answer is final.
      if (!(await this.isShallow())) return { kind: 'none' };
    }
    return {
      kind: 'unknown',
      why: this.remoteFailure ?? `no merge-base within ${this.deepenSteps.at(-1)} commits of history`,
    };
  }

  /** The names of the remote's tags; undefined when the remote cannot be asked. */
  async remoteTags(): Promise<string[] | undefined> {
    if (this.remoteFailure) return undefined;
    const result = await this.git.run(['ls-remote', '--tags', '--refs', '--end-of-options', this.remote]);
    if (result.exitCode !== 0) {
      this.failed(`git ls-remote --tags ${this.remote}`, result.stderr);
      return undefined;
    }
    return result.stdout
      .split('\n')
      .map((line) => line.slice(line.indexOf('\t') + 1).replace(/^refs\/tags\//, ''))
      .filter((name) => name !== '');
  }

  /** The names of the local repository's tags. */
  async localTags(): Promise<string[]> {
    const out = await this.git.output(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'], 'listing tags');
    return out.split('\n').filter((name) => name !== '');
  }

  private async localMergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await this.git.run(['merge-base', a, b]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  private async remoteTracking(branch: string): Promise<string | undefined> {
    if (isCommitId(branch) || branch.startsWith('refs/')) return undefined;
    return resolveCommit(this.git, `refs/remotes/${this.remote}/${branch}`);
  }

  private async fetch(revs: readonly string[], what: string, depth?: number): Promise<boolean> {
    if (this.remoteFailure) return false;
    // In a full clone a --depth would make the repository shallow; fetch whole history there.
    const shallow = await this.isShallow();
    const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];
    if (shallow) args.push(`--depth=${depth ?? 1}`);
    args.push('--end-of-options', this.remote, ...revs);
    this.logger.debug(`Fetching ${what}: git ${args.join(' ')}`);
    const result = await this.git.run(args);
    if (result.exitCode === 0) return true;
    this.failed(`git fetch ${this.remote} ${revs.map(short).join(' ')}`, result.stderr);
    return false;
  }

  private failed(command: string, stderr: string): void {
    this.remoteFailure = `${command} failed: ${gitReason(stderr)}`;
    this.logger.info(`Cannot fetch from the remote: ${this.remoteFailure}`);
  }
}

/**
 * The line of git's output that says why: its first `fatal:` or `error:` line, else its first
 * line. git ends many failures with advice ("Please make sure you have the correct access
 * rights / and the repository exists."), whose last line alone says nothing.
 */
function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.find((line) => /^(fatal|error):/.test(line)) ?? lines[0] ?? 'no output';
}

/**
 * A commit id or ref name that git fetch takes as a name, never as a refspec: no ":" (which
 * writes a local ref), "*" (a pattern), "^", "~" or ".." (revision syntax), and no leading "-"
 * (an option) or "+" (force). A "+" further on is plain: SemVer build metadata (`v1.0.0+a`).
 * Letters beyond ASCII are plain too (a branch named "übersetzung").
 */
const FETCHABLE = /^(?!.*\.\.)[A-Za-z0-9._/\u0080-\uffff][A-Za-z0-9._/+\u0080-\uffff-]*$/;

/** Whether `name` can be fetched as a name (see FETCHABLE). */
export function isFetchableName(name: string): boolean {
  return FETCHABLE.test(name);
}

function isCommitId(rev: string): boolean {
  return /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(rev);
}
