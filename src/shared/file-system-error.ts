import { DomainError } from './errors.js';

/**
 * Turns a Node file-system error into a message that names the path and says what to do,
 * instead of an "unexpected error" carrying only `EACCES: permission denied, scandir '…'`.
 * Anything that is not a file-system error is returned unchanged.
 */

const ADVICE: Record<string, string> = {
  EACCES: 'permission denied: make it readable (and folders listable) by the user the runner runs as, or add it to .helmignore',
  EPERM: 'operation not permitted: check its permissions and attributes, or add it to .helmignore',
  ENAMETOOLONG: 'the name is too long for the file system (255 bytes per name, 4096 per path): shorten it',
  ENOSPC: 'no space left on the device: free disk space or give another output-dir',
  EDQUOT: 'the disk quota is exceeded: free space or give another output-dir',
  EROFS: 'the file system is read-only: give a writable output-dir',
  ELOOP: 'too many levels of symbolic links (a symbolic link loop): replace the link',
  ENOENT: 'it does not exist (was it removed while the action ran?)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder where a file was expected',
  EMFILE: 'too many open files: lower concurrency',
  ENFILE: 'too many open files on the system: lower concurrency',
  EIO: 'an input/output error from the disk',
  EBUSY: 'the file is busy',
};

export class FileSystemError extends DomainError {
  readonly code: string;
  readonly path: string;

  constructor(message: string, code: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.path = path;
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** `cannot <doing> <path>: <advice> (<CODE>)`; `path` as the user knows it (workspace-relative). */
export function fileSystemError(error: unknown, doing: string, path: string): unknown {
  if (!isErrnoException(error) || error instanceof DomainError) return error;
  const code = error.code ?? 'EUNKNOWN';
  const advice = ADVICE[code] ?? error.message;
  return new FileSystemError(`cannot ${doing} ${path}: ${advice} (${code})`, code, path, { cause: error });
}
