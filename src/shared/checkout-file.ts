import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ChartError } from './errors.js';
import { fileSystemError } from './file-system-error.js';

/**
 * The one way to read a file of the checkout outside the chart loader's walk: Chart.yaml,
 * requirements.yaml, locks and .helmignore files read by discovery, checks and the dependency
 * builder. The checkout may come from a fork, so a file is untrusted until proven ordinary:
 * - a symbolic link is followed only while its target stays inside the workspace and out of
 *   the repository's .git (which holds the token actions/checkout persists): a link to
 *   /proc/self/environ is never read, let alone quoted in an error;
 * - only a regular file is read, opened without blocking: a FIFO would block the open forever,
 *   and /dev/zero never ends;
 * - at most `maxBytes` are read, whatever size the file claims.
 * Problems are ChartErrors on the file as the user knows it (workspace-relative).
 *
 * Synchronous on purpose: these are small files, read many at a time during discovery, where a
 * read through the thread pool costs about three times as much (bench/discovery.js).
 */

export interface CheckoutRead {
  /** The workspace (absolute). */
  workspace: string;
  /** Largest size read; a larger file is refused. */
  maxBytes: number;
}

const CHUNK = 64 * 1024;

/** Real paths of workspaces, which do not move during a run. */
const realWorkspaces = new Map<string, string>();

/** The file's bytes (`path` absolute or workspace-relative); `undefined` when it does not exist. */
export function readCheckoutFile(path: string, options: CheckoutRead): Buffer | undefined {
  const shown = (isAbsolute(path) ? relative(options.workspace, path) : path).split(sep).join('/');
  let real: string;
  try {
    real = realpathSync.native(join(options.workspace, shown));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw asChartError(error, shown);
  }
  checkInside(real, realWorkspace(options.workspace), shown);
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw asChartError(error, shown);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      throw new ChartError(`${shown} is not a regular file (a folder, FIFO, socket or device): replace it with a file`, { file: shown });
    }
    const tooLarge = () =>
      new ChartError(`${shown} is larger than ${options.maxBytes} bytes, the most read of such a file: make it smaller`, { file: shown });
    if (info.size > options.maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    // The first read asks for the size the file claims, plus one byte to see the end.
    for (let want = Math.min(info.size, options.maxBytes) + 1; ; want = Math.min(CHUNK, options.maxBytes + 1 - total)) {
      const chunk = Buffer.allocUnsafe(want);
      const read = readSync(fd, chunk, 0, want, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > options.maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw asChartError(error, shown);
  } finally {
    closeSync(fd);
  }
}

/** The same as text (UTF-8). */
export function readCheckoutText(path: string, options: CheckoutRead): string | undefined {
  return readCheckoutFile(path, options)?.toString('utf8');
}

function realWorkspace(workspace: string): string {
  let real = realWorkspaces.get(workspace);
  if (real === undefined) {
    real = realpathSync.native(workspace);
    realWorkspaces.set(workspace, real);
  }
  return real;
}

function checkInside(real: string, workspace: string, shown: string): void {
  const git = join(workspace, '.git');
  const intoGit = real === git || real.startsWith(git + sep);
  if ((real === workspace || real.startsWith(workspace + sep)) && !intoGit) return;
  throw new ChartError(
    `leads ${intoGit ? "into the repository's .git folder" : 'outside the workspace'} (a symbolic link to ${real}) and is never read: ` +
      'replace the link with the file',
    { file: shown },
  );
}

function asChartError(error: unknown, shown: string): unknown {
  if (error instanceof ChartError) return error;
  const problem = fileSystemError(error, 'read', shown);
  return problem instanceof Error && problem !== error ? new ChartError(problem.message, { file: shown }, { cause: error }) : problem;
}
