import { redactSecrets } from './secret-redactor.js';

/**
 * Makes text safe to print in a GitHub Actions log, annotation or job summary. Paths, YAML
 * values, git output and server text are controlled by whoever wrote the chart or runs the
 * server; printed raw, a name containing a newline followed by `::warning::`, `::add-mask::` or
 * `::stop-commands::` is a workflow command (the runner reads any line whose first non-blank
 * characters are `::`). Every function here also removes secrets (secret-redactor.ts).
 */

/** C0 and C1 control characters but tab and line feed, and DEL: escape sequences can rewrite what the log shows. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A line the runner would read as a workflow command (`::name::`), or the legacy `##[name]` form. */
const COMMAND_LINE = /^(\s*)(::|##\[)/;

function visibleControl(ch: string): string {
  return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/**
 * A log message: secrets removed, control characters (CR included) shown as `\uXXXX`, and no
 * line starting a workflow command. Line feeds stay, so multi-line messages stay readable, but
 * each line that would begin with `::` has it broken up as `: :`.
 */
export function safeLogText(text: string): string {
  const cleaned = redactSecrets(text)
    .replace(CONTROL, visibleControl)
    // A file-name byte that is not UTF-8 (chart/go/raw-name.ts) is shown as \xNN.
    .replace(/[\udc80-\udcff]/gu, (ch) => `\\x${(ch.charCodeAt(0) - 0xdc00).toString(16)}`);
  if (!cleaned.includes('::') && !cleaned.includes('##[')) return cleaned;
  return cleaned
    .split('\n')
    .map((line) => line.replace(COMMAND_LINE, (_m, blank: string, marker: string) => `${blank}${marker === '::' ? ': :' : '# #['}`))
    .join('\n');
}

/** One line for a field (annotation file or title, group name, output value): line feeds shown as `\n`. */
export function safeLogField(text: string): string {
  return safeLogText(text.replaceAll('\n', '\\n'));
}

/**
 * Text inside a Markdown table cell of the job summary: one line, no table break (`|`), no
 * HTML, no link or image syntax, no emphasis or code from the text itself.
 */
export function safeMarkdown(text: string): string {
  return safeLogField(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1');
}

/** Text inside a Markdown code span: backticks cannot be escaped there, so they are dropped. */
export function safeMarkdownCode(text: string): string {
  return safeLogField(text).replaceAll('`', "'").replaceAll('|', '\\|');
}
