import { DomainError } from '../shared/errors.js';
import type { ProcessResult, ProcessRunner } from '../shared/process-runner.js';
import type { ChangedFile } from './change-request.js';

/** A git command that failed; the message says what was attempted and carries git's stderr. */
export class GitError extends DomainError {}

/** git in one working directory. Every call goes through the injected ProcessRunner. */
export interface Git {
  readonly cwd: string;
  /** Runs git; never throws on a non-zero exit. */
  run(args: readonly string[], input?: string): Promise<ProcessResult>;
  /** Runs git and returns stdout; throws GitError naming `purpose` when git fails. */
  output(args: readonly string[], purpose: string, input?: string): Promise<string>;
}

// A fetch must never wait for a password prompt (persist-credentials: false on a private
// repository): it fails at once and the compare API takes over.
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };

export function createGit(runner: ProcessRunner, cwd: string): Git {
  const run = (args: readonly string[], input?: string) =>
    runner.run('git', args, input === undefined ? { cwd, env: GIT_ENV } : { cwd, env: GIT_ENV, input });
  return {
    cwd,
    run,
    async output(args, purpose, input) {
      const result = await run(args, input);
      if (result.exitCode !== 0) {
        const detail = result.stderr.trim() || `exit code ${result.exitCode}`;
        const hint = result.exitCode === 127 ? ' (is git installed and on PATH?)' : '';
        throw new GitError(`${purpose}: git ${args.join(' ')} failed${hint}: ${detail}`);
      }
      return result.stdout;
    },
  };
}

/** The commit a revision names, or undefined when it is not in the local repository. */
export async function resolveCommit(git: Git, rev: string): Promise<string | undefined> {
  // --end-of-options: a `base` input such as "--output=x" must stay a revision.
  const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function isShallowRepository(git: Git): Promise<boolean> {
  const result = await git.run(['rev-parse', '--is-shallow-repository']);
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * The files that differ between two commits, with rename detection, as one `git diff` call.
 * -z keeps paths verbatim (no quoting of unusual names); the other flags neutralise user
 * configuration (diff.relative, color.diff=always, external diff drivers).
 */
export async function diffCommits(git: Git, base: string, head: string): Promise<ChangedFile[]> {
  const out = await git.output(
    ['diff', '--name-status', '-z', '--no-color', '--no-ext-diff', '--no-relative', '--find-renames', base, head, '--'],
    `comparing ${base} with ${head}`,
  );
  return parseNameStatus(out);
}

/** Parses `git diff --name-status -z`: "M\0path\0", "R100\0old\0new\0". */
export function parseNameStatus(out: string): ChangedFile[] {
  const fields = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const token = fields[i++] as string;
    if (token === '') continue;
    const letter = token[0] as string;
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++] as string;
      const path = fields[i++] as string;
      files.push({ status: letter, path, previousPath });
    } else {
      const path = fields[i++] as string;
      files.push({ status: letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M', path });
    }
  }
  return files;
}

/** A short commit id for log lines. */
export function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 12) : sha;
}
