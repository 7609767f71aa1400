import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/action-runner.js';
import { repoRoot } from '../support/corpus.js';
import { GpgHome } from '../support/gpg.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * The lean start: a run loads only the bundle chunks it needs. The signing code (openpgp), the
 * GitHub API client and the Artifact Hub annotation lint are chunks of their own; every chunk
 * has a source map, so that an unexpected error's stack names the TypeScript source.
 */

let gpg: GpgHome;
let armored: string;
beforeAll(async () => {
  gpg = GpgHome.create();
  const key = await gpg.generateKey({ name: 'Chart Signer', email: 'signer@example.invalid', algorithm: 'rsa3072', passphrase: 'pass' });
  armored = await gpg.exportSecretKey(key);
});
afterAll(() => gpg?.dispose());

interface Recorded {
  run: ActionRun;
  /** The source files (from the chunks' source maps) of every bundle file the run loaded. */
  sources: string[];
}

/** Runs the bundle on examples/shared-config as a dry-run, recording the files it loads. */
async function recordedDryRun(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<Recorded> {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  const loaded = join(tempDir(), 'loaded.txt');
  const run = await runAction({
    workspace: ws,
    inputs: { charts: 'examples/shared-config', 'dry-run': 'true', registry: 'oci://127.0.0.1:9/acme', ...inputs },
    env: {
      NODE_OPTIONS: `--import=${join(repoRoot, '__tests__', 'support', 'record-modules.mjs')}`,
      OCP_LOADED_MODULES: loaded,
      ...env,
    },
  });
  const files = readFileSync(loaded, 'utf8')
    .trim()
    .split('\n')
    .map((url) => fileURLToPath(url));
  expect(files.every((file) => file.startsWith(join(repoRoot, 'dist')))).toBe(true);
  const sources = files.flatMap((file) => {
    expect(existsSync(`${file}.map`), `${file} has a source map`).toBe(true);
    return (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources;
  });
  return { run, sources };
}

describe('the bundle loads the signing and GitHub API code only when a run needs it', () => {
  it('a dry-run without signing loads neither openpgp nor the provenance code nor the GitHub API client', async () => {
    const { run, sources } = await recordedDryRun();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.status)).toEqual(['dry-run']);
    expect(sources.some((s) => s.includes('src/main.ts'))).toBe(true);
    expect(sources.filter((s) => s.includes('node_modules/openpgp/'))).toEqual([]);
    expect(sources.filter((s) => s.includes('src/provenance/'))).toEqual([]);
    expect(sources.filter((s) => s.includes('src/action/github-compare.ts'))).toEqual([]);
    expect(sources.filter((s) => /node_modules\/(@octokit|undici)\//.test(s))).toEqual([]);
    // No artifacthub.io annotation in the example: neither the lint nor the SPDX license list.
    expect(sources.filter((s) => s.includes('src/chart/artifacthub-annotations.ts') || s.includes('spdx-license-ids'))).toEqual([]);
    // The YAML library once, as its ES-module build (src/chart/go/yaml-lib.js), never its CommonJS one.
    expect(sources.some((s) => s.includes('node_modules/yaml/browser/dist/'))).toBe(true);
    expect(sources.filter((s) => /node_modules\/yaml\/dist\//.test(s))).toEqual([]);
  });

  it('a signing run loads the signing chunk, and signs', async () => {
    const { run, sources } = await recordedDryRun({ 'signing-key': armored, 'signing-passphrase': 'pass' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts[0]!.provenanceDigest).toMatch(/^sha256:/);
    expect(sources.some((s) => s.includes('node_modules/openpgp/'))).toBe(true);
    expect(sources.some((s) => s.includes('src/provenance/signing-key.ts'))).toBe(true);
  });
});

describe('source maps', () => {
  it("an unexpected error's stack, logged at debug level, points at the TypeScript source", async () => {
    // A job summary file that cannot be written is not an error the action anticipates.
    const { run } = await recordedDryRun({}, { GITHUB_STEP_SUMMARY: join(tempDir(), 'missing', 'summary.md'), RUNNER_DEBUG: '1' });
    expect(run.exitCode).toBe(1);
    const stack = run.stdout.split('\n').find((line) => line.startsWith('::debug::Error: Unable to access summary file'));
    expect(stack, run.stdout).toBeDefined();
    expect(stack).toMatch(/at appendSummary \([^)]*src\/action\/workflow-commands\.ts:\d+:\d+\)/);
    // The chunks are minified to a few long lines: the frame names the very line that throws.
    const source = readFileSync(join(repoRoot, 'src', 'action', 'workflow-commands.ts'), 'utf8').split('\n');
    const line = Number(/workflow-commands\.ts:(\d+):/.exec(stack!)![1]);
    expect(source[line - 1]).toContain('throw new Error(`Unable to access summary file');
    expect(stack).toMatch(/at async run \([^)]*src\/main\.ts:\d+:\d+\)/);
    // Every frame in a bundle file is mapped: none still names a chunk.
    expect(stack).not.toMatch(/dist\/\d+\.index\.js/);
  });
});
