// Discovery in a large chart monorepo, next to its peer: `git diff --name-only` alone.
//
//   node bench/discovery.js [--charts 1000] [--files-per-chart 100] [--changed 10] [--runs 7] [--keep]
//
// Generates a git repository of 1,000 charts × 100 files (100,000 files) under the temp folder,
// commits a change that touches 10 charts, and times discoverCharts() for that push against
// `git diff --name-only` of the same two commits, both through the project's process runner.
// Budget (issue "Discovery"): ≤ 1 s. Prints the medians and the ratio; exits 1 over budget.
//
// The engine is TypeScript, loaded through ../scripts/ts-hooks.js outside the timed region.

import '../scripts/ts-hooks.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const BUDGET_MS = 1000;

const { values: args } = parseArgs({
  options: {
    charts: { type: 'string', default: '1000' },
    'files-per-chart': { type: 'string', default: '100' },
    changed: { type: 'string', default: '10' },
    runs: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const CHARTS = Number(args.charts);
const FILES_PER_CHART = Number(args['files-per-chart']);
const CHANGED = Number(args.changed);
const RUNS = Number(args.runs);

const { discoverCharts } = await import('../src/discovery/discover-charts.ts');
const { createProcessRunner } = await import('../src/shared/process-runner.ts');
const { silentLogger } = await import('../src/shared/logger.ts');

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

function git(cwd, ...gitArgs) {
  return execFileSync('git', gitArgs, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
}

function chartName(i) {
  return `chart-${String(i).padStart(4, '0')}`;
}

/** One chart: Chart.yaml, values, README, .helmignore, NOTES, helpers and templates up to FILES_PER_CHART. */
function writeChart(root, i) {
  const dir = join(root, 'charts', chartName(i));
  mkdirSync(join(dir, 'templates'), { recursive: true });
  // Every tenth chart depends on its predecessor through file://, so the dependency graph is real.
  const dependency =
    i % 10 === 1
      ? `dependencies:\n  - name: ${chartName(i - 1)}\n    version: ">=0.0.0"\n    repository: file://../${chartName(i - 1)}\n`
      : '';
  const files = {
    'Chart.yaml': `apiVersion: v2\nname: ${chartName(i)}\nversion: 0.1.${i}\n${dependency}`,
    'values.yaml': `replicas: ${i % 5}\nimage: nginx\n`,
    'README.md': `# ${chartName(i)}\n`,
    '.helmignore': '.git/\n*.swp\nci/\n',
    'templates/NOTES.txt': 'Installed.\n',
    'templates/_helpers.tpl': '{{- define "name" -}}{{ .Chart.Name }}{{- end -}}\n',
  };
  for (let t = 0; Object.keys(files).length < FILES_PER_CHART; t++) {
    files[`templates/t${String(t).padStart(3, '0')}.yaml`] = `kind: ConfigMap\nmetadata:\n  name: {{ include "name" . }}-${t}\n`;
  }
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn) {
  const samples = [];
  await fn(); // warm-up: page cache, git's index, module JIT
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const root = mkdtempSync(join(tmpdir(), 'ocp-bench-discovery-'));
try {
  const setupStart = performance.now();
  git(tmpdir(), 'init', '--quiet', '--initial-branch=main', root);
  for (let i = 0; i < CHARTS; i++) writeChart(root, i);
  writeFileSync(join(root, 'README.md'), '# bench\n');
  git(root, 'add', '--all');
  git(root, 'commit', '--quiet', '-m', 'charts');
  const base = git(root, 'rev-parse', 'HEAD');
  const step = Math.max(1, Math.floor(CHARTS / CHANGED));
  for (let n = 0; n < CHANGED; n++) {
    const file = join(root, 'charts', chartName(n * step), 'templates', 't005.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# changed\n`);
  }
  git(root, 'commit', '--quiet', '--all', '-m', `touch ${CHANGED} charts`);
  const head = git(root, 'rev-parse', 'HEAD');
  const fileCount = Number(git(root, 'ls-files').split('\n').length);
  console.log(
    `repository: ${CHARTS} charts, ${fileCount} files, change touching ${CHANGED} charts (set up in ${((performance.now() - setupStart) / 1000).toFixed(1)} s)`,
  );

  const runner = createProcessRunner();
  let selected = 0;
  const discovery = await time(async () => {
    const result = await discoverCharts({
      workspace: root,
      chartsDir: ['charts'],
      request: { kind: 'range', base, head, reason: 'bench push' },
      runner,
      logger: silentLogger,
    });
    selected = result.charts.length;
  });
  let changedFiles = 0;
  const diff = await time(async () => {
    const result = await runner.run('git', ['diff', '--name-only', base, head], { cwd: root });
    changedFiles = result.stdout.split('\n').filter(Boolean).length;
  });

  const verdict = discovery <= BUDGET_MS ? `within the ${BUDGET_MS} ms budget` : `OVER the ${BUDGET_MS} ms budget`;
  console.log(`git diff --name-only:  ${diff.toFixed(1)} ms (${changedFiles} files)`);
  console.log(`discoverCharts:        ${discovery.toFixed(1)} ms (${selected} charts selected)  ${verdict}`);
  console.log(`ratio:                 ${(discovery / diff).toFixed(1)}× git diff alone (medians of ${RUNS} runs)`);
  if (discovery > BUDGET_MS) process.exitCode = 1;
} finally {
  if (args.keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
