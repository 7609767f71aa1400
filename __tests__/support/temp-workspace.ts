import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory that is removed after the test. */
export function tempDir(prefix = 'ocp-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Writes files (path → content) under root, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A minimal valid chart's files under a prefix. */
export function chartFiles(prefix: string, name: string, version = '0.1.0', extra: Record<string, string> = {}): Record<string, string> {
  const at = (p: string) => (prefix === '' || prefix === '.' ? p : `${prefix}/${p}`);
  const files: Record<string, string> = {
    [at('Chart.yaml')]: `apiVersion: v2\nname: ${name}\nversion: ${version}\n`,
    [at('values.yaml')]: 'replicas: 1\n',
    [at('templates/configmap.yaml')]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
  };
  for (const [k, v] of Object.entries(extra)) files[at(k)] = v;
  return files;
}
