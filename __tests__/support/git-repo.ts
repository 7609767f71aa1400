import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProcessRunner, type ProcessRunner, type RunOptions } from '../../src/shared/process-runner.js';

/**
 * Real git repositories in temporary folders, for discovery tests: commits with fixed dates
 * (so that ids are reproducible within a test), branches, tags, merges, and shallow clones the
 * way actions/checkout makes them (`git clone --depth 1 file://…`). Global and system git
 * configuration are ignored, so a developer's settings cannot change what the tests see.
 */

/** Environment for every git command of the tests, the engine's included. */
export const GIT_TEST_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Chart Tester',
  GIT_AUTHOR_EMAIL: 'tester@example.com',
  GIT_COMMITTER_NAME: 'Chart Tester',
  GIT_COMMITTER_EMAIL: 'tester@example.com',
  GIT_TERMINAL_PROMPT: '0',
};

let gitChecked = false;

function requireGit(): void {
  if (gitChecked) return;
  const probe = spawnSync('git', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      'git is required by the discovery tests but is not on PATH: install it (e.g. `apt-get install git`, `brew install git`).',
    );
  }
  gitChecked = true;
}

/** Files to write: path → content; null deletes the file. */
export type FileChanges = Record<string, string | null>;

export class GitRepo {
  readonly dir: string;
  private clock: number;

  private constructor(dir: string, clock: number) {
    this.dir = dir;
    this.clock = clock;
  }

  /** A new repository on branch `main` with nothing committed. */
  static create(): GitRepo {
    requireGit();
    const dir = mkdtempSync(join(tmpdir(), 'ocp-git-'));
    const repo = new GitRepo(dir, Date.UTC(2026, 0, 1) / 1000);
    repo.git('init', '--quiet', '--initial-branch=main');
    return repo;
  }

  /**
   * A clone of another repository over file:// (so that --depth applies, as on a runner):
   * `depth` 1 is actions/checkout's default; `ref` is the branch or tag to check out.
   */
  static clone(source: GitRepo, options: { depth?: number; ref?: string } = {}): GitRepo {
    requireGit();
    const dir = mkdtempSync(join(tmpdir(), 'ocp-clone-'));
    const args = ['clone', '--quiet'];
    if (options.depth !== undefined) args.push(`--depth=${options.depth}`);
    if (options.ref !== undefined) args.push('--branch', options.ref);
    run(tmpdir(), [...args, pathToFileURL(source.dir).href, dir]);
    return new GitRepo(dir, source.clock);
  }

  /** Runs git in the repository and returns its trimmed output. */
  git(...args: string[]): string {
    return run(this.dir, args, this.dates());
  }

  write(files: FileChanges): void {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        rmSync(full, { recursive: true, force: true });
      } else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
  }

  /** Writes the files (if any), stages everything and commits; returns the new commit id. */
  commit(message: string, files: FileChanges = {}): string {
    this.write(files);
    this.git('add', '--all');
    this.clock += 60;
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  /** The commit a revision names. */
  rev(revision: string): string {
    return this.git('rev-parse', `${revision}^{commit}`);
  }

  /** Creates a branch at `from` (default HEAD) and checks it out. */
  branch(name: string, from = 'HEAD'): void {
    this.git('checkout', '--quiet', '-b', name, from);
  }

  checkout(ref: string): void {
    this.git('checkout', '--quiet', ref);
  }

  /** A lightweight tag, or an annotated one when a message is given. */
  tag(name: string, options: { at?: string; message?: string } = {}): void {
    this.clock += 60;
    const at = options.at ?? 'HEAD';
    if (options.message === undefined) this.git('tag', name, at);
    else this.git('tag', '-a', name, '-m', options.message, at);
  }

  /** Merges a branch into the current one with a merge commit; returns it. */
  merge(branch: string, message = `Merge ${branch}`): string {
    this.clock += 60;
    this.git('merge', '--quiet', '--no-ff', '-m', message, branch);
    return this.head();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private dates(): Record<string, string> {
    const date = `@${this.clock} +0000`;
    return { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  }
}

function run(cwd: string, args: string[], extraEnv: Record<string, string> = {}): string {
  try {
    return execFileSync('git', args, {
      cwd,
      env: { ...process.env, ...GIT_TEST_ENV, ...extraEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr.trim()}`, { cause: error });
  }
}

/** A git call the engine made, as the recording runner saw it. */
export interface RecordedCall {
  command: string;
  args: readonly string[];
  exitCode: number;
}

/**
 * The project's real process runner with the test environment added, recording every call so
 * that tests can assert what was fetched and how many diffs were run.
 */
export function recordingRunner(): ProcessRunner & { calls: RecordedCall[] } {
  requireGit();
  const inner = createProcessRunner();
  const calls: RecordedCall[] = [];
  return {
    calls,
    async run(command: string, args: readonly string[], options: RunOptions = {}) {
      const result = await inner.run(command, args, { ...options, env: { ...GIT_TEST_ENV, ...options.env } });
      calls.push({ command, args, exitCode: result.exitCode });
      return result;
    },
  };
}
