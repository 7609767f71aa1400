import * as core from './workflow-commands.js';
import type { Logger } from '../shared/logger.js';

/**
 * The engine's Logger over the runner's workflow commands: warnings and errors become annotations on the file
 * and line, groups fold in the log, and secrets are masked as given.
 */
export function createCoreLogger(): Logger {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message, where) =>
      core.warning(message, where ? { file: where.file, startLine: where.line, startColumn: where.column, title: where.title } : undefined),
    error: (message, where) =>
      core.error(message, where ? { file: where.file, startLine: where.line, startColumn: where.column, title: where.title } : undefined),
    group: (name, fn) => core.group(name, fn),
    mask: (secret) => {
      if (secret) core.setSecret(secret);
    },
    isDebug: () => core.isDebug(),
  };
}
