import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialResolver } from '../../src/oci/credentials.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import { lookupChart, registrySteps } from '../../src/publish/push-chart.js';
import { publishCharts, type PreparedChart } from '../../src/publish/run.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startStallingServer } from '../support/stalling-server.js';
import { startServer } from '../oci/http-server.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith, writes } from '../support/publish-harness.js';
import { freePort, startRegistry, type TestRegistry } from '../support/registry.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * The plan against the registry: every chart is looked up before the first write, so that a
 * conflict, a refused look-up or an unreachable registry stops the run with nothing pushed.
 */

let registry: TestRegistry;
let proxy: FaultProxy;
let counter = 0;
const freshNamespace = () => `plan/n${++counter}`;
const proxyWrites = () => proxy.requests.filter((r) => !['GET', 'HEAD'].includes(r.method));

beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  proxy = await startFaultProxy({ target: registry.url });
});
afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
});

function twoCharts(): string {
  const ws = tempDir();
  writeTree(ws, { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '2.0.0') });
  return ws;
}

describe('the plan against the registry', () => {
  it('with one chart conflicting, the registry receives no write at all', async () => {
    const ws = twoCharts();
    const namespace = freshNamespace();
    await publishWith(ws, ['charts/a'], { host: registry.host, namespace });
    writeFileSync(join(ws, 'charts/a/values.yaml'), 'replicas: 2\n');

    proxy.setRules([]);
    const before = proxy.requests.length;
    const run = await publishWith(ws, ['charts/a', 'charts/b'], { host: proxy.host, namespace });
    expect(run.report.charts.map((c) => [c.name, c.status])).toEqual([
      ['a', 'failed'],
      ['b', 'skipped'],
    ]);
    expect(run.report.charts[0]!.reason).toMatch(
      /^version 1\.0\.0 is already published as sha256:[0-9a-f]{64} with different chart content/,
    );
    expect(run.report.charts[1]!.reason).toMatch(/^not pushed: 1 of 2 selected chart\(s\) failed, .*registry can take it/);
    expect(run.report.blocked).toMatch(/^nothing was pushed: /);
    // Counted on the registry's side of the wire too: reads only.
    expect(proxy.requests.slice(before).map((r) => r.method)).not.toContain('POST');
    expect(proxyWrites().filter((r) => r.path.includes(namespace))).toEqual([]);
    expect(writes(run.requests)).toEqual([]);
    const client = new RegistryClient({ plainHttp: true });
    expect(await client.repository(registry.host, `${namespace}/b`).headManifest('2.0.0')).toBeUndefined();
  });

  it('a refused look-up (403) fails the run before anything is written', async () => {
    const ws = twoCharts();
    const namespace = freshNamespace();
    proxy.setRules([
      { method: 'HEAD', path: /\/b\/manifests\//, fault: { kind: 'status', status: 403, body: '{"errors":[{"code":"DENIED"}]}' } },
    ]);
    const run = await publishWith(ws, ['charts/a', 'charts/b'], { host: proxy.host, namespace });
    proxy.setRules([]);
    expect(run.report.charts.map((c) => [c.name, c.status])).toEqual([
      ['a', 'skipped'],
      ['b', 'failed'],
    ]);
    expect(run.report.charts[1]!.reason).toMatch(/403/);
    expect(writes(run.requests)).toEqual([]);
  });

  it('an unreachable registry fails every chart with nothing pushed', async () => {
    const ws = twoCharts();
    const host = `127.0.0.1:${await freePort()}`;
    const run = await publishWith(ws, ['charts/a', 'charts/b'], {
      host,
      namespace: 'x',
      retry: { maxRetries: 0 },
    });
    expect(run.report.charts.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(run.report.charts[0]!.reason).toMatch(/ECONNREFUSED|refused/i);
    expect(writes(run.requests.filter((r) => r.status !== undefined))).toEqual([]);
  });

  it('a dry-run asks an unreachable registry once, not again for every chart', async () => {
    const ws = twoCharts();
    const host = `127.0.0.1:${await freePort()}`;
    const run = await publishWith(ws, ['charts/a', 'charts/b'], {
      host,
      namespace: 'x',
      dryRun: true,
      concurrency: 1,
      retry: { maxRetries: 1 },
    });
    expect(run.report.charts.map((c) => c.status)).toEqual(['dry-run', 'dry-run']);
    expect(run.report.charts[0]!.reason).toMatch(/ECONNREFUSED/);
    // The second chart names the first, whose request is in its reason and the log, rather than quote that request.
    expect(run.report.charts[1]!.reason).toBe(`registry not checked: unreachable (as for ${host}/x/a:1.0.0, see the log)`);
    expect(new Set(run.requests.map((r) => new URL(r.url).pathname))).toEqual(new Set(['/v2/x/a/manifests/1.0.0']));
  });

  it('a new chart still costs 7 requests with token auth (token, HEAD, 2 × POST+PUT, PUT)', async () => {
    const token = await startRegistry({ mode: 'token' });
    try {
      const ws = tempDir();
      const dirs = ['c1', 'c2', 'c3'];
      writeTree(ws, Object.assign({}, ...dirs.map((d) => chartFiles(`charts/${d}`, d, '1.0.0'))) as Record<string, string>);
      const events: RequestEvent[] = [];
      const client = new RegistryClient({
        plainHttp: true,
        onRequest: (e) => events.push(e),
        credentials: createCredentialResolver({
          explicit: { host: token.host, username: token.username ?? '', password: token.password ?? '' },
          env: {},
          homeDir: ws,
          processRunner: createProcessRunner(),
          logger: silentLogger,
        }),
      });
      const report = await publishCharts(
        dirs.map((d) => `charts/${d}`),
        {
          workspace: ws,
          target: { registry: token.host, namespace: 'counts' },
          dryRun: false,
          outputDir: join(ws, '.out'),
          sourceDateEpoch: '0',
          concurrency: 4,
        },
        { logger: silentLogger, git: createProcessRunner(), ...registrySteps({ client, onConflict: 'fail', logger: silentLogger }) },
      );
      expect(report.charts.map((c) => c.status)).toEqual(['published', 'published', 'published']);
      // The one 401 of first contact tells how the registry authenticates; then 7 per chart.
      expect(events.filter((e) => e.status === 401)).toHaveLength(1);
      expect(events.length - 1).toBe(7 * dirs.length);
      for (const d of dirs) {
        const mine = events.filter((e) => e.url.includes(`/counts/${d}/`) && e.status !== 401);
        // Blobs go up in parallel: HEAD first, the manifest PUT last.
        expect(mine.map((e) => e.method)).toHaveLength(6);
        expect(mine[0]!.method).toBe('HEAD');
        expect(mine.at(-1)!.url).toMatch(/\/manifests\/1\.0\.0$/);
        expect(mine.map((e) => e.method).sort()).toEqual(['HEAD', 'POST', 'POST', 'PUT', 'PUT', 'PUT']);
      }
    } finally {
      await token.stop();
    }
  });

  it('re-checks the tag before the manifest PUT when the look-up is old: a chart published meanwhile is not replaced', async () => {
    const ws = twoCharts();
    const namespace = freshNamespace();
    let now = 1_000_000;
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const logger = new MemoryLogger();
    const client = new RegistryClient({ plainHttp: true });
    const open = (chart: PreparedChart) => client.repository(chart.reference.registry, chart.reference.repository, { push: true });
    let lookup: Awaited<ReturnType<typeof lookupChart>> | undefined;
    // The engine's plan, stopped between look-up and push.
    await publishCharts(
      ['charts/a'],
      {
        workspace: ws,
        target: { registry: registry.host, namespace },
        dryRun: false,
        outputDir: join(ws, '.out'),
        sourceDateEpoch: '0',
        concurrency: 1,
      },
      {
        logger,
        git: createProcessRunner(),
        lookup: async (chart) => {
          lookup = await lookupChart(chart, { repository: open, onConflict: 'fail', logger, clock });
          return { result: { status: 'skipped' } };
        },
      },
    );
    expect(lookup && 'push' in lookup).toBe(true);

    // Another run publishes other content under the same tag.
    const other = tempDir();
    writeTree(other, chartFiles('charts/a', 'a', '1.0.0', { 'values.yaml': 'replicas: 9\n' }));
    const theirs = await publishWith(other, ['charts/a'], { host: registry.host, namespace });
    expect(theirs.report.charts[0]!.status).toBe('published');

    now += 60_000;
    const result = await (lookup as { push: () => Promise<{ status: string; reason?: string; digest?: string }> }).push();
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/another run published it while this one was pushing/);
    const head = await client.repository(registry.host, `${namespace}/a`).headManifest('1.0.0');
    expect(head?.digest).toBe(theirs.report.charts[0]!.digest);
  });
});

describe('a registry that accepts connections and never answers', () => {
  // One request's budget: 2 attempts of 500 ms and the wait between them.
  const budget = { timeoutMs: 500, retry: { maxRetries: 1 } };
  const eight = () => {
    const ws = tempDir();
    const dirs = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
    writeTree(ws, Object.assign({}, ...dirs.map((d) => chartFiles(`charts/${d}`, d, '1.0.0'))) as Record<string, string>);
    return { ws, dirs: dirs.map((d) => `charts/${d}`) };
  };

  for (const dryRun of [true, false]) {
    it(`costs one request's budget for 8 charts, not one per chart (${dryRun ? 'dry-run' : 'publish'})`, async () => {
      const server = await startStallingServer('silent');
      try {
        const { ws, dirs } = eight();
        const started = Date.now();
        const run = await publishWith(ws, dirs, { host: server.host, namespace: 'x', dryRun, concurrency: 4, ...budget });
        const elapsed = Date.now() - started;
        // The first look-up and its one retry; the charts waiting behind it, and those after, send nothing.
        expect(server.requests).toEqual([`HEAD /v2/x/c1/manifests/1.0.0 HTTP/1.1`, `HEAD /v2/x/c1/manifests/1.0.0 HTTP/1.1`]);
        expect(run.requests).toHaveLength(2);
        expect(elapsed).toBeLessThan(6_000);
        const [first, ...others] = run.report.charts;
        expect(first!.reason).toContain(
          `Request failed after 2 attempts: no complete answer within 500 ms (HEAD ${server.origin}/v2/x/c1/`,
        );
        if (dryRun) {
          expect(run.report.charts.map((c) => c.status)).toEqual(Array(8).fill('dry-run'));
          for (const chart of others)
            expect(chart.reason).toBe(`registry not checked: unreachable (as for ${server.host}/x/c1:1.0.0, see the log)`);
          // One warning for the run, not one per chart.
          expect(run.logger.entries.filter((e) => e.level === 'warning')).toHaveLength(1);
        } else {
          expect(run.report.charts.map((c) => c.status)).toEqual(Array(8).fill('failed'));
          for (const chart of others) {
            expect(chart.reason).toMatch(
              new RegExp(
                `^Not sent: ${server.origin} gave no answer earlier in this run \\(as for HEAD ${server.origin}/v2/x/c1/manifests/1\\.0\\.0: ` +
                  `Request failed after 2 attempts: no complete answer within 500 ms\\) \\(HEAD ${server.origin}/v2/x/c\\d/manifests/1\\.0\\.0\\)`,
              ),
            );
          }
        }
      } finally {
        await server.close();
      }
    });
  }
});

describe('an anonymous dry-run says what kept the registry from being checked', () => {
  const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
  const announced = `sha256:${'a'.repeat(64)}`;

  async function check(answer: 'tampered' | 'odd status' | 'refused') {
    const registry = await startServer((req, res) => {
      if (answer === 'refused') res.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED"}]}');
      else if (answer === 'odd status') res.writeHead(599).end();
      else if (req.method === 'HEAD') {
        res.writeHead(200, { 'docker-content-digest': announced, 'content-type': MANIFEST_TYPE, 'content-length': '20' }).end();
      } else res.writeHead(200, { 'content-type': MANIFEST_TYPE }).end('{"schemaVersion":2}');
    });
    try {
      const ws = twoCharts();
      const logger = new MemoryLogger();
      const client = new RegistryClient({ plainHttp: true, retry: { maxRetries: 0 } });
      const { check: anonymousCheck } = registrySteps({ client, anonymous: true, onConflict: 'fail', logger });
      const run = await publishWith(ws, ['charts/a', 'charts/b'], {
        host: registry.host,
        namespace: 'x',
        dryRun: true,
        concurrency: 1,
        steps: { check: anonymousCheck },
      });
      expect(run.report.charts.map((c) => c.status)).toEqual(['dry-run', 'dry-run']);
      return { reasons: run.report.charts.map((c) => c.reason), logger, host: registry.host };
    } finally {
      await registry.close();
    }
  }

  it('a manifest that does not match its digest: a warning, and the reason says so', async () => {
    const { reasons, logger, host } = await check('tampered');
    expect(reasons[0]).toBe(
      `registry not checked: The manifest ${host}/x/a:${announced} does not match its digest ${announced} ` +
        `(GET http://${host}/v2/x/a/manifests/${announced} → HTTP 200). ` +
        'The registry returned different content than it announced; it may be corrupt or tampered with',
    );
    expect(logger.entries.filter((e) => e.level === 'warning')).toHaveLength(2);
  });

  it('a status no registry answers: the reason quotes it', async () => {
    const { reasons } = await check('odd status');
    expect(reasons[0]).toMatch(/^registry not checked: Cannot check manifest .*\/x\/a:1\.0\.0 \(HEAD .* → HTTP 599\)/);
  });

  it('a refusal: said once for the run, the charts point to it', async () => {
    const { reasons, logger } = await check('refused');
    expect(reasons).toEqual(Array(2).fill('registry not checked: it refused anonymous reads (see the log)'));
    expect(logger.entries.filter((e) => e.level === 'warning')).toEqual([]);
    expect(logger.entries.filter((e) => e.level === 'info').map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^The registry was not checked: without credentials it could not be read anonymously: Cannot check manifest .* HTTP 403/,
      ),
    ]);
  });
});

describe('on-invalid', () => {
  const LONG_VERSION = `0.1.0-${'a'.repeat(130)}`;
  function withInvalid(): string {
    const ws = tempDir();
    writeTree(ws, {
      // A version too long for an OCI tag: loads, packages as a subchart, but cannot be published.
      ...chartFiles('charts/bad', 'bad', LONG_VERSION),
      ...chartFiles('charts/good', 'good', '1.0.0'),
      ...chartFiles('charts/app', 'app', '3.0.0', {
        'Chart.yaml': `apiVersion: v2\nname: app\nversion: 3.0.0\ndependencies:\n  - name: bad\n    version: "${LONG_VERSION}"\n    repository: "file://../bad"\n`,
      }),
    });
    return ws;
  }

  it('skip publishes the charts that validated, never one containing an invalid chart', async () => {
    const namespace = freshNamespace();
    const run = await publishWith(withInvalid(), ['charts/bad', 'charts/good', 'charts/app'], {
      host: registry.host,
      namespace,
      onInvalid: 'skip',
    });
    expect(run.report.charts.map((c) => [c.name, c.status])).toEqual([
      ['bad', 'failed'],
      ['good', 'published'],
      ['app', 'skipped'],
    ]);
    expect(run.report.charts[2]!.reason).toBe('not published: it contains bad (charts/bad), which failed');
    expect(new Set(writes(run.requests).map((r) => new URL(r.url).pathname.split('/')[4]))).toEqual(new Set(['good']));
    expect(run.logger.entries.filter((e) => e.level === 'warning').map((e) => e.where?.file)).toContain('charts/app/Chart.yaml');
  });

  it('fail (the default) pushes nothing, and a dry-run says a real run would push nothing', async () => {
    const namespace = freshNamespace();
    const run = await publishWith(withInvalid(), ['charts/bad', 'charts/good'], { host: registry.host, namespace });
    expect(run.report.charts.map((c) => c.status)).toEqual(['failed', 'skipped']);
    expect(run.requests).toEqual([]);

    const dry = await publishWith(withInvalid(), ['charts/bad', 'charts/good'], { host: registry.host, namespace, dryRun: true });
    expect(dry.report.charts.map((c) => c.status)).toEqual(['failed', 'dry-run']);
    expect(dry.report.blocked).toMatch(/^a real run would push nothing: 1 of 2 selected chart\(s\) failed/);
    expect(dry.report.charts[1]!.reason).toBe('new version: would be published; not while other charts fail');

    const drySkip = await publishWith(withInvalid(), ['charts/bad', 'charts/good', 'charts/app'], {
      host: registry.host,
      namespace,
      dryRun: true,
      onInvalid: 'skip',
    });
    expect(drySkip.report.charts.map((c) => c.status)).toEqual(['failed', 'dry-run', 'skipped']);
    expect(drySkip.report.blocked).toBeUndefined();
    expect(drySkip.report.charts[2]!.reason).toBe('would not be published: it contains bad (charts/bad), which failed');
  });
});

describe('a token that reads but cannot push', () => {
  it('fails the plan with nothing pushed: the token service granted pull only', async () => {
    const token = await startRegistry({
      mode: 'token',
      users: [
        { username: 'writer', password: 'writepass' },
        { username: 'reader', password: 'readpass', actions: ['pull'] },
      ],
    });
    try {
      const ws = twoCharts();
      const events: RequestEvent[] = [];
      const client = new RegistryClient({
        plainHttp: true,
        onRequest: (e) => events.push(e),
        credentials: createCredentialResolver({
          explicit: { host: token.host, username: 'reader', password: 'readpass', source: 'the username and password inputs' },
          env: {},
          homeDir: ws,
          processRunner: createProcessRunner(),
          logger: silentLogger,
        }),
      });
      const report = await publishCharts(
        ['charts/a', 'charts/b'],
        {
          workspace: ws,
          target: { registry: token.host, namespace: 'guarded' },
          dryRun: false,
          outputDir: join(ws, '.out'),
          sourceDateEpoch: '0',
          concurrency: 2,
        },
        { logger: silentLogger, git: createProcessRunner(), ...registrySteps({ client, onConflict: 'fail', logger: silentLogger }) },
      );
      expect(report.charts.map((c) => c.status)).toEqual(['failed', 'failed']);
      expect(report.charts[0]!.reason).toMatch(
        /^The token service did not grant "push" on 127\.0\.0\.1:\d+\/guarded\/a to the credentials from the username and password inputs: the token it gave allows reading only\. Grant the account push on repository guarded\/a$/,
      );
      expect(events.map((e) => e.method).filter((m) => m !== 'GET' && m !== 'HEAD')).toEqual([]);
    } finally {
      await token.stop();
    }
  });
});
