import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DomainError } from './errors.js';
import type { ProcessResult, ProcessRunner } from './process-runner.js';

/** A git command that failed; the message says what was attempted and carries git's stderr. */
export class GitError extends DomainError {}

/** git in one working directory; the only way the action runs git. */
export interface Git {
  readonly cwd: string;
  /** Runs git; never throws on a non-zero exit (nor on its time limit: exit code 124). */
  run(args: readonly string[], input?: string): Promise<ProcessResult>;
  /** Runs git and returns stdout; throws GitError naming `purpose` when git fails. */
  output(args: readonly string[], purpose: string, input?: string): Promise<string>;
}

export interface GitLimits {
  /** Commands that talk to a remote (fetch, ls-remote). */
  remoteMs: number;
  /** Everything else: the repository on disk only. */
  localMs: number;
}

/**
 * A fetch deepening a large monorepo's history may take minutes; a local command that takes
 * more than two is stuck (a lock, a hung filter). The run's deadline bounds both anyway.
 */
const DEFAULT_GIT_LIMITS: GitLimits = { remoteMs: 5 * 60_000, localMs: 2 * 60_000 };

const REMOTE_COMMANDS = new Set(['fetch', 'ls-remote', 'pull', 'clone', 'push', 'remote']);

/**
 * Configuration that keeps git from ever waiting for a person: no terminal prompt, no askpass
 * program (an empty GIT_ASKPASS wins over core.askPass and SSH_ASKPASS), ssh in batch mode, and
 * Git Credential Manager told not to open a dialog. A fetch that needs a password fails at once
 * (persist-credentials: false on a private repository) and the compare API takes over.
 */
export function nonInteractiveGitEnv(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const config: Array<[string, string]> = [
    ['core.askPass', ''],
    ['credential.interactive', 'never'],
  ];
  // Added after any GIT_CONFIG_* pairs the environment already carries (git ≥ 2.31).
  const existing = Number(env.GIT_CONFIG_COUNT ?? '0');
  const base = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
  const out: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: `${env.GIT_SSH_COMMAND || 'ssh'} -o BatchMode=yes`,
    GIT_CONFIG_COUNT: String(base + config.length),
  };
  config.forEach(([key, value], i) => {
    out[`GIT_CONFIG_KEY_${base + i}`] = key;
    out[`GIT_CONFIG_VALUE_${base + i}`] = value;
  });
  return out;
}

export function createGit(runner: ProcessRunner, cwd: string, limits: GitLimits = DEFAULT_GIT_LIMITS): Git {
  const env = nonInteractiveGitEnv();
  const run = (args: readonly string[], input?: string) => {
    const timeoutMs = REMOTE_COMMANDS.has(args[0] ?? '') ? limits.remoteMs : limits.localMs;
    return runner.run('git', args, input === undefined ? { cwd, env, timeoutMs } : { cwd, env, timeoutMs, input });
  };
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

/**
 * False when git cannot find a work tree from `dir`: git looks for `.git` (a directory, or the
 * file of a worktree or submodule) there and in every parent, unless GIT_DIR names one. Asking
 * git costs a process start; this costs a few file look-ups, so a workspace that is no checkout
 * (an unpacked source archive) is known for one without git at all.
 */
export async function mayBeInsideWorkTree(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<boolean> {
  if (env.GIT_DIR) return true;
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      await access(join(current, '.git'));
      return true;
    } catch {
      if (dirname(current) === current) return false;
    }
  }
}
