// Packaging a large chart, next to its peer: `tar czf` of the same tree (gzip level 6, like us).
//
//   node bench/packaging.js [--files 2000] [--megabytes 50] [--runs 5]
//
// Generates a chart of 2,000 files / 50 MB (YAML-like text from a seeded generator, plus some
// incompressible binaries) under the temp folder, then alternates runs of loadChart +
// packageChart (in this process) and `tar czf` (a child process), reporting medians, the
// ratio (target ≤ 1.3) and our peak memory. Exits 1 over target.
import '../scripts/ts-hooks.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const TARGET = 1.3;
const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    megabytes: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
  },
});
const FILES = Number(args.files);
const BYTES = Number(args.megabytes) * 1024 * 1024;
const RUNS = Number(args.runs);

const { loadChart } = await import('../src/chart/chart-loader.ts');
const { packageChart } = await import('../src/chart/packager.ts');
const { silentLogger } = await import('../src/shared/logger.ts');

const root = mkdtempSync(join(tmpdir(), 'ocp-bench-pkg-'));
const chartDir = join(root, 'ws', 'big');
const out = join(root, 'out');
generateChart(chartDir, FILES, BYTES);
console.log(`chart: ${FILES} files, ${(BYTES / 1024 / 1024).toFixed(0)} MiB in ${chartDir}`);

const ours = [];
const peer = [];
let peakRss = 0;
let ourSize = 0;
let tarSize = 0;
for (let run = 0; run < RUNS; run++) {
  const before = performance.now();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const chart = await loadChart(chartDir, { workspace: join(root, 'ws'), logger: silentLogger });
  const pkg = await packageChart(chart, { outputDir: out, mtime: 1700000000 });
  clearInterval(sampler);
  ours.push(performance.now() - before);
  ourSize = pkg.size;

  const start = performance.now();
  execFileSync('tar', ['czf', join(out, 'peer.tgz'), '-C', join(root, 'ws'), 'big']);
  peer.push(performance.now() - start);
  tarSize = statSync(join(out, 'peer.tgz')).size;
}
rmSync(root, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(ours) / median(peer);
console.log(
  `oci-chart-publish  median ${median(ours).toFixed(0)} ms  (${RUNS} runs: ${ours.map((x) => x.toFixed(0)).join(', ')})  archive ${(ourSize / 1024 / 1024).toFixed(1)} MiB`,
);
console.log(
  `tar czf            median ${median(peer).toFixed(0)} ms  (${RUNS} runs: ${peer.map((x) => x.toFixed(0)).join(', ')})  archive ${(tarSize / 1024 / 1024).toFixed(1)} MiB`,
);
console.log(`ratio ${ratio.toFixed(2)} (target ≤ ${TARGET})  peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
process.exit(ratio <= TARGET ? 0 : 1);

/** A chart whose files look like real ones: mostly YAML-ish text, a few binaries. */
function generateChart(dir, files, totalBytes) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const words = Array.from(
    { length: 600 },
    (_, i) => `${['app', 'name', 'image', 'port', 'label', 'value', 'config', 'replica', 'volume', 'secret'][i % 10]}${i}`,
  );
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'replicas: 1\n');
  const perFile = Math.floor(totalBytes / files);
  for (let i = 0; i < files; i++) {
    const folder = join(dir, i % 10 === 0 ? 'files' : 'templates', `group-${i % 40}`);
    mkdirSync(folder, { recursive: true });
    let content;
    if (i % 20 === 0) {
      content = Buffer.alloc(perFile);
      for (let k = 0; k < perFile; k++) content[k] = Math.floor(random() * 256);
    } else {
      const lines = [];
      let size = 0;
      while (size < perFile) {
        const line = `${'  '.repeat(Math.floor(random() * 4))}${words[Math.floor(random() * words.length)]}: ${words[Math.floor(random() * words.length)]}-${Math.floor(random() * 1000)}\n`;
        lines.push(line);
        size += line.length;
      }
      content = lines.join('').slice(0, perFile);
    }
    writeFileSync(join(folder, `file-${i}.${i % 20 === 0 ? 'bin' : 'yaml'}`), content);
  }
}
