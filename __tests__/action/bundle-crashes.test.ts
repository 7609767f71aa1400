import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction, visibleLog } from '../support/action-runner.js';
import { startStallingServer, type StallingServer } from '../support/stalling-server.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * Whatever escapes the run — an exception thrown from a callback, a rejection nobody handles —
 * the step still ends with valid outputs, a summary and one failure message. The crash is made
 * real by preloading a module into the bundle's process (NODE_OPTIONS=--import, as a runner
 * could): it throws while the run waits on a registry that never answers.
 */

let registry: StallingServer;
beforeEach(async () => {
  registry = await startStallingServer('silent');
});
afterEach(async () => registry.close());

function preload(code: string): string {
  return `--import=data:text/javascript,${encodeURIComponent(code)}`;
}

async function crashRun(code: string) {
  const ws = tempDir('ocp-crash-');
  writeTree(ws, chartFiles('charts/a', 'a'));
  return runAction({
    workspace: ws,
    inputs: {
      registry: `oci://${registry.host}/acme`,
      'plain-http': 'true',
      discover: 'all',
      'dry-run': 'false',
      'output-dir': join(ws, 'out'),
    },
    env: { NODE_OPTIONS: preload(code) },
  });
}

/** Waits until the run is stuck on the registry, then crashes. */
const WHEN_STUCK = `const stuck = (f) => { const t = setInterval(() => { if (process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length > 0) { clearInterval(t); setTimeout(f, 200); } }, 50); };`;

describe('crashes outside the run', () => {
  it('an uncaught exception: valid outputs, a summary, the step failed, nothing pushed', async () => {
    const run = await crashRun(`${WHEN_STUCK} stuck(() => { throw new Error('injected crash'); });`);
    expect(run.exitCode, run.stdout).toBe(1);
    expect(visibleLog(run.stdout)).toContain('::error::Unexpected error (please report it): uncaught exception: injected crash');
    expect(run.outputs.charts).toBe('[]');
    expect(JSON.parse(run.outputs.matrix ?? '')).toEqual({ include: [] });
    expect(run.outputs.changed).toBe('false');
    expect(run.summary).toContain('❌ Unexpected error (please report it): uncaught exception: injected crash');
    expect(registry.requests.filter((r) => !r.startsWith('GET ') && !r.startsWith('HEAD '))).toEqual([]);
  });

  it('an unhandled rejection: valid outputs, a summary, the step failed', async () => {
    const run = await crashRun(`${WHEN_STUCK} stuck(() => { Promise.reject(new Error('injected rejection')); });`);
    expect(run.exitCode, run.stdout).toBe(1);
    expect(visibleLog(run.stdout)).toContain('::error::Unexpected error (please report it): unhandled rejection: injected rejection');
    expect(run.outputs.charts).toBe('[]');
    expect(run.summary).toContain('unhandled rejection: injected rejection');
    expect(registry.requests.filter((r) => !r.startsWith('GET ') && !r.startsWith('HEAD '))).toEqual([]);
  });
});
