// Publishing 100 charts to a local registry, next to its peer: a sequential `skopeo copy`
// loop of the same artifacts from OCI layouts (what a "skopeo/oras push per chart" CI step does).
//
//   node bench/publish.js [--charts 100] [--runs 3]
//
// Starts the real Distribution registry (plain, and token auth for the request counts),
// publishes generated charts with the engine (packaging included in our time), counts HTTP
// requests per chart for new and unchanged charts (targets ≤ 7 and ≤ 2), then copies the same
// artifacts with skopeo one by one. Target: ≥ 5× faster. Exits 1 when a target is missed.
import './ts-hooks.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { charts: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
const CHARTS = Number(args.charts);
const RUNS = Number(args.runs);

const { startRegistry } = await import('../__tests__/support/registry.ts');
const { RegistryClient, createCredentialResolver } = await import('../src/oci/index.ts');
const { publishCharts } = await import('../src/publish/run.ts');
const { registrySteps } = await import('../src/publish/push-chart.ts');
const { helmArtifact } = await import('../src/publish/artifact.ts');
const { loadChart } = await import('../src/chart/chart-loader.ts');
const { createProcessRunner } = await import('../src/shared/process-runner.ts');
const { silentLogger } = await import('../src/shared/logger.ts');

const root = mkdtempSync(join(tmpdir(), 'ocp-bench-pub-'));
const ws = join(root, 'ws');
const dirs = [];
for (let i = 0; i < CHARTS; i++) {
  const dir = join(ws, 'charts', `c${i}`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: chart-${i}\nversion: 1.0.${i}\ndescription: Benchmark chart ${i}\n`);
  writeFileSync(join(dir, 'values.yaml'), `replicas: ${i % 3}\n`);
  for (let t = 0; t < 5; t++) writeFileSync(join(dir, 'templates', `t${t}.yaml`), `kind: ConfigMap\ndata:\n  i: "${i}"\n${'  k: v\n'.repeat(40)}`);
  dirs.push(`charts/c${i}`);
}

const plain = await startRegistry({ mode: 'plain' });
const token = await startRegistry({ mode: 'token' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let failed = false;
try {
  async function publish(registry, namespace, credentials) {
    let requests = 0;
    const client = new RegistryClient({ plainHttp: true, credentials, onRequest: () => requests++ });
    const start = performance.now();
    const report = await publishCharts(
      dirs,
      { workspace: ws, target: { registry: registry.host, namespace }, dryRun: false, outputDir: join(root, 'out'), sourceDateEpoch: '1700000000', concurrency: 4, onConflict: 'fail' },
      { logger: silentLogger, git: createProcessRunner(), ...registrySteps({ client, onConflict: 'fail', logger: silentLogger }) },
    );
    const bad = report.charts.filter((c) => c.status === 'failed');
    if (bad.length > 0) throw new Error(`${bad.length} charts failed: ${bad[0].reason}`);
    return { ms: performance.now() - start, requests, statuses: new Set(report.charts.map((c) => c.status)) };
  }

  // Request counts, token auth: the first contact with a host costs one 401 more.
  const credentials = createCredentialResolver({
    explicit: { host: token.host, username: token.username, password: token.password },
    env: {},
    homeDir: root,
    processRunner: createProcessRunner(),
    logger: silentLogger,
  });
  const tokenNew = await publish(token, 'counts', credentials);
  const tokenAgain = await publish(token, 'counts', credentials);

  // Wall time, plain registry: ours (packaging included) against skopeo copying ready artifacts.
  const ours = [];
  let plainNew;
  let plainAgain;
  for (let run = 0; run < RUNS; run++) {
    const result = await publish(plain, `ours${run}`);
    ours.push(result.ms);
    plainNew ??= result;
    plainAgain ??= await publish(plain, `ours${run}`);
  }

  const layouts = [];
  for (const dir of dirs) {
    const chart = await loadChart(dir, { workspace: ws, logger: silentLogger });
    const tgz = readFileSync(join(root, 'out', `${chart.metadata.name}-${chart.metadata.version}.tgz`));
    const artifact = helmArtifact({ metadata: chart.metadata, chart: tgz, created: 1700000000 });
    const layout = join(root, 'layouts', chart.metadata.name);
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    for (const blob of [artifact.config, ...artifact.layers, artifact.manifest]) writeFileSync(join(layout, 'blobs', 'sha256', blob.digest.slice(7)), blob.bytes);
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: artifact.manifest.digest, size: artifact.manifest.size, annotations: { 'org.opencontainers.image.ref.name': chart.metadata.version } }] }),
    );
    layouts.push({ layout, name: chart.metadata.name, tag: chart.metadata.version });
  }
  const peer = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (const { layout, name, tag } of layouts) {
      execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:${tag}`, `docker://${plain.host}/peer${run}/${name}:${tag}`]);
    }
    peer.push(performance.now() - start);
  }

  const perChart = (r) => (r.requests / CHARTS).toFixed(2);
  const ratio = median(peer) / median(ours);
  console.log(`${CHARTS} charts, ${RUNS} runs each`);
  console.log(`requests per chart, plain registry:  new ${perChart(plainNew)} (target ≤ 7), unchanged ${perChart(plainAgain)} (target ≤ 2)`);
  console.log(`requests per chart, token auth:      new ${perChart(tokenNew)} (target ≤ 7), unchanged ${perChart(tokenAgain)} (target ≤ 2)`);
  console.log(`oci-chart-publish (package + push):  median ${median(ours).toFixed(0)} ms  (${ours.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`skopeo copy loop (push only):        median ${median(peer).toFixed(0)} ms  (${peer.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio ${ratio.toFixed(1)}× faster (target ≥ 5×)`);
  failed =
    ratio < 5 ||
    [plainNew, tokenNew].some((r) => r.requests / CHARTS > 7) ||
    [plainAgain, tokenAgain].some((r) => r.requests / CHARTS > 2 || !r.statuses.has('unchanged') || r.statuses.size !== 1);
} finally {
  await plain.stop();
  await token.stop();
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
