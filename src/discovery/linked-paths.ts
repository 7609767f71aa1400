import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Git } from './git-client.js';
import { isWithin } from './repo-paths.js';

/**
 * Symbolic links inside chart folders that lead elsewhere in the workspace: a shared template
 * (`templates/_helpers.tpl -> ../../../shared/_helpers.tpl`) or a subchart folder
 * (`charts/lib -> ../../lib`). The packager follows them, so a change to what they lead to
 * changes the package although no file under the chart folder changed.
 */
export interface LinkedPath {
  /** The link, workspace-relative. */
  link: string;
  /** What it leads to, workspace-relative, every link on the way resolved. */
  target: string;
}

/** Git's mode of a symbolic link in the index. */
const SYMLINK_MODE = '120000';

/**
 * The links that git tracks under the given folders and that lead to a path inside the
 * workspace; a dangling link, or one leading out of the workspace, is left out (packaging refuses
 * the latter). One `git ls-files` call.
 */
export async function linkedPaths(git: Git, workspace: string, dirs: readonly string[]): Promise<LinkedPath[]> {
  if (dirs.length === 0) return [];
  // The whole index, filtered here: git matches a thousand pathspecs against every file in turn.
  const out = await git.output(['ls-files', '-s', '-z'], 'listing the symbolic links in chart folders');
  const links: string[] = [];
  // "<mode> <object> <stage>\t<path>\0" records; links are rare, so look for their mode only.
  for (let at = out.indexOf(`${SYMLINK_MODE} `); at >= 0; at = out.indexOf(`\0${SYMLINK_MODE} `, at + 1)) {
    const start = out[at] === '\0' ? at + 1 : at;
    const end = out.indexOf('\0', start);
    const record = out.slice(start, end < 0 ? out.length : end);
    const path = record.slice(record.indexOf('\t') + 1);
    if (dirs.some((dir) => isWithin(path, dir))) links.push(path);
  }
  if (links.length === 0) return [];
  const root = await realpath(workspace);
  const found: LinkedPath[] = [];
  for (const link of links) {
    let resolved: string;
    try {
      resolved = await realpath(join(workspace, link));
    } catch {
      continue;
    }
    const target = relative(root, resolved);
    if (target === '' || target.startsWith('..') || isAbsolute(target)) continue;
    found.push({ link, target: target.split(sep).join('/') });
  }
  return found;
}
