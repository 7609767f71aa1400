// `npm run bench`: every benchmark, each next to its peer measured in the same run.
// Arguments after `--` go to every benchmark (e.g. `npm run bench -- --runs 3`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = [
  ['packaging: 2,000 files / 50 MB against tar czf (target ratio ≤ 1.3)', 'packaging.js'],
  ['publishing: 100 charts against a sequential skopeo copy loop (targets ≤ 7 / ≤ 2 requests per chart, ≥ 5× faster)', 'publish.js'],
  ['discovery: 1,000 charts / 100,000 files, a change touching 10 charts (target ≤ 1 s)', 'discovery.js'],
  ['cold start: a one-chart dry-run of the bundle against node -e 0 (target ≤ 4×; run `npm run build` first)', 'cold-start.js'],
];
let failed = 0;
for (const [title, file] of benches) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(process.execPath, [join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`--- ${file}: target missed (exit ${result.status})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
