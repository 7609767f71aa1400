import { shortenRedacted } from './secret-redactor.js';

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
/** A line the runner would read as a workflow command: its first non-blank characters are `::`. */
const COMMAND_LINE = /^(\s*)::/;
/** The legacy form `##[name …]…`, which the runner finds anywhere in a line (ActionCommand.TryParse). */
const LEGACY_COMMAND = '##[';
/**
 * One message, field or summary cell is cut here: text from a chart or a server (a 1 MB
 * `version`, a server's error page) would otherwise fill the log, the annotations and the
 * job summary, which GitHub drops whole above 1 MiB.
 */
export const MAX_TEXT = 20_000;

function visibleControl(ch: string): string {
  return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/**
 * A log message: secrets removed, at most MAX_TEXT characters, control characters (CR
 * included) shown as `\uXXXX`, and no workflow command. Line feeds stay, so multi-line messages
 * stay readable, but each line that would begin with `::` has it broken up as `: :`, and every
 * `##[` as `# #[`.
 */
export function safeLogText(text: string): string {
  const cleaned = shortenRedacted(text, MAX_TEXT)
    .replace(CONTROL, visibleControl)
    // A file-name byte that is not UTF-8 (chart/go/raw-name.ts) is shown as \xNN.
    .replace(/[\udc80-\udcff]/gu, (ch) => `\\x${(ch.charCodeAt(0) - 0xdc00).toString(16)}`)
    .replaceAll(LEGACY_COMMAND, '# #[');
  if (!cleaned.includes('::')) return cleaned;
  return cleaned
    .split('\n')
    .map((line) => line.replace(COMMAND_LINE, '$1: :'))
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
