import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../oci/http-server.js';
import { runAction, visibleLog, type ActionRun } from '../support/action-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * Hostile input through the bundle, as the runner runs it: whatever a chart, a file name or a
 * server says, the log carries no workflow command of theirs and no secret, the run fails
 * with a message naming the file and line, and nothing is pushed. Needs `npm run build`.
 */

const PAYLOAD = 'PWNED';

/** Lines the runner would execute as a command whose data the attacker chose. */
function injectedCommands(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter((line) => new RegExp(`^\\s*::[a-z-]+( [^:]*)?::${PAYLOAD}`).test(line));
}

function expectNoLeak(run: ActionRun, secrets: string[]): void {
  const places = { log: visibleLog(run.stdout), summary: run.summary, outputs: JSON.stringify(run.outputs) };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) expect(text, `${place} leaks ${secret}`).not.toContain(secret);
  }
}

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});

let counter = 0;
const freshNamespace = () => `hostile${process.pid}/run${++counter}`;

describe('names and values from the chart cannot inject workflow commands', () => {
  it('file and symlink names with newlines, and Chart.yaml keys, stay data', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo'),
      'charts/demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\n"x\\n::add-mask::${PAYLOAD}-key": 1\n`,
      [`charts/demo/notes\n::warning::${PAYLOAD}-file.txt`]: 'text',
      'charts/demo/.helmignore': `ignored*\n`,
      [`charts/demo/ignored\n::stop-commands::${PAYLOAD}-ignored`]: 'left out, logged in debug',
    });
    symlinkSync('values.yaml', join(ws, `charts/demo/link\n::add-mask::${PAYLOAD}-link`));
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/demo', 'dry-run': 'true', registry: 'oci://127.0.0.1:9/acme' },
      env: { RUNNER_DEBUG: '1' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    // The names did reach the log, as data.
    expect(run.stdout).toContain(`${PAYLOAD}-link`);
    expect(run.stdout).toContain(`${PAYLOAD}-ignored`);
    expect(run.stdout).toContain(`${PAYLOAD}-key`);
    expect(injectedCommands(run.stdout)).toEqual([]);
  });
});

describe('an alias bomb in values.yaml', () => {
  it('fails the run at once with the file and line; nothing is pushed', async () => {
    const ws = tempDir();
    const bomb = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `a${i}: &a${i} [${Array<string>(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    writeTree(ws, {
      ...chartFiles('charts/ok', 'ok'),
      ...chartFiles('charts/bomb', 'bomb'),
      'charts/bomb/values.yaml': `first: 1\n${bomb.join('\n')}\n`,
    });
    const namespace = freshNamespace();
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/ok\ncharts/bomb', registry: `oci://${registry.host}/${namespace}`, 'plain-http': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=charts\/bomb cannot be published,file=charts\/bomb\/values.yaml,line=2::cannot load values.yaml: document contains excessive aliasing/,
    );
    expect(run.charts.map((c) => [c.path, c.status])).toEqual([
      ['charts/bomb', 'failed'],
      ['charts/ok', 'skipped'],
    ]);
    const skopeo = skopeoFor(registry);
    await expect(skopeo.listTags(`${registry.host}/${namespace}/ok`)).rejects.toThrow();
  });
});

describe('secrets stay out of the log, the summary and the outputs', () => {
  let echo: TestServer;
  beforeAll(async () => {
    // A registry that asks for Basic credentials and then echoes everything it was sent.
    echo = await startServer((request, response) => {
      if (request.url === '/v2/' && !request.headers.authorization) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="echo"', 'content-type': 'application/json' });
        response.end('{"errors":[{"code":"UNAUTHORIZED","message":"log in"}]}');
        return;
      }
      if (request.method === 'HEAD') {
        response.writeHead(404);
        response.end();
        return;
      }
      const auth = request.headers.authorization ?? '';
      const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString();
      response.writeHead(auth ? 403 : 401, {
        'content-type': 'application/json',
        ...(auth ? {} : { 'www-authenticate': 'Basic realm="echo"' }),
      });
      response.end(
        JSON.stringify({
          errors: [{ code: 'DENIED', message: `you sent "${auth}" which is ${decoded}; raw: ${auth.replace(/^Basic /, '')}` }],
        }),
      );
    });
  });
  afterAll(async () => {
    await echo?.close();
  });

  it('a registry that echoes the credentials in its error body', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    const password = 'Echo-Secret-4711';
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/demo', registry: `oci://${echo.host}/acme`, 'plain-http': 'true', username: 'robot', password },
    });
    expect(run.exitCode).toBe(1);
    expect(run.charts[0]?.status).toBe('failed');
    // The server's text is shown (it helps), its copy of the credentials is not.
    expect(run.stdout).toContain('you sent "Basic ***" which is robot:***; raw: ***');
    expectNoLeak(run, [password, Buffer.from(`robot:${password}`).toString('base64')]);
    expect(echo.received.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'))).toEqual([]);
  });

  it.each([
    ['a dependency repository URL with user:password (Node refuses the URL and quotes it)', 'url'],
    ['a repository that echoes the credentials in a broken index (JSON.parse quotes the body)', 'echo'],
  ])('%s', async (_case, kind) => {
    const password = 'Dep-Secret-0815';
    const index = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // Not JSON at the echo: JSON.parse quotes the ten characters from the error on.
      response.end(`{"apiVersion":"v1","echo":${password} ${request.headers.authorization ?? ''}}`);
    });
    try {
      const ws = tempDir();
      const repository = kind === 'url' ? `http://robot:${password}@${index.host}/charts` : `http://${index.host}/other`;
      writeTree(ws, {
        ...chartFiles('charts/demo', 'demo'),
        'charts/demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n- name: dep\n  version: 1.0.0\n  repository: ${repository}\n`,
      });
      const run = await runAction({
        workspace: ws,
        inputs: {
          charts: 'charts/demo',
          'dry-run': 'true',
          registry: 'oci://127.0.0.1:9/acme',
          ...(kind === 'echo' ? { 'dependency-credentials': `http://${index.host}/other robot:${password}` } : {}),
        },
      });
      expect(run.exitCode).toBe(1);
      expect(run.charts[0]?.status).toBe('failed');
      expect(run.stdout).toMatch(/::error title=demo cannot be published,file=charts\/demo\/Chart.yaml,line=5::dependency "dep"/);
      // Pieces too: JSON.parse's excerpt would cut the secret to ten characters.
      expectNoLeak(run, [password.slice(0, 8), encodeURIComponent(password), Buffer.from(`robot:${password}`).toString('base64')]);
      expect(run.stdout).toMatch(
        kind === 'url' ? /http:\/\/\*\*\*@127\.0\.0\.1/ : /the index.yaml of http:\/\/127\.0\.0\.1:\d+\/other is not valid JSON/,
      );
    } finally {
      await index.close();
    }
  });
});

describe('YAML too large for the memory Node has', () => {
  // A small heap stands for a small runner: 3 MiB of a dense flow list would take Node some
  // 1.5 GB to decode, and Node would stop the run with "JavaScript heap out of memory".
  const dense = (megabytes: number) => `a: [${'1,'.repeat(megabytes * 2 ** 19)}1]\n`;

  /** A dry-run of `charts` under a 256 MiB heap that fails as a run does, not as Node does. */
  async function failedDryRun(workspace: string, charts: string): Promise<ActionRun> {
    const run = await runAction({
      workspace,
      inputs: { charts, 'dry-run': 'true', registry: 'oci://127.0.0.1:9/acme' },
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.stdout).not.toContain('heap out of memory');
    return run;
  }

  it('in values.yaml: the chart fails with its file and line, the run ends with its summary', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/ok', 'ok'), ...chartFiles('charts/dense', 'dense'), 'charts/dense/values.yaml': dense(3) });
    const run = await failedDryRun(ws, 'charts/ok\ncharts/dense');
    expect(run.stdout).toMatch(
      /::error title=charts\/dense cannot be published,file=charts\/dense\/values.yaml,line=1::cannot load values.yaml: too large to decode here: Node would need more than \d+ MiB for it, and has \d+ MiB free on this runner. A runner with more memory, or NODE_OPTIONS=--max-old-space-size=<MiB> in the step's env, lets it through/,
    );
    expect(run.charts.find((c) => c.path === 'charts/dense')?.status).toBe('failed');
    expect(run.stdout).toContain('A real run would push nothing: 1 of 2 selected chart(s) failed');
    expect(run.summary).toContain('charts/dense');
  });

  it("in a dependency's chart repository index: the chart fails naming the repository", async () => {
    const index = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/yaml' });
      response.end(`apiVersion: v1\nentries:\n  dep:${dense(4).slice(2)}`);
    });
    try {
      const ws = tempDir();
      writeTree(ws, {
        ...chartFiles('charts/demo', 'demo'),
        'charts/demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n- name: dep\n  version: 1.0.0\n  repository: http://${index.host}/charts\n`,
      });
      const run = await failedDryRun(ws, 'charts/demo');
      expect(run.stdout).toContain(`the index.yaml of http://${index.host}/charts cannot be read (line 3): too large to decode here`);
      expect(run.charts[0]?.status).toBe('failed');
    } finally {
      await index.close();
    }
  });
});

describe('a chart location that is a file', () => {
  it('is a clear error naming it', async () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'charts'));
    writeFileSync(join(ws, 'charts/demo'), 'not a folder');
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/demo', 'dry-run': 'true', registry: 'oci://127.0.0.1:9/acme' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::Input "charts": "charts/demo" is a file; give the chart\'s folder (the one that holds Chart.yaml)',
    );
    expect(run.stdout).not.toMatch(/unexpected error/i);
  });
});

describe('unreadable files and folders', () => {
  // Root reads everything: as root, the run is made as an unprivileged user.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

  it.each([
    [
      'file',
      'charts/demo/templates/secret.yaml',
      /cannot read \S*charts\/demo\/templates\/secret\.yaml: permission denied: make it readable/,
    ],
    ['folder', 'charts/demo/private', /cannot list the folder charts\/demo\/private: permission denied: make it readable/],
  ])('an unreadable %s names the path; no crash, outputs written, nothing pushed', async (_kind, path, message) => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo'),
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`charts/demo/templates/t${i}.yaml`, `n: ${i}\n`])),
      'charts/demo/templates/secret.yaml': 'k: v\n',
      'charts/demo/private/x.txt': 'x',
    });
    const out = tempDir();
    execFileSync('chmod', ['-R', 'a+rwX', ws, out]);
    chmodSync(join(ws, path), 0o000);
    const namespace = freshNamespace();
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/demo', registry: `oci://${registry.host}/${namespace}`, 'plain-http': 'true', 'output-dir': out },
      // The other user cannot look into root's own tool folders on PATH.
      ...(asUser ? { asUser, env: { PATH: '/usr/local/bin:/usr/bin:/bin' } } : {}),
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).not.toMatch(/unexpected error|Unhandled|at async/i);
    expect(run.charts.map((c) => [c.path, c.status])).toEqual([['charts/demo', 'failed']]);
    await expect(skopeoFor(registry).listTags(`${registry.host}/${namespace}/demo`)).rejects.toThrow();
  });
});
