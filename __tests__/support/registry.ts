import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, accessSync, closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { startTokenServer, type TokenServer, type TokenServerOptions, type TokenServerUser } from './token-server.js';

/**
 * Starts the real CNCF Distribution registry (Debian `docker-registry`) on 127.0.0.1 with a
 * fresh storage folder, configured as registry-testbed.md §1 describes, in one of five modes.
 */

export type RegistryMode = 'plain' | 'htpasswd' | 'tls' | 'tls-htpasswd' | 'token';

export interface StartRegistryOptions {
  mode: RegistryMode;
  /** Users of htpasswd and token modes; default one user testuser/testpass with pull and push. */
  users?: readonly TokenServerUser[];
  /** Token mode: options passed to the token server (lifetime, anonymous pull, x5c, …). */
  token?: Pick<TokenServerOptions, 'ttlSeconds' | 'anonymousPull' | 'x5c' | 'responseFields'> & { keyType?: 'ec' | 'rsa' };
}

export interface TestRegistry {
  mode: RegistryMode;
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`: the registry part of a reference. */
  host: string;
  /** True when the registry speaks plain http (plain, htpasswd and token modes). */
  plainHttp: boolean;
  /** The first user (auth modes only). */
  username?: string | undefined;
  password?: string | undefined;
  users: readonly TokenServerUser[];
  /** TLS modes: the self-signed server certificate (PEM) to trust, e.g. via NODE_EXTRA_CA_CERTS. */
  caFile?: string | undefined;
  /** TLS modes: a directory with `ca.crt`, for skopeo `--cert-dir`. */
  certDir?: string | undefined;
  /** Storage root: blobs live under `docker/registry/v2/blobs/sha256/<2>/<hex>/data`. */
  dataDir: string;
  /** Scratch folder of this registry (config, log, certificates); removed by stop(). */
  dir: string;
  logFile: string;
  tokenServer?: TokenServer | undefined;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with: apt-get update && apt-get install -y docker-registry skopeo apache2-utils';
const TOOL_PACKAGES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
};
const DEFAULT_USERS: readonly TokenServerUser[] = [{ username: 'testuser', password: 'testpass' }];
const TOKEN_ISSUER = 'testbed-issuer';
const TOKEN_SERVICE = 'testbed-registry';
const run = promisify(execFile);

/** Absolute path of a required tool; fails with the command that installs it, never skips. */
export function requireTool(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      }
    } catch {
      // keep looking
    }
  }
  throw new Error(
    `${name} is required by the registry tests but is not on PATH (Debian package ${TOOL_PACKAGES[name] ?? name}); ${INSTALL_HINT}`,
  );
}

// Registries still running in this process, stopped even when a test forgets or crashes.
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const entry of running) {
      try {
        entry.child.kill('SIGTERM');
      } catch {
        // already gone
      }
      rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}

// The registry runs under a small shell watchdog that stops it when this Node process is gone,
// even after a SIGKILL that no exit hook survives, and then removes its scratch folder.
const WATCHDOG = `
parent=$1; pidfile=$2; scratch=$3; shift 3
"$@" &
child=$!
echo "$child" > "$pidfile"
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5 & wait $!
done
kill -TERM "$child" 2>/dev/null
wait "$child"
kill -0 "$parent" 2>/dev/null || rm -rf "$scratch"
`;

export async function startRegistry(options: StartRegistryOptions): Promise<TestRegistry> {
  const registryBin = requireTool('docker-registry');
  const tls = options.mode === 'tls' || options.mode === 'tls-htpasswd';
  const htpasswd = options.mode === 'htpasswd' || options.mode === 'tls-htpasswd';
  const token = options.mode === 'token';
  if (tls || token) requireTool('openssl');
  if (htpasswd) requireTool('htpasswd');
  const users = options.users ?? DEFAULT_USERS;

  const dir = await mkdtemp(join(tmpdir(), 'oci-registry-'));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  let tokenServer: TokenServer | undefined;
  try {
    const auth: string[] = [];
    let tlsBlock: string[] = [];
    let caFile: string | undefined;
    let certDir: string | undefined;
    if (tls) {
      ({ caFile, certDir } = await makeServerCertificate(dir));
      tlsBlock = ['  tls:', `    certificate: ${join(dir, 'tls', 'server.crt')}`, `    key: ${join(dir, 'tls', 'server.key')}`];
    }
    if (htpasswd) {
      const lines = [];
      for (const user of users) lines.push((await run('htpasswd', ['-Bbn', user.username, user.password])).stdout.trim());
      await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
      auth.push('auth:', '  htpasswd:', '    realm: testbed', `    path: ${join(dir, 'htpasswd')}`);
    }
    if (token) {
      const { keyFile, certFile } = await makeSigningKey(dir, options.token?.keyType ?? 'ec');
      tokenServer = await startTokenServer({
        keyFile,
        certFile,
        issuer: TOKEN_ISSUER,
        service: TOKEN_SERVICE,
        users,
        ...options.token,
      });
      auth.push(
        'auth:',
        '  token:',
        `    realm: ${tokenServer.realm}`,
        `    service: ${TOKEN_SERVICE}`,
        `    issuer: ${TOKEN_ISSUER}`,
        `    rootcertbundle: ${certFile}`,
      );
    }

    const logFile = join(dir, 'registry.log');
    for (let tries = 1; ; tries++) {
      const port = await freePort();
      const configFile = join(dir, 'config.yml');
      await writeFile(configFile, configYaml(dataDir, port, tlsBlock, auth));
      const child = launch(registryBin, dir, configFile, logFile);
      const entry = { child, dir };
      running.add(entry);
      installExitHook();
      const scheme = tls ? 'https' : 'http';
      const ca = caFile ? readFileSync(caFile) : undefined;
      try {
        await waitUntilReady(`${scheme}://127.0.0.1:${port}/v2/`, child, logFile, ca);
      } catch (error) {
        running.delete(entry);
        await stopChild(child, join(dir, 'registry.pid'));
        const log = await readFile(logFile, 'utf8').catch(() => '');
        if (tries < 3 && /address already in use/.test(log)) continue;
        throw error;
      }
      const first = users[0];
      const registry: TestRegistry = {
        mode: options.mode,
        url: `${scheme}://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        plainHttp: !tls,
        ...(htpasswd || token ? { username: first?.username, password: first?.password } : {}),
        users,
        ...(caFile ? { caFile } : {}),
        ...(certDir ? { certDir } : {}),
        dataDir,
        dir,
        logFile,
        ...(tokenServer ? { tokenServer } : {}),
        async stop() {
          running.delete(entry);
          await stopChild(child, join(dir, 'registry.pid'));
          await tokenServer?.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return registry;
    }
  } catch (error) {
    await tokenServer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function configYaml(dataDir: string, port: number, tlsBlock: string[], auth: string[]): string {
  // registry-testbed.md §1 "Config common to all modes".
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    '  cache:',
    '    blobdescriptor: inmemory',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: testbed-only-secret',
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
    ...tlsBlock,
    ...auth,
    '',
  ].join('\n');
}

function launch(registryBin: string, dir: string, configFile: string, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const pidFile = join(dir, 'registry.pid');
  try {
    return spawn('sh', ['-c', WATCHDOG, 'registry-watchdog', String(process.pid), pidFile, dir, registryBin, 'serve', configFile], {
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
}

async function stopChild(child: ChildProcess, pidFile: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    // The registry ignored SIGTERM for 5 s: kill it and its watchdog for good.
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // gone already
    }
    child.kill('SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilReady(url: string, child: ChildProcess, logFile: string, ca: Buffer | undefined): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const status = await probe(url, ca);
      if (status === 200 || status === 401) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`docker-registry did not become ready at ${url} (${last || `exit code ${child.exitCode}`}); log:\n${log.slice(-2000)}`);
}

function probe(url: string, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest(url, { ca }) : httpRequest(url);
    request.setTimeout(1000, () => request.destroy(new Error('probe timed out')));
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function makeServerCertificate(dir: string): Promise<{ caFile: string; certDir: string }> {
  // registry-testbed.md §1 (c): a self-signed EC certificate that is its own CA.
  await mkdir(join(dir, 'tls'));
  await mkdir(join(dir, 'certs.d'));
  const certFile = join(dir, 'tls', 'server.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'tls', 'server.key'),
    '-out',
    certFile,
    '-days',
    '30',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  ]);
  await writeFile(join(dir, 'certs.d', 'ca.crt'), await readFile(certFile));
  return { caFile: certFile, certDir: join(dir, 'certs.d') };
}

async function makeSigningKey(dir: string, keyType: 'ec' | 'rsa'): Promise<{ keyFile: string; certFile: string }> {
  // registry-testbed.md §1 (d): the token signer's certificate is the registry's rootcertbundle.
  await mkdir(join(dir, 'token'));
  const keyFile = join(dir, 'token', 'signing.key');
  const certFile = join(dir, 'token', 'signing.crt');
  const keyArgs = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  await run('openssl', [
    'req',
    '-x509',
    ...keyArgs,
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '30',
    '-subj',
    '/CN=testbed-token-signer',
  ]);
  return { keyFile, certFile };
}
