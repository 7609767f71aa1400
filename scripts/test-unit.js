#!/usr/bin/env node
// `npm run test:unit`: the tests that need no registry, gpg, skopeo, git or bundle, in seconds.
// A test file is an integration test when it reaches one of those components, directly or
// through a support module; everything else runs here. Extra arguments go to Vitest.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const component = [
  /support\/(registry|skopeo|gpg|git-repo|action-runner|chart-repo|token-server|publish-harness|fault-proxy)\.js/,
  /['"](git|gpg|gpgv|skopeo|docker-registry|htpasswd|openssl)['"]/,
  /dist\/index\.js/,
];

function* testFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'corpus') yield* testFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) yield path;
  }
}

/** True when the file, or a local module it imports (transitively), reaches a real component. */
function reachesComponent(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  if (component.some((re) => re.test(text))) return true;
  for (const [, spec] of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    if (reachesComponent(resolve(dirname(file), `${spec}.ts`), seen)) return true;
  }
  return false;
}

const unit = [...testFiles(join(root, '__tests__'))].filter((f) => !reachesComponent(f)).map((f) => relative(root, f));
console.log(`test:unit: ${unit.length} test files that need no external component`);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', ...unit, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
