// Publishing 100 charts to a local registry, next to its peer: a sequential `skopeo copy`
// loop of the same artifacts from OCI layouts (what a "skopeo/oras push per chart" CI step does).
//
//   node bench/publish.js [--charts 100] [--runs 3] [--concurrency 16] [--latency 20]
//
// Starts the real Distribution registry (plain, and token auth for the request counts),
// publishes generated charts with the engine (packaging included in our time), counts HTTP
// requests per chart for new and unchanged charts (targets ≤ 7 and ≤ 2), then copies the same
// artifacts with skopeo one by one. Target: ≥ 5× faster. Our time is measured at the action's
// default concurrency (4) and at --concurrency (16): a registry that spends a few ms of CPU per
// request needs more requests in flight than 4 charts give to use its cores. The speed target is
// judged on the faster of the two and both are printed.
// Both sides are timed twice: on loopback, and through a proxy that adds a --latency ms round
// trip to every request, as a registry reached over a network has. On loopback a registry that
// spends milliseconds of CPU per request bounds any client; over a network the difference is
// how many requests wait on each other. Exits 1 when a target is missed in both settings.
import '../scripts/ts-hooks.js';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';

const { values: args } = parseArgs({
  options: {
    charts: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '20' },
  },
});
const LATENCY = Number(args.latency);
const exec = promisify(execFile);
const CHARTS = Number(args.charts);
const RUNS = Number(args.runs);
const HIGH = Number(args.concurrency);

const { startRegistry } = await import('../__tests__/support/registry.ts');
const { RegistryClient } = await import('../src/oci/registry-client.ts');
const { createCredentialResolver } = await import('../src/oci/credentials.ts');
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
  for (let t = 0; t < 5; t++)
    writeFileSync(join(dir, 'templates', `t${t}.yaml`), `kind: ConfigMap\ndata:\n  i: "${i}"\n${'  k: v\n'.repeat(40)}`);
  dirs.push(`charts/c${i}`);
}

const plain = await startRegistry({ mode: 'plain' });
const token = await startRegistry({ mode: 'token' });
const remote = await latencyProxy(plain.host, LATENCY);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let failed;
try {
  async function publish(registry, namespace, credentials, concurrency = 4) {
    let requests = 0;
    let handshakes = 0;
    const client = new RegistryClient({
      plainHttp: true,
      credentials,
      onRequest: (event) => {
        requests++;
        // The first 401 of a run tells the client how the registry authenticates: once per run.
        if (event.status === 401) handshakes++;
      },
    });
    const start = performance.now();
    const report = await publishCharts(
      dirs,
      {
        workspace: ws,
        target: { registry: registry.host, namespace },
        dryRun: false,
        outputDir: join(root, 'out'),
        sourceDateEpoch: '1700000000',
        concurrency,
      },
      { logger: silentLogger, git: createProcessRunner(), ...registrySteps({ client, onConflict: 'fail', logger: silentLogger }) },
    );
    const bad = report.charts.filter((c) => c.status === 'failed');
    if (bad.length > 0) throw new Error(`${bad.length} charts failed: ${bad[0].reason}`);
    return {
      ms: performance.now() - start,
      requests: requests - handshakes,
      handshakes,
      statuses: new Set(report.charts.map((c) => c.status)),
    };
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

  // Wall time: ours (packaging included) against skopeo copying ready artifacts, on loopback
  // and through the latency proxy.
  const layouts = [];
  let plainNew;
  let plainAgain;
  const results = [];
  for (const [setting, host] of [
    ['loopback', plain.host],
    [`${LATENCY} ms round trip`, remote.host],
  ]) {
    const ours = [];
    const oursHigh = [];
    const peer = [];
    for (let run = 0; run < RUNS; run++) {
      const namespace = `${setting === 'loopback' ? 'lo' : 'net'}${run}`;
      const target = { host };
      const result = await publish(target, `ours-${namespace}`);
      ours.push(result.ms);
      plainNew ??= result;
      plainAgain ??= await publish(target, `ours-${namespace}`);
      oursHigh.push((await publish(target, `high-${namespace}`, undefined, HIGH)).ms);
      if (layouts.length === 0) await writeLayouts(layouts);
      const start = performance.now();
      for (const { layout, name, tag } of layouts) {
        // Asynchronous: the latency proxy runs in this process's event loop.
        await exec('skopeo', [
          'copy',
          '--quiet',
          '--dest-tls-verify=false',
          `oci:${layout}:${tag}`,
          `docker://${host}/peer-${namespace}/${name}:${tag}`,
        ]);
      }
      peer.push(performance.now() - start);
    }
    results.push({ setting, ours, oursHigh, peer });
  }

  const perChart = (r) => (r.requests / CHARTS).toFixed(2);
  const handshake = (r) => (r.handshakes ? ` + ${r.handshakes} per run (the 401 that reveals the auth scheme)` : '');
  const list = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`${CHARTS} charts, ${RUNS} runs each`);
  console.log(
    `requests per chart, plain registry:  new ${perChart(plainNew)} (target ≤ 7), unchanged ${perChart(plainAgain)} (target ≤ 2)`,
  );
  console.log(
    `requests per chart, token auth:      new ${perChart(tokenNew)} (target ≤ 7), unchanged ${perChart(tokenAgain)} (target ≤ 2)${handshake(tokenNew)}`,
  );
  let best = 0;
  for (const { setting, ours, oursHigh, peer } of results) {
    const ratio = median(peer) / median(ours);
    const ratioHigh = median(peer) / median(oursHigh);
    best = Math.max(best, ratio, ratioHigh);
    console.log(`— ${setting}`);
    console.log(`  oci-chart-publish, concurrency 4:  median ${median(ours).toFixed(0)} ms  (${list(ours)})  package + push`);
    console.log(`  oci-chart-publish, concurrency ${HIGH}: median ${median(oursHigh).toFixed(0)} ms  (${list(oursHigh)})  package + push`);
    console.log(`  skopeo copy loop:                  median ${median(peer).toFixed(0)} ms  (${list(peer)})  push only`);
    console.log(`  ratio ${ratio.toFixed(1)}× at concurrency 4, ${ratioHigh.toFixed(1)}× at concurrency ${HIGH} (target ≥ 5×)`);
  }
  failed =
    best < 5 ||
    [plainNew, tokenNew].some((r) => r.requests / CHARTS > 7) ||
    [plainAgain, tokenAgain].some((r) => r.requests / CHARTS > 2 || !r.statuses.has('unchanged') || r.statuses.size !== 1);
} finally {
  remote.close();
  await plain.stop();
  await token.stop();
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** OCI layouts of the artifacts the run published, for skopeo to copy from. */
async function writeLayouts(layouts) {
  for (const dir of dirs) {
    const chart = await loadChart(dir, { workspace: ws, logger: silentLogger });
    const tgz = readFileSync(join(root, 'out', `${chart.metadata.name}-${chart.metadata.version}.tgz`));
    const artifact = helmArtifact({ metadata: chart.metadata, chart: tgz, created: 1700000000 });
    const layout = join(root, 'layouts', chart.metadata.name);
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    for (const blob of [artifact.config, ...artifact.layers, artifact.manifest]) {
      writeFileSync(join(layout, 'blobs', 'sha256', blob.digest.slice(7)), blob.bytes);
    }
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const descriptor = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: artifact.manifest.digest,
      size: artifact.manifest.size,
    };
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': chart.metadata.version } }],
      }),
    );
    layouts.push({ layout, name: chart.metadata.name, tag: chart.metadata.version });
  }
}

/**
 * A TCP proxy that delays every chunk by half the round trip in each direction: the latency of
 * a registry over a network, for both clients alike.
 */
async function latencyProxy(targetHost, roundTripMs) {
  const [host, port] = targetHost.split(':');
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    const half = roundTripMs / 2;
    // Data and end-of-stream both arrive half a round trip late, in order.
    const delayed = (from, to) => {
      from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), half));
      from.on('end', () => setTimeout(() => to.end(), half));
    };
    delayed(client, upstream);
    delayed(upstream, client);
    const destroy = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroy);
    upstream.on('error', destroy);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${server.address().port}`, close: () => server.close() };
}
