import type { Git } from '../shared/git.js';
import type { ChangedFile } from './change-request.js';

export { createGit, type Git } from '../shared/git.js';

/** The commit a revision names, or undefined when it is not in the local repository. */
export async function resolveCommit(git: Git, rev: string): Promise<string | undefined> {
  // --end-of-options: a `base` input such as "--output=x" must stay a revision.
  const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function isShallowRepository(git: Git): Promise<boolean> {
  const result = await git.run(['rev-parse', '--is-shallow-repository']);
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * The files that differ between two commits, with rename detection, as one `git diff` call.
 * -z keeps paths verbatim (no quoting of unusual names); the other flags neutralise user
 * configuration (diff.relative, color.diff=always, external diff drivers).
 */
export async function diffCommits(git: Git, base: string, head: string): Promise<ChangedFile[]> {
  const out = await git.output(
    ['diff', '--name-status', '-z', '--no-color', '--no-ext-diff', '--no-relative', '--find-renames', base, head, '--'],
    `comparing ${base} with ${head}`,
  );
  return parseNameStatus(out);
}

/** Parses `git diff --name-status -z`: "M\0path\0", "R100\0old\0new\0". */
export function parseNameStatus(out: string): ChangedFile[] {
  const fields = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const token = fields[i++] as string;
    if (token === '') continue;
    const letter = token[0] as string;
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++] as string;
      const path = fields[i++] as string;
      files.push({ status: letter, path, previousPath });
    } else {
      const path = fields[i++] as string;
      files.push({ status: letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M', path });
    }
  }
  return files;
}

/** A short commit id for log lines. */
export function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 12) : sha;
}
