#!/usr/bin/env node
// `npm run build [-- OUT_DIR]`: the bundle the action runs, into dist/ (or OUT_DIR).
//
// ncc splits it at every dynamic import(): index.js is the entry (it enables source maps, then
// loads main), the signing code (openpgp) and the GitHub API client are chunks of their own,
// loaded only by the runs that need them. Each chunk has a source map so that an unexpected
// error's stack points at src/*.ts; the maps keep file names and positions but drop the sources'
// text (`sourcesContent`), which a stack trace never reads and which would double dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function build(outDir) {
  // Chunks of an earlier build would linger under other numbers: start from no chunk at all.
  if (existsSync(outDir)) {
    for (const name of readdirSync(outDir).filter((n) => n.endsWith('.js') || n.endsWith('.js.map'))) rmSync(join(outDir, name));
  }
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = ['build', 'src/index.ts', '-o', outDir, '--license', 'licenses.txt', '--source-map', '--no-source-map-register', '--quiet'];
  const result = spawnSync(process.execPath, [ncc, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return false;
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.js.map'))) {
    const map = JSON.parse(readFileSync(join(outDir, name), 'utf8'));
    delete map.sourcesContent;
    writeFileSync(join(outDir, name), JSON.stringify(map));
  }
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(root, process.argv[2] ?? 'dist');
  if (!build(outDir)) {
    console.error('build: ncc failed');
    process.exit(1);
  }
}
