// Cold start of the bundle, next to its peer: `node -e 0`, measured in the same run.
//
//   node bench/cold-start.js [--runs 31] [--bundle dist/index.js] [--cpu-prof DIR]
//
// Runs the built bundle (`npm run build` first) the way the runner does, on a workspace holding
// one chart, as a dry-run without credentials (so nothing leaves the machine), and times the
// whole process from spawn to exit. The two commands alternate run by run so that a busy machine
// slows both alike. Budget (issue "Foundations", lean start): ≤ 4× `node -e 0`. Prints the
// medians and the ratio, and which bundle chunks exist; exits 1 over budget.
//
// A third command, timed alike, shows the share no code of the action can remove: Node alone
// loading what the dry-run needs of it (https with TLS, crypto, zlib) and asking the same
// unreachable registry over https, as the dry-run's anonymous registry read does.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const TARGET_RATIO = 4;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    // On a small shared machine single runs of the bundle vary by ±15%: the median of 31 runs
    // moves from one invocation to the next about √(15/31) ≈ 0.7 times as much as that of 15.
    runs: { type: 'string', default: '31' },
    bundle: { type: 'string', default: join(root, 'dist', 'index.js') },
    // One more dry-run under `node --cpu-prof`, its profile written to DIR (open it in Chrome's
    // DevTools or read it with any .cpuprofile tool) to see where the start goes.
    'cpu-prof': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const bundle = resolve(args.bundle);

const scratch = mkdtempSync(join(tmpdir(), 'ocp-cold-start-'));
const workspace = join(scratch, 'workspace');
mkdirSync(join(workspace, 'charts', 'demo', 'templates'), { recursive: true });
writeFileSync(join(workspace, 'charts', 'demo', 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.0.0\n');
writeFileSync(join(workspace, 'charts', 'demo', 'values.yaml'), 'replicas: 1\n');
writeFileSync(
  join(workspace, 'charts', 'demo', 'templates', 'configmap.yaml'),
  'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ .Release.Name }}\n',
);
writeFileSync(join(scratch, 'event.json'), '{}');
const nodeAlone = join(scratch, 'node-alone.mjs');
writeFileSync(
  nodeAlone,
  [
    "import { createHash } from 'node:crypto';",
    "import { request } from 'node:https';",
    "import { gzipSync } from 'node:zlib';",
    "createHash('sha256').update(gzipSync(Buffer.alloc(4096))).digest('hex');",
    "await new Promise((done) => request('https://127.0.0.1:9/v2/', { method: 'HEAD' }).on('error', done).on('response', done).end());",
  ].join('\n'),
);

// Every input as the runner passes it: action.yml's defaults, then the bench's own values.
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
const env = {
  PATH: process.env.PATH ?? '',
  HOME: scratch,
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: workspace,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_EVENT_PATH: join(scratch, 'event.json'),
  GITHUB_OUTPUT: join(scratch, 'output'),
  GITHUB_STEP_SUMMARY: join(scratch, 'summary.md'),
  GITHUB_REPOSITORY: 'acme/charts',
  GITHUB_REPOSITORY_OWNER: 'acme',
  RUNNER_TEMP: scratch,
  DOCKER_CONFIG: join(scratch, 'docker'),
  HELM_REGISTRY_CONFIG: join(scratch, 'helm-registry.json'),
};
for (const [name, spec] of Object.entries(action.inputs)) {
  env[`INPUT_${name.toUpperCase()}`] = spec.default?.includes('${{') ? '' : (spec.default ?? '');
}
Object.assign(env, {
  INPUT_REGISTRY: 'oci://127.0.0.1:9/bench',
  INPUT_CHARTS: 'charts/demo',
  'INPUT_DRY-RUN': 'true',
  'INPUT_OUTPUT-DIR': join(scratch, 'out'),
});

// Each command runs once directly (wall-clock time, spawn to exit) and once under bash, whose
// `times` prints the CPU time (user + system, every thread) of its child: on a machine shared
// with other work, CPU time is the steadier of the two.
const CHILD_TIMES = '"$@" >/dev/null 2>"$OCP_STDERR"; status=$?; times; exit $status';

function timed(argv) {
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  const start = performance.now();
  const direct = spawnSync(process.execPath, argv, { cwd: workspace, env, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (direct.status !== 0) {
    console.error(direct.stdout, direct.stderr);
    throw new Error(`${argv.join(' ')} exited ${direct.status}`);
  }
  const stderr = join(scratch, 'stderr');
  const counted = spawnSync('bash', ['-c', CHILD_TIMES, 'bash', process.execPath, ...argv], {
    cwd: workspace,
    env: { ...env, OCP_STDERR: stderr },
    encoding: 'utf8',
  });
  if (counted.status !== 0) throw new Error(`${argv.join(' ')} exited ${counted.status} under bash: ${readFileSync(stderr, 'utf8')}`);
  // `times`: the shell's own user/system line, then its children's: "0m0.212s 0m0.041s".
  const children = counted.stdout.trim().split('\n').at(-1) ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wall, cpu };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

try {
  // One warm-up of each fills the file-system cache; it is not counted.
  timed(['-e', '0']);
  timed([bundle]);
  const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8');
  if (!outputs.includes('demo')) throw new Error(`the dry-run did not report the chart:\n${outputs}`);

  const peer = [];
  const run = [];
  const alone = [];
  for (let i = 0; i < RUNS; i++) {
    peer.push(timed(['-e', '0']));
    run.push(timed([bundle]));
    alone.push(timed([nodeAlone]));
  }
  const p = median(peer.map((t) => t.wall));
  const r = median(run.map((t) => t.wall));
  const ratio = r / p;
  const a = median(alone.map((t) => t.wall));
  const pCpu = median(peer.map((t) => t.cpu));
  const rCpu = median(run.map((t) => t.cpu));
  const dist = dirname(bundle);
  const chunks = readdirSync(dist)
    .filter((name) => name.endsWith('.js'))
    .map((name) => `${name} ${(statSync(join(dist, name)).size / 1024).toFixed(0)} KiB`);
  console.log(`bundle chunks:             ${chunks.join(', ')}`);
  console.log(`node -e 0:                 ${p.toFixed(1)} ms`);
  console.log(`one-chart dry-run bundle:  ${r.toFixed(1)} ms  ${ratio <= TARGET_RATIO ? 'within' : 'OVER'} budget`);
  console.log(`ratio:                     ${ratio.toFixed(2)}× node -e 0 (medians of ${RUNS} runs, target ≤ ${TARGET_RATIO}×)`);
  console.log(`CPU time (user + system):  node -e 0 ${pCpu.toFixed(0)} ms, dry-run ${rCpu.toFixed(0)} ms: ${(rCpu / pCpu).toFixed(2)}×`);
  console.log(`Node alone (https, crypto, zlib, the same registry request): ${a.toFixed(1)} ms, ${(a / p).toFixed(2)}× node -e 0`);
  if (args['cpu-prof']) {
    const dir = resolve(args['cpu-prof']);
    timed(['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, bundle]);
    console.log(`CPU profile of one dry-run: ${dir}`);
  }
  if (ratio > TARGET_RATIO) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
