import type { Logger } from '../shared/logger.js';

/**
 * GitHub shows 10 error annotations per step and drops the rest from the checks page; a run
 * with a hundred failing charts would bury its first problems under the ones nobody sees. The
 * first `max` errors are annotated on their lines; later ones are kept in the log as plain lines
 * (each chart's reason is in the job summary and the `charts` output), and `suppressed()` tells
 * the final error line how many were left out.
 */
export interface AnnotationLimitedLogger extends Logger {
  /** Error annotations left out so far. */
  suppressed(): number;
}

/** GitHub's per-step limit of error annotations shown (docs: "Annotations", workflow commands). */
const MAX_ERROR_ANNOTATIONS = 10;

export function limitErrorAnnotations(logger: Logger, max = MAX_ERROR_ANNOTATIONS): AnnotationLimitedLogger {
  let errors = 0;
  return {
    debug: (message) => logger.debug(message),
    info: (message) => logger.info(message),
    warning: (message, where) => logger.warning(message, where),
    error: (message, where) => {
      errors++;
      if (errors <= max) {
        logger.error(message, where);
        return;
      }
      const at = where ? `${where.file}${where.line === undefined ? '' : `:${where.line}`}: ` : '';
      logger.info(`Error (not annotated, ${max} already are): ${at}${message}`);
    },
    group: (name, fn) => logger.group(name, fn),
    mask: (secret) => logger.mask(secret),
    isDebug: () => logger.isDebug(),
    suppressed: () => Math.max(0, errors - max),
  };
}
