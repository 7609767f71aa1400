import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startDeadline } from '../../src/shared/deadline.js';
import { describeError } from '../../src/shared/errors.js';
import { createProcessRunner, ProcessError } from '../../src/shared/process-runner.js';
import { tempDir } from '../support/temp-workspace.js';

/** Writes an executable script into a fresh folder and returns its path. */
function script(name: string, text: string, mode = 0o755): string {
  const path = join(tempDir('ocp-proc-'), name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** Running (a killed process left unreaped by a container's init is a zombie, state Z: not running). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('the process runner', () => {
  it('stops a program that never exits at its limit, with everything it started', async () => {
    const dir = tempDir('ocp-proc-');
    const pidFile = join(dir, 'child.pid');
    const program = script('hangs', `#!/bin/sh\nsleep 300 &\necho $! > '${pidFile}'\nwait\n`);
    const result = await createProcessRunner().run(program, ['get'], { timeoutMs: 500 });
    expect(result.exitCode).toBe(124);
    expect(result.failure).toBe('hangs get did not finish within 500 ms and was stopped');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL to the group is delivered at once; the grandchild may take a moment to be reaped.
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('survives a program that exits without reading its input (EPIPE)', async () => {
    const program = script('no-read', '#!/bin/sh\nexit 3\n');
    const result = await createProcessRunner().run(program, ['get'], { input: Buffer.alloc(8 * 1024 * 1024, 'x') });
    expect(result).toEqual({ exitCode: 3, stdout: '', stderr: '' });
  });

  it('names a program that cannot be started, with the shell exit codes', async () => {
    const runner = createProcessRunner();
    const missingInterpreter = script('bad-shebang', '#!/nonexistent/interpreter\n');
    expect(await runner.run(missingInterpreter, ['get'], { input: 'x' })).toMatchObject({
      exitCode: 127,
      failure: 'bad-shebang get could not be started: the file, or the interpreter its #! line names, does not exist',
    });
    const notExecutable = script('not-executable', '#!/bin/sh\n', 0o644);
    expect(await runner.run(notExecutable, [])).toMatchObject({
      exitCode: 126,
      failure: 'not-executable could not be started: not executable (permission denied)',
    });
    expect(await runner.run('ocp-no-such-program', ['--version'])).toMatchObject({
      exitCode: 127,
      failure: 'ocp-no-such-program --version could not be started: not found on PATH',
    });
  });

  it('stops a program that floods its output', async () => {
    const result = await createProcessRunner({ maxOutputBytes: 1024 * 1024 }).run('yes', ['garbage']);
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe('yes garbage printed more than 1048576 bytes and was stopped');
    expect(result.stdout.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it("stops a program at the run's deadline and says what was in flight", async () => {
    const deadline = startDeadline(300, 'input "timeout": 0.005 minute(s)');
    const runner = createProcessRunner({ deadline });
    const error = await runner.run('sleep', ['300']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessError);
    expect(describeError(error)).toBe('sleep 300 was stopped: the run\'s time limit (input "timeout": 0.005 minute(s)) was reached');
    expect(deadline.inFlightAtExpiry).toEqual(['sleep 300']);
    // Nothing starts after the deadline.
    await expect(runner.run('true', [])).rejects.toThrow('true was stopped');
  });

  it('returns normally when the program ends in time', async () => {
    const result = await createProcessRunner().run('sh', ['-c', 'read x; echo "got $x"; echo oops >&2; exit 2'], { input: 'hi\n' });
    expect(result).toEqual({ exitCode: 2, stdout: 'got hi\n', stderr: 'oops\n' });
  });
});

describe('a program that cannot be started for want of file descriptors', () => {
  it('is a failure naming the command (EMFILE), not a crash', async () => {
    const hook = fileURLToPath(new URL('../../scripts/ts-hooks.js', import.meta.url));
    const file = fileURLToPath(new URL('./child/spawn-without-descriptors.ts', import.meta.url));
    // A low limit, so that the child takes every descriptor quickly.
    const { stdout } = await promisify(execFile)(
      'sh',
      ['-c', 'ulimit -n 128 && exec "$0" --disable-warning=ExperimentalWarning --import "$1" "$2"', process.execPath, hook, file],
      { timeout: 60_000 },
    );
    const outcome = JSON.parse(stdout) as { held: number; resolved?: { exitCode: number; failure?: string } };
    expect(outcome.held).toBeGreaterThan(0);
    expect(outcome.resolved).toMatchObject({ exitCode: 126, failure: 'git --version could not be started: EMFILE' });
  });
});
