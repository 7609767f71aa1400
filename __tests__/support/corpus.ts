import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in __tests__/support). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The test corpus (real charts, Helm-built archives, Helm's fixtures, event payloads) is part
 * of the repository, in __tests__/corpus; its README lists origins and licenses.
 */
export function corpusPath(...parts: string[]): string {
  const base = join(repoRoot, '__tests__', 'corpus');
  const path = join(base, ...parts);
  if (!existsSync(path)) throw new Error(`The test corpus has no ${path}: restore __tests__/corpus from git`);
  return path;
}
