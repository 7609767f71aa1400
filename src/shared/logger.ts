/** Where a message points to: a file in the workspace, optionally a line and column (1-based). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Short title for the annotation, e.g. "Chart version not bumped". */
  title?: string;
}

/**
 * The engine's only view of logging. The action implements it over workflow commands
 * (annotations, groups, masking); tests use an in-memory implementation.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, where?: SourceLocation): void;
  error(message: string, where?: SourceLocation): void;
  /** Runs fn inside a collapsible log group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Registers a secret so that it never appears in any later log line. The runner matches
   * secrets within single lines: a caller with a multi-line secret registers its lines too.
   */
  mask(secret: string): void;
  /** True when debug lines are shown (ACTIONS_STEP_DEBUG / RUNNER_DEBUG). */
  isDebug(): boolean;
}

/** A logger that drops everything; for callers that have nothing to say. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
  group: (_name, fn) => fn(),
  mask() {},
  isDebug: () => false,
};
