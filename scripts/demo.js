#!/usr/bin/env node
// `npm start`: runs the bundled action (dist/index.js) exactly as a GitHub runner would, on the
// example charts in examples/, as a dry-run that writes the packages to out/packages. No
// registry and no GitHub are needed. Needs Node 24 (the action's runtime); with an older Node
// it re-runs itself with Node 24 fetched from the npm registry.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.log(`Node ${process.versions.node} is older than the action's runtime (node24); running with node@24 from npm…`);
  const r = spawnSync('npx', ['-y', 'node@24', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ocp-demo-'));
const outputDir = join(root, 'out', 'packages');
rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });
const files = {
  event: join(scratch, 'event.json'),
  output: join(scratch, 'output.txt'),
  summary: join(scratch, 'summary.md'),
};
writeFileSync(
  files.event,
  JSON.stringify({ inputs: {}, ref: 'refs/heads/main', repository: { full_name: 'example/charts', default_branch: 'main' } }),
);
writeFileSync(files.output, '');
writeFileSync(files.summary, '');

const inputs = {
  registry: 'oci://ghcr.io/example/charts',
  'charts-dir': process.argv[2] ?? 'examples',
  charts: '',
  discover: 'all',
  base: '',
  'dry-run': 'true',
  username: '',
  password: '',
  'github-token': '',
  'plain-http': 'false',
  'on-conflict': 'fail',
  'signing-key': '',
  'signing-passphrase': '',
  'signing-key-id': '',
  'dependency-credentials': '',
  'output-dir': outputDir,
  annotations: '',
  concurrency: '4',
  summary: 'true',
};
const env = {
  ...process.env,
  ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: root,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_EVENT_PATH: files.event,
  GITHUB_OUTPUT: files.output,
  GITHUB_STEP_SUMMARY: files.summary,
  GITHUB_REPOSITORY: 'example/charts',
  GITHUB_REPOSITORY_OWNER: 'example',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: gitHead(),
  GITHUB_SERVER_URL: 'https://github.com',
  RUNNER_TEMP: scratch,
};
const run = spawnSync(process.execPath, [join(root, 'dist', 'index.js')], { cwd: root, env, encoding: 'utf8' });
// Show the log as the Actions log viewer would: groups as headings, debug lines only on request.
const debug = process.env.RUNNER_DEBUG === '1';
for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
  if (line.startsWith('::debug::')) {
    if (debug) console.log(`  debug: ${line.slice(9)}`);
  } else if (line.startsWith('::group::')) console.log(`▸ ${line.slice(9)}`);
  else if (line === '::endgroup::') continue;
  else if (/^::(error|warning|notice)[^:]*::/.test(line))
    console.log(line.replace(/^::(\w+)( [^:]*)?::/, (_m, level, where) => `${level}${where ? ` (${where.trim()})` : ''}: `));
  else if (line.startsWith('::add-mask::')) continue;
  else if (line !== '') console.log(line);
}

console.log('\n──── outputs ($GITHUB_OUTPUT) ────');
console.log(readFileSync(files.output, 'utf8').trim());
console.log('\n──── job summary ($GITHUB_STEP_SUMMARY) ────');
console.log(readFileSync(files.summary, 'utf8').trim());
console.log(`\nPackages written to ${outputDir}`);
rmSync(scratch, { recursive: true, force: true });
process.exit(run.status ?? 1);

function gitHead() {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '0000000000000000000000000000000000000000';
}
