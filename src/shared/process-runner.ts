import { constants } from 'node:os';
import { basename } from 'node:path';
import { noDeadline, type Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { DomainError } from './errors.js';
import { shortenRedacted } from './secret-redactor.js';

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /**
   * Set when the program did not run to its own end: it could not be started (exit code 126 or
   * 127, as a shell says), was stopped at its time limit (124, as timeout(1) says) or printed more
   * than the runner keeps. Says so in words, naming the program; never contains its output.
   */
  failure?: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the process's standard input. */
  input?: string | Buffer;
  /** Time limit of this call; the process group is killed beyond it. Default: the runner's. */
  timeoutMs?: number;
}

/** Runs external programs (git, credential helpers). Never throws on a non-zero exit. */
export interface ProcessRunner {
  /**
   * Runs `command` to its end and reports how it ended; throws only a ProcessError when the
   * run's deadline stops it (the run is over then, nothing should go on).
   */
  run(command: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/** A program stopped because the run ran out of time. */
export class ProcessError extends DomainError {}

export interface ProcessRunnerOptions {
  /** The run's deadline: every process is killed when it fires. */
  deadline?: Deadline;
  /** Default per-call limit. 10 minutes: a safety net; callers give tighter limits. */
  timeoutMs?: number;
  /** Output kept per stream; a program printing more is stopped. Default 64 MiB. */
  maxOutputBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
// After the program exits, how long its output pipes may stay open (held by a process it left
// behind) before the runner stops waiting for them.
const CLOSE_GRACE_MS = 2_000;

/**
 * The one process runner, over node:child_process rather than @actions/exec, because the runner
 * must: stop a program at a time limit or at the run's deadline (exec has neither), kill the
 * whole process group a program started (a helper's own children too), survive a program that
 * exits without reading its standard input (exec writes stdin without an error listener, so
 * EPIPE crashed Node), and bound what it keeps of the output. Silent: callers decide what to
 * log, so that credential helper output (which carries secrets) never reaches the log by accident.
 */
export function createProcessRunner(options: ProcessRunnerOptions = {}): ProcessRunner {
  const deadline = options.deadline ?? noDeadline;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return {
    run(command, args, runOptions = {}) {
      const display = describeCommand(command, args);
      return deadline.track(display, () =>
        runProcess(command, args, runOptions, {
          display,
          signal: deadline.signal,
          timeoutMs: runOptions.timeoutMs ?? defaultTimeout,
          maxOutput,
        }),
      );
    },
  };
}

interface Limits {
  display: string;
  signal: AbortSignal;
  timeoutMs: number;
  maxOutput: number;
}

function runProcess(command: string, args: readonly string[], options: RunOptions, limits: Limits): Promise<ProcessResult> {
  const { display, signal } = limits;
  if (signal.aborted) return Promise.reject(stopped(display, signal.reason));
  // Loaded with the first command: a run that starts none (no git, no credential helper) skips it.
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise<ProcessResult>((resolve, reject) => {
    let child;
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group: a time limit kills the program and everything it started.
        detached: true,
        windowsHide: true,
      });
    } catch (error) {
      // spawn throws synchronously for some argument errors (e.g. a NUL byte in an argument).
      resolve(notStarted(command, display, error));
      return;
    }
    const spawned = child;
    // A spawn that fails for want of resources (EMFILE, EAGAIN, ENOMEM) returns a child without
    // pipes and reports the error a tick later: listened to first, so that it is never uncaught.
    if (!spawned.stdout || !spawned.stderr || !spawned.stdin) {
      spawned.once('error', (error) => resolve(notStarted(command, display, error)));
      return;
    }
    const stdout = new Output(limits.maxOutput);
    const stderr = new Output(limits.maxOutput);
    let failure: string | undefined;
    let exitCode: number | undefined;
    let settled = false;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const finish = (result: () => ProcessResult | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
      const value = result();
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onAbort = () => {
      killGroup();
      finish(() => stopped(display, signal.reason));
    };
    const timer = setTimeout(() => {
      failure ??= `${display} did not finish within ${formatDuration(limits.timeoutMs)} and was stopped`;
      exitCode = 124;
      killGroup();
    }, limits.timeoutMs);
    let graceTimer: NodeJS.Timeout | undefined;
    signal.addEventListener('abort', onAbort, { once: true });

    const overflow = () => {
      failure ??= `${display} printed more than ${limits.maxOutput} bytes and was stopped`;
      exitCode = 1;
      killGroup();
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk) || overflow());
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk) || overflow());

    // A program that exits without reading its input (or that cannot be started) closes the pipe:
    // EPIPE here says nothing the exit code does not say better.
    child.stdin.on('error', () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();

    const result = (): ProcessResult => ({
      exitCode: exitCode ?? 1,
      stdout: stdout.text(),
      // The failure ends stderr too, so that a caller showing git's stderr shows why it stopped.
      stderr: failure ? `${stderr.text().trimEnd()}\n${failure}`.trimStart() : stderr.text(),
      ...(failure ? { failure } : {}),
    });
    child.on('error', (error) => {
      // Not started (ENOENT, EACCES, ENOEXEC…); kill and signal errors cannot happen here.
      finish(() => notStarted(command, display, error));
    });
    child.on('exit', (code, signalName) => {
      if (settled) return;
      exitCode ??= code ?? 128 + signalNumber(signalName);
      // Output pipes may be held open by something the program left running: wait a little.
      graceTimer = setTimeout(() => {
        killGroup();
        child.stdout.destroy();
        child.stderr.destroy();
        finish(result);
      }, CLOSE_GRACE_MS);
    });
    child.on('close', () => finish(result));
  });
}

class Output {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** False once the limit is passed; the excess is dropped. */
  add(chunk: Buffer): boolean {
    if (this.size + chunk.byteLength > this.limit) return false;
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function notStarted(command: string, display: string, error: unknown): ProcessResult {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? command.includes('/')
        ? 'the file, or the interpreter its #! line names, does not exist'
        : 'not found on PATH'
      : code === 'EACCES'
        ? 'not executable (permission denied)'
        : code === 'ENOEXEC'
          ? 'not a program this system can run'
          : (code ?? (error instanceof Error ? error.message : String(error)));
  const failure = `${display} could not be started: ${why}`;
  // The shell's convention: 127 for a program that is not there, 126 for one that cannot run.
  return { exitCode: code === 'ENOENT' ? 127 : 126, stdout: '', stderr: failure, failure };
}

function stopped(display: string, reason: unknown): ProcessError {
  const why = reason instanceof Error ? reason.message : 'the run was cancelled';
  return new ProcessError(`${display} was stopped: ${why}`, { cause: reason });
}

/** `git fetch --quiet origin` or `docker-credential-pass get`: the program's name and its arguments, shortened. */
function describeCommand(command: string, args: readonly string[]): string {
  return shortenRedacted([basename(command), ...args].join(' ').replace(/[\r\n]+/g, ' '), 200);
}

/** The signal's number on this platform (Node's table), for the shell's 128 + n exit code. */
function signalNumber(name: NodeJS.Signals | null): number {
  return name ? (constants.signals[name] ?? 0) : 0;
}
