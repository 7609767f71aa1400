import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TEXT, safeLogField, safeLogText, safeMarkdown, safeMarkdownCode } from '../../src/shared/log-sanitizer.js';
import { clearSecrets, registerSecret } from '../../src/shared/secret-redactor.js';

afterEach(() => clearSecrets());

/** What the runner would execute: a line whose first non-blank characters are `::`. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line));
}

describe('safeLogText', () => {
  it.each([
    ['a file name with a newline', 'found symbolic link in path: charts/x\n::warning::pwned'],
    ['add-mask', 'file a\n::add-mask::whatever'],
    ['stop-commands', 'file a\n  ::stop-commands::tok'],
    ['a carriage return', 'file a\r::error::pwned'],
    ['a command at the very start', '::set-output name=x::y'],
  ])('neutralises %s', (_case, text) => {
    const safe = safeLogText(text);
    expect(commandLines(safe)).toEqual([]);
    expect(safe).not.toContain('\r');
  });

  it.each([
    ['mid-line', '  charts/evil ##[stop-commands]pwn3d: changed: charts/evil/Chart.yaml'],
    ['after a newline and blanks', 'ok\n   ##[add-mask]secret'],
    ['twice on a line, with properties', 'a ##[warning file=x,line=1]w ##[set-output name=x;]y'],
  ])('breaks up the legacy ##[command] form %s, where the runner finds it anywhere in a line', (_case, text) => {
    // The runner's legacy parser (ActionCommand.TryParse) looks for "##[" anywhere in the line.
    expect(safeLogText(text)).not.toContain('##[');
  });

  it('cuts a huge text (a 1.5 MB version, a server page) after removing secrets, never through one', () => {
    const secret = 'robot:Zq8xVb3nTr5yLm2kQ7';
    registerSecret(secret);
    const text = `${'v'.repeat(MAX_TEXT - 10)}${secret}${'x'.repeat(1_500_000)}`;
    const safe = safeLogText(text);
    expect(safe.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(safe.endsWith('…')).toBe(true);
    expect(safe).not.toContain(secret.slice(0, 8));
  });

  it('keeps ordinary multi-line messages and text containing :: mid-line', () => {
    expect(safeLogText('line one\nline two: a::b')).toBe('line one\nline two: a::b');
  });

  it('shows control characters (terminal escapes, NUL) instead of printing them', () => {
    expect(safeLogText('a\u001b[2Kb\u0000c')).toBe('a\\u001b[2Kb\\u0000c');
  });

  it('shows a file-name byte that is not UTF-8 as \\xNN, and keeps emoji', () => {
    expect(safeLogText('caf\udce9.txt 💀')).toBe('caf\\xe9.txt 💀');
  });

  it('removes registered secrets', () => {
    registerSecret('tok-123456');
    expect(safeLogText('token tok-123456 refused')).toBe('token *** refused');
  });
});

describe('safeLogField', () => {
  it('keeps one line', () => {
    expect(safeLogField('charts/a\n::warning::x')).toBe('charts/a\\n::warning::x');
  });
});

describe('summary Markdown', () => {
  it('cannot break a table, inject HTML, links or images', () => {
    const cell = safeMarkdown('x | y <img src=x onerror=alert(1)> ![i](http://e/x.png) [l](http://e)\n## heading');
    expect(cell).not.toMatch(/(?<!\\)\|/);
    expect(cell).not.toContain('<img');
    expect(cell).not.toMatch(/(?<!\\)\[/);
    expect(cell).not.toContain('\n');
  });

  it('code spans lose their backticks', () => {
    expect(safeMarkdownCode('a`b|c')).toBe("a'b\\|c");
  });
});
