import * as core from './workflow-commands.js';
import { safeLogField, safeLogText } from '../shared/log-sanitizer.js';
import type { Logger, SourceLocation } from '../shared/logger.js';
import { registerSecret } from '../shared/secret-redactor.js';

/**
 * The engine's Logger over the runner's workflow commands: warnings and errors become annotations on the file
 * and line, groups fold in the log, and secrets are masked as given. Every message, group name
 * and annotation field passes the log sanitizer first: the text is often the chart author's or
 * a server's (file names, YAML values, error bodies) and must neither start a workflow command
 * nor carry a secret.
 */
export function createCoreLogger(): Logger {
  return {
    debug: (message) => core.debug(safeLogText(message)),
    info: (message) => core.info(safeLogText(message)),
    warning: (message, where) => core.warning(safeLogText(message), annotation(where)),
    error: (message, where) => core.error(safeLogText(message), annotation(where)),
    group: (name, fn) => core.group(safeLogField(name), fn),
    mask: (secret) => {
      if (!secret) return;
      core.setSecret(secret);
      registerSecret(secret);
    },
    isDebug: () => core.isDebug(),
  };
}

function annotation(where: SourceLocation | undefined): core.AnnotationProperties | undefined {
  if (!where) return undefined;
  return {
    file: safeLogField(where.file),
    startLine: where.line,
    startColumn: where.column,
    title: where.title === undefined ? undefined : safeLogField(where.title),
  };
}
