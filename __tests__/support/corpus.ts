import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in __tests__/support). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared test corpus (real charts, Helm-built archives, Helm's fixtures, event payloads)
 * lives beside the checkout in ../shared/corpus; see its README for origins and licenses.
 */
export function corpusPath(...parts: string[]): string {
  const base = process.env.OCP_CORPUS_DIR ?? join(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(base)) {
    throw new Error(
      `The test corpus is missing at ${base}. Check out the shared folder beside this repository ` +
        '(../shared/corpus) or point OCP_CORPUS_DIR at it.',
    );
  }
  return join(base, ...parts);
}
