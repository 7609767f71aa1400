import { redactSecrets } from './secret-redactor.js';

/**
 * Base class of every error the action expects: the message is written for the user and
 * says what to fix. Anything that is not a DomainError is a bug and is reported as such.
 */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A problem in a chart's files; points at the file (workspace-relative) and line when known. */
export class ChartError extends DomainError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    message: string,
    where: { file: string; line?: number | undefined; column?: number | undefined },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }

  /** "charts/demo/Chart.yaml:4: message" — the form used in logs and summaries. */
  override toString(): string {
    const at = this.line === undefined ? this.file : `${this.file}:${this.line}`;
    return `${at}: ${this.message}`;
  }
}

/** An action input with an unusable value; names the input and the expected form. */
export class InputError extends DomainError {
  readonly input: string;

  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(`Input "${input}": ${message}`, options);
    this.input = input;
  }
}

/**
 * Renders any thrown value as one line for the user, following the cause chain. Secrets are
 * removed here, the choke point every error passes on its way to the log, outputs and summary:
 * Node's own error text quotes URLs with their userinfo, servers echo what they were sent.
 */
export function describeError(error: unknown): string {
  return redactSecrets(withoutJsonExcerpt(renderError(error)));
}

/**
 * JSON.parse quotes about ten characters of its input (`Unexpected token 'x', "…"... is not
 * valid JSON`): from a server's body that can be the start of an echoed secret, too short a
 * piece for any redaction to recognise. The excerpt is dropped; the position stays when given.
 */
function withoutJsonExcerpt(text: string): string {
  return text.replace(/(Unexpected token '.', )(?:\.\.\.)?".*?"(?:\.\.\.)? is not valid JSON/g, '$1the input is not valid JSON');
}

function renderError(error: unknown): string {
  if (error instanceof ChartError) return error.toString();
  if (error instanceof Error) {
    const parts = [error.message];
    let cause: unknown = error.cause;
    while (cause instanceof Error && !parts.some((p) => p.includes(cause instanceof Error ? cause.message : ''))) {
      parts.push(cause.message);
      cause = cause.cause;
    }
    return parts.join(': ');
  }
  return String(error);
}
