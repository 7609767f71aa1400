import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckoutFile, readCheckoutText } from '../../src/shared/checkout-file.js';
import { ChartError } from '../../src/shared/errors.js';
import { tempDir } from '../support/temp-workspace.js';

const LIMIT = 5 * 1024 * 1024;

function refusal(read: () => unknown): ChartError {
  let thrown: unknown;
  try {
    read();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ChartError);
  return thrown as ChartError;
}

describe('reading a file of the checkout', () => {
  it('reads a file by workspace-relative or absolute path, and a link that stays inside', () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'charts/a'), { recursive: true });
    writeFileSync(join(ws, 'charts/a/Chart.yaml'), 'name: a\n');
    symlinkSync('a', join(ws, 'charts/b'));
    expect(readCheckoutText('charts/a/Chart.yaml', { workspace: ws, maxBytes: LIMIT })).toBe('name: a\n');
    expect(readCheckoutText(join(ws, 'charts/b/Chart.yaml'), { workspace: ws, maxBytes: LIMIT })).toBe('name: a\n');
    expect(readCheckoutFile('charts/a/missing.yaml', { workspace: ws, maxBytes: LIMIT })).toBeUndefined();
    writeFileSync(join(ws, 'empty'), '');
    expect(readCheckoutFile('empty', { workspace: ws, maxBytes: LIMIT })).toEqual(Buffer.alloc(0));
  });

  it('never reads through a link out of the workspace or into .git', () => {
    const ws = tempDir();
    mkdirSync(join(ws, '.git'));
    writeFileSync(join(ws, '.git/config'), '[http] extraheader = AUTHORIZATION: basic secret\n');
    symlinkSync('/dev/zero', join(ws, 'zero'));
    symlinkSync('/proc/self/environ', join(ws, 'environ'));
    symlinkSync('.git/config', join(ws, 'config'));
    const zero = refusal(() => readCheckoutFile('zero', { workspace: ws, maxBytes: LIMIT }));
    expect(zero).toMatchObject({ file: 'zero' });
    expect(zero.message).toBe(
      'leads outside the workspace (a symbolic link to /dev/zero) and is never read: replace the link with the file',
    );
    expect(refusal(() => readCheckoutFile('environ', { workspace: ws, maxBytes: LIMIT })).message).toMatch(/^leads outside the workspace/);
    expect(refusal(() => readCheckoutFile('config', { workspace: ws, maxBytes: LIMIT })).message).toMatch(
      /^leads into the repository's \.git folder/,
    );
  });

  it('refuses a FIFO without blocking, a folder, and a file over the limit without reading it whole', () => {
    const ws = tempDir();
    execFileSync('mkfifo', [join(ws, 'fifo')]);
    mkdirSync(join(ws, 'folder'));
    writeFileSync(join(ws, 'big'), '');
    // Sparse: 5 GiB that take no disk; only the limit and one byte more may be read.
    truncateSync(join(ws, 'big'), 5 * 1024 ** 3);
    expect(refusal(() => readCheckoutFile('fifo', { workspace: ws, maxBytes: LIMIT })).message).toBe(
      'fifo is not a regular file (a folder, FIFO, socket or device): replace it with a file',
    );
    expect(refusal(() => readCheckoutFile('folder', { workspace: ws, maxBytes: LIMIT })).message).toMatch(/^folder is not a regular file/);
    expect(refusal(() => readCheckoutFile('big', { workspace: ws, maxBytes: LIMIT })).message).toBe(
      'big is larger than 5242880 bytes, the most read of such a file: make it smaller',
    );
  });
});
