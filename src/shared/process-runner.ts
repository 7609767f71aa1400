import { getExecOutput } from '@actions/exec';

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the process's standard input. */
  input?: string | Buffer;
}

/** Runs external programs (git, credential helpers). Never throws on a non-zero exit. */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/**
 * The one process runner, over @actions/exec. Silent: callers decide what to log, so that
 * credential helper output (which carries secrets) never reaches the log by accident.
 */
export function createProcessRunner(): ProcessRunner {
  return {
    async run(command, args, options = {}) {
      try {
        const result = await getExecOutput(command, [...args], {
          cwd: options.cwd,
          env: options.env ? { ...processEnv(), ...options.env } : undefined,
          input: options.input === undefined ? undefined : Buffer.from(options.input),
          silent: true,
          ignoreReturnCode: true,
        });
        return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
      } catch (error) {
        // @actions/exec throws when the program cannot be started (e.g. not on PATH).
        return { exitCode: 127, stdout: '', stderr: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

function processEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}
