import { appendFile } from 'node:fs/promises';
import { DomainError, describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { RunReport } from './report.js';

/**
 * `$GITHUB_ARTIFACTS`: where a 2026 runner collects the artifacts a job produced, one
 * `oci://<repository>@<digest>` line each, so that a bare `actions/attest` step attests them
 * all. Every published or unchanged chart is listed; nothing is written when the runner does
 * not provide the file.
 */
export async function appendArtifacts(path: string | undefined, report: RunReport, logger: Logger): Promise<void> {
  if (!path) return;
  const lines = report.charts
    .filter((c) => (c.status === 'published' || c.status === 'unchanged') && c.digest)
    .map((c) => `oci://${c.reference.slice(0, c.reference.lastIndexOf(':'))}@${c.digest ?? ''}\n`);
  if (lines.length === 0) return;
  try {
    await appendFile(path, lines.join(''), 'utf8');
  } catch (error) {
    throw new DomainError(`cannot append to GITHUB_ARTIFACTS (${path}): ${describeError(error)}`, { cause: error });
  }
  logger.debug(`listed ${lines.length} chart(s) in GITHUB_ARTIFACTS`);
}
