#!/usr/bin/env node
// Fails when the committed bundle (dist/) is not what `npm run build` produces from the
// current sources: the action runs dist/index.js, never src/.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fresh = mkdtempSync(join(tmpdir(), 'ocp-dist-'));
if (!build(fresh)) {
  console.error('check-dist: the bundle does not build');
  process.exit(1);
}
const stale = [];
for (const name of readdirSync(fresh)) {
  const committed = join(root, 'dist', name);
  if (!existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(fresh, name)))) stale.push(name);
}
for (const name of existsSync(join(root, 'dist')) ? readdirSync(join(root, 'dist')) : []) {
  if (!existsSync(join(fresh, name))) stale.push(`${name} (no longer produced)`);
}
rmSync(fresh, { recursive: true, force: true });
if (stale.length > 0) {
  console.error(`check-dist: dist/ is stale (${stale.join(', ')}). Run \`npm run build\` and commit dist/.`);
  process.exit(1);
}
console.log('check-dist: dist/ matches the sources');
