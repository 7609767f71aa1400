/**
 * Workspace-relative, `/`-separated paths as discovery reports them: a chart at the workspace
 * root is ".", never "" or "./", so that outputs and log lines always show a usable path.
 */

export const ROOT = '.';

export function joinPath(dir: string, rel: string): string {
  if (dir === ROOT) return rel === '' ? ROOT : rel;
  return rel === '' || rel === ROOT ? dir : `${dir}/${rel}`;
}

/** The directory that holds path ("." for a top-level entry). */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ROOT : path.slice(0, slash);
}

/** Whether path is dir itself or lies below it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === ROOT || path === dir || path.startsWith(`${dir}/`);
}

/** path relative to dir, which must contain it ("" when path is dir). */
export function relativeTo(path: string, dir: string): string {
  if (dir === ROOT) return path === ROOT ? '' : path;
  return path === dir ? '' : path.slice(dir.length + 1);
}

/** The directories that contain path, nearest first, ending with ".". */
export function ancestorDirs(path: string): string[] {
  const dirs: string[] = [];
  let dir = path;
  while (dir !== ROOT) {
    dir = parentDir(dir);
    dirs.push(dir);
  }
  return dirs;
}

/** Plain code-unit order, stable across machines (never the locale's collation). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
