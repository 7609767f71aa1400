import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createCredentialResolver,
  dockerConfigPath,
  helmRegistryConfigPath,
  type CredentialResolverOptions,
} from '../../src/oci/credentials.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { CredentialError, RegistryError } from '../../src/oci/registry-error.js';
import { describeError } from '../../src/shared/errors.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { MemoryLogger } from '../support/memory-logger.js';

let root: string;
let home: string;
let bin: string;
let logger: MemoryLogger;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oci-credentials-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));
beforeEach(async () => {
  const dir = await mkdtemp(join(root, 'case-'));
  home = join(dir, 'home');
  bin = join(dir, 'bin');
  await mkdir(home, { recursive: true });
  await mkdir(bin);
  logger = new MemoryLogger();
});

function resolver(overrides: Partial<CredentialResolverOptions> = {}) {
  return createCredentialResolver({
    env: { PATH: `${bin}:/usr/bin:/bin` },
    homeDir: home,
    processRunner: createProcessRunner(),
    logger,
    ...overrides,
  });
}

async function writeJson(path: string, value: unknown): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * A `docker-credential-<name>` that answers `get` like docker-credential-helpers: JSON on stdout
 * for known servers, "credentials not found in native keychain" and exit 1 otherwise. It appends
 * every server address it is asked for to `<bin>/<name>.asked`.
 */
async function fakeHelper(name: string, answers: Record<string, { Username: string; Secret: string }>, exitCode = 0) {
  const cases = Object.entries(answers)
    .map(([server, a]) => `  '${server}') printf '%s' '${JSON.stringify({ ServerURL: server, ...a })}' ;;`)
    .join('\n');
  const script = `#!/bin/sh
[ "$1" = get ] || { echo "unsupported: $1" >&2; exit 2; }
read -r server
printf '%s\\n' "$server" >> '${join(bin, `${name}.asked`)}'
${exitCode ? `echo "helper exploded" >&2; exit ${exitCode}` : ''}
case "$server" in
${cases}
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return { asked: async () => (await readFile(join(bin, `${name}.asked`), 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

describe('where the config files are', () => {
  test('Helm registry config (helm-oci.md 3.11)', () => {
    expect(helmRegistryConfigPath({ HELM_REGISTRY_CONFIG: '/x/reg.json', HELM_CONFIG_HOME: '/h' }, '/home/u')).toBe('/x/reg.json');
    expect(helmRegistryConfigPath({ HELM_CONFIG_HOME: '/h', XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/h/registry/config.json');
    expect(helmRegistryConfigPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/xdg/helm/registry/config.json');
    expect(helmRegistryConfigPath({}, '/home/u')).toBe('/home/u/.config/helm/registry/config.json');
  });

  test('Docker config', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/d' }, '/home/u')).toBe('/d/config.json');
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
  });
});

describe('sources and their order', () => {
  test('inputs apply to the target host only', async () => {
    const r = resolver({ explicit: { host: 'reg.example:5000', username: 'u', password: 'p' } });
    expect(await r.resolve('reg.example:5000')).toEqual({ username: 'u', password: 'p', source: 'the username/password inputs' });
    expect(await r.resolve('other.example')).toBeUndefined();
    expect(logger.masked).toContain('p');
  });

  test('inputs win over the config files; Helm config wins over Docker config', async () => {
    await writeJson(join(home, '.config/helm/registry/config.json'), { auths: { 'reg.example': { auth: b64('helm:helm-pass') } } });
    await writeJson(join(home, '.docker/config.json'), {
      auths: { 'reg.example': { auth: b64('docker:docker-pass') }, 'only-docker.example': { auth: b64('d2:p2') } },
    });
    expect((await resolver({ explicit: { host: 'reg.example', username: 'in', password: 'put' } }).resolve('reg.example'))?.username).toBe(
      'in',
    );
    const r = resolver();
    expect(await r.resolve('reg.example')).toEqual({
      username: 'helm',
      password: 'helm-pass',
      source: `Helm registry config ${join(home, '.config/helm/registry/config.json')} (auths["reg.example"])`,
    });
    expect((await r.resolve('only-docker.example'))?.username).toBe('d2');
  });

  test('auths: exact key, then a key whose host part matches; legacy fields and tokens', async () => {
    const docker = await writeJson(join(home, 'docker-dir/config.json'), {
      auths: {
        'https://127.0.0.1:5000/v1/': { auth: b64('hostpart:pw:with:colons') },
        'legacy.example': { username: 'old', password: 'school' },
        'refresh.example': { auth: b64('someone:'), identitytoken: 'refresh-secret' },
        'access.example': { registrytoken: 'access-secret' },
        'empty.example': {},
      },
    });
    const r = resolver({ env: { DOCKER_CONFIG: join(home, 'docker-dir'), PATH: bin } });
    expect(await r.resolve('127.0.0.1:5000')).toMatchObject({ username: 'hostpart', password: 'pw:with:colons' });
    expect(await r.resolve('legacy.example')).toMatchObject({ username: 'old', password: 'school' });
    expect(await r.resolve('refresh.example')).toEqual({
      username: 'someone',
      identityToken: 'refresh-secret',
      source: `Docker config ${docker} (auths["refresh.example"])`,
    });
    expect(await r.resolve('access.example')).toMatchObject({ registryToken: 'access-secret' });
    expect(await r.resolve('empty.example')).toBeUndefined();
    expect(await r.resolve('127.0.0.1:5001')).toBeUndefined();
    for (const secret of ['pw:with:colons', 'school', 'refresh-secret', 'access-secret']) expect(logger.masked).toContain(secret);
  });

  test('Docker Hub is filed under https://index.docker.io/v1/', async () => {
    await writeJson(join(home, '.docker/config.json'), { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:hubpass') } } });
    for (const host of ['docker.io', 'registry-1.docker.io', 'index.docker.io']) {
      expect((await resolver().resolve(host))?.username).toBe('hub');
    }
  });

  test('ghcr.io falls back to the GitHub token with the actor as user, only when no store has one', async () => {
    expect(await resolver({ githubToken: 'ghs_secret', githubActor: 'octocat' }).resolve('ghcr.io')).toEqual({
      username: 'octocat',
      password: 'ghs_secret',
      source: 'the github-token input (user "octocat")',
    });
    expect((await resolver({ githubToken: 'ghs_secret' }).resolve('ghcr.io'))?.username).toBe('x-access-token');
    expect(await resolver({ githubToken: 'ghs_secret' }).resolve('reg.example')).toBeUndefined();
    expect(logger.masked).toContain('ghs_secret');
    await writeJson(join(home, '.docker/config.json'), { auths: { 'ghcr.io': { auth: b64('me:pat') } } });
    expect((await resolver({ githubToken: 'ghs_secret' }).resolve('ghcr.io'))?.password).toBe('pat');
  });

  test('describe lists where it looked', () => {
    const r = resolver({ explicit: { host: 'ghcr.io', username: 'u', password: 'p' }, githubToken: 't' });
    expect(r.describe('ghcr.io')).toBe(
      `the username/password inputs, Helm registry config ${join(home, '.config/helm/registry/config.json')}, ` +
        `Docker config ${join(home, '.docker/config.json')}, the github-token input`,
    );
  });

  test('describe lists only the sources that are configured', () => {
    const files = `Helm registry config ${join(home, '.config/helm/registry/config.json')}, Docker config ${join(home, '.docker/config.json')}`;
    expect(resolver().describe('ghcr.io')).toBe(files);
    expect(resolver({ githubToken: '' }).describe('ghcr.io')).toBe(files);
    expect(resolver({ explicit: { host: 'ghcr.io', username: 'u', password: '' } }).describe('ghcr.io')).toBe(files);
    expect(resolver({ githubToken: 't' }).describe('reg.example')).toBe(files);
  });
});

describe('credential helpers', () => {
  test('credHelpers[host] runs docker-credential-<name> get with the server address on stdin', async () => {
    const helper = await fakeHelper('test', { '127.0.0.1:5000': { Username: 'helped', Secret: 'helper-secret' } });
    const config = await writeJson(join(home, '.docker/config.json'), {
      credHelpers: { '127.0.0.1:5000': 'test' },
      auths: { '127.0.0.1:5000': { auth: b64('not:used') } },
    });
    expect(await resolver().resolve('127.0.0.1:5000')).toEqual({
      username: 'helped',
      password: 'helper-secret',
      source: `credential helper docker-credential-test (configured in Docker config ${config})`,
    });
    expect(await helper.asked()).toEqual(['127.0.0.1:5000']);
    expect(logger.masked).toContain('helper-secret');
  });

  test('credsStore serves every host; "<token>" means an identity token; not found falls through', async () => {
    await fakeHelper('store', { 'reg.example': { Username: '<token>', Secret: 'identity-secret' } });
    await writeJson(join(home, '.config/helm/registry/config.json'), { credsStore: 'store' });
    await writeJson(join(home, '.docker/config.json'), { auths: { 'other.example': { auth: b64('dock:er') } } });
    expect(await resolver().resolve('reg.example')).toMatchObject({ identityToken: 'identity-secret' });
    expect((await resolver().resolve('reg.example'))?.username).toBeUndefined();
    // The helper has nothing for other.example, so the Docker config is asked next.
    expect((await resolver().resolve('other.example'))?.username).toBe('dock');
  });

  test('each host is looked up once per resolver, however often it is asked', async () => {
    const helper = await fakeHelper('counted', { 'reg.example': { Username: 'u', Secret: 'counted-secret' } });
    await writeJson(join(home, '.docker/config.json'), { credsStore: 'counted' });
    const r = resolver();
    // Concurrent and later calls for one host share the lookup.
    const [first, second] = await Promise.all([r.resolve('reg.example'), r.resolve('REG.example')]);
    expect(first?.password).toBe('counted-secret');
    expect(second).toBe(first);
    expect(await r.resolve('reg.example')).toBe(first);
    expect(await r.resolve('other.example')).toBeUndefined();
    expect(await r.resolve('other.example')).toBeUndefined();
    expect(await helper.asked()).toEqual(['reg.example', 'other.example']);
    expect(logger.messages('debug').filter((m) => m.includes('using credential helper'))).toHaveLength(1);
  });

  test('a failing helper stops the lookup with an error naming it', async () => {
    await fakeHelper('broken', {}, 3);
    const config = await writeJson(join(home, '.docker/config.json'), { credsStore: 'broken' });
    const error = await resolver()
      .resolve('reg.example')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialError);
    expect((error as Error).message).toBe(
      `credential helper docker-credential-broken (configured in Docker config ${config}): ` +
        '"docker-credential-broken get" exited with code 3; its output is not shown because it may contain credentials: ' +
        'run "echo reg.example | docker-credential-broken get" to see it',
    );
  });

  test('a helper that is not installed is named', async () => {
    await writeJson(join(home, '.docker/config.json'), { credHelpers: { 'reg.example': 'missing' } });
    await expect(resolver().resolve('reg.example')).rejects.toThrow(/docker-credential-missing was not found on PATH/);
  });

  test('helper names cannot point elsewhere', async () => {
    await writeJson(join(home, '.docker/config.json'), { credsStore: '../../bin/sh' });
    await expect(resolver().resolve('reg.example')).rejects.toThrow(/may only contain letters/);
  });
});

describe('broken stores', () => {
  test('invalid JSON names the file and the position', async () => {
    const path = await writeJson(join(home, '.config/helm/registry/config.json'), '{"auths": {\n  "reg.example": {},\n}}\n');
    const error = await resolver()
      .resolve('reg.example')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialError);
    expect((error as CredentialError).store).toBe(`Helm registry config ${path}`);
    expect((error as Error).message).toBe(
      `Helm registry config ${path}: is not valid JSON (syntax error at line 3, column 1); fix or remove the file`,
    );
  });

  test('an auth that is not base64 of user:password names the entry', async () => {
    await writeJson(join(home, '.docker/config.json'), { auths: { 'reg.example': { auth: b64('no-colon') } } });
    await expect(resolver().resolve('reg.example')).rejects.toThrow(
      /auths\["reg.example"\]\): "auth" must be the base64 of "username:password"/,
    );
  });

  test('an empty file is tolerated (helm-oci.md 3.11)', async () => {
    await writeJson(join(home, '.config/helm/registry/config.json'), '');
    await writeJson(join(home, '.docker/config.json'), { auths: { 'reg.example': { auth: b64('a:b') } } });
    expect((await resolver().resolve('reg.example'))?.username).toBe('a');
  });
});

describe('secrets in broken stores stay out of errors and logs', () => {
  const SECRET = 'hunter2-s3cret';
  const AUTH = b64(`robot:${SECRET}`);

  /** `docker-credential-<name>` on PATH running `body` (a shell script fragment). */
  async function scriptHelper(name: string, body: string): Promise<void> {
    const path = join(bin, `docker-credential-${name}`);
    await writeFile(path, `#!/bin/sh\nread -r server\n${body}\n`);
    await chmod(path, 0o755);
  }

  /** Everything a reader could see: the messages along the cause chain, as describeError prints them, and the log. */
  async function visibleText(): Promise<string> {
    const error = await resolver()
      .resolve('reg.example')
      .then(
        () => expect.unreachable('the lookup should fail'),
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(CredentialError);
    const chain: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(e.message, String(e));
    return [...chain, describeError(error), logger.text()].join('\n');
  }

  test('a config file whose JSON breaks inside an auth value: the position only', async () => {
    const text = `{\n  "auths": {\n    "reg.example": {\n      "auth": ${AUTH}\n    }\n  }\n}\n`;
    // What V8 would have told the reader: the start of the base64 credential.
    expect(() => JSON.parse(text)).toThrow(AUTH.slice(0, 10));
    const path = await writeJson(join(home, '.docker/config.json'), text);
    const seen = await visibleText();
    expect(seen).toContain(`Docker config ${path}: is not valid JSON (syntax error at line 4, column 15); fix or remove the file`);
    for (const part of [AUTH.slice(0, 6), SECRET.slice(0, 6)]) expect(seen).not.toContain(part);
  });

  test('a helper that fails after printing the secret: its output is not shown', async () => {
    await scriptHelper(
      'leaky',
      `echo '{"ServerURL":"reg.example","Username":"robot","Secret":"${SECRET}"}'\necho "cannot unlock ${SECRET}" >&2\nexit 1`,
    );
    await writeJson(join(home, '.docker/config.json'), { credsStore: 'leaky' });
    const seen = await visibleText();
    expect(seen).toContain('"docker-credential-leaky get" exited with code 1; its output is not shown');
    expect(seen).not.toContain(SECRET.slice(0, 6));
  });

  test('a helper that prints broken JSON around the secret: no parse error quoting it', async () => {
    const output = `{"Username": "robot", "Secret": ${SECRET}}`;
    expect(() => JSON.parse(output)).toThrow(SECRET.slice(0, 6));
    await scriptHelper('garbled', `echo '${output}'`);
    await writeJson(join(home, '.docker/config.json'), { credsStore: 'garbled' });
    const seen = await visibleText();
    expect(seen).toContain('"docker-credential-garbled get" did not print JSON with ServerURL, Username and Secret');
    expect(seen).not.toContain(SECRET.slice(0, 6));
  });
});

describe('each source against a real htpasswd registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'htpasswd', users: [{ username: 'alice', password: 'alice-pass' }] });
  });
  afterAll(async () => registry?.stop());

  async function push(options: Partial<CredentialResolverOptions>, repository: string) {
    const client = new RegistryClient({ plainHttp: true, credentials: resolver(options), logger, retry: { maxRetries: 0 } });
    return pushArtifact(client.repository(registry.host, repository, { push: true }), '1.0.0', makeArtifact(repository, '1.0.0'));
  }

  test('inputs', async () => {
    expect(await push({ explicit: { host: registry.host, username: 'alice', password: 'alice-pass' } }, 'via-inputs')).toBe('pushed');
  });

  test('Docker config auths', async () => {
    await writeJson(join(home, '.docker/config.json'), { auths: { [`http://${registry.host}`]: { auth: b64('alice:alice-pass') } } });
    expect(await push({}, 'via-docker-config')).toBe('pushed');
  });

  test('a credential helper on PATH', async () => {
    const helper = await fakeHelper('test', { [registry.host]: { Username: 'alice', Secret: 'alice-pass' } });
    await writeJson(join(home, '.docker/config.json'), { credHelpers: { [registry.host]: 'test' } });
    expect(await push({}, 'via-helper')).toBe('pushed');
    // Resolved once per client, however many requests the push took.
    expect(await helper.asked()).toEqual([registry.host]);
  });

  test('Helm registry config via HELM_REGISTRY_CONFIG', async () => {
    const path = await writeJson(join(home, 'elsewhere/registry.json'), { auths: { [registry.host]: { auth: b64('alice:alice-pass') } } });
    expect(await push({ env: { HELM_REGISTRY_CONFIG: path } }, 'via-helm-config')).toBe('pushed');
  });

  test.each([
    ['inputs', { explicit: { host: '', username: 'alice', password: 'bad-pass-7f3a' } }, (): string => 'the username/password inputs'],
    ['Docker config', {}, (): string => `Docker config ${join(home, '.docker/config.json')} (auths["${registry.host}"])`],
  ])('wrong credentials from %s: the error names the source, never the password', async (_label, options, source) => {
    await writeJson(join(home, '.docker/config.json'), { auths: { [registry.host]: { auth: b64('alice:bad-pass-7f3a') } } });
    const explicit = 'explicit' in options ? { explicit: { ...options.explicit, host: registry.host } } : {};
    const error = await push(explicit, 'denied').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as RegistryError).message).toContain(`The registry rejected the credentials from ${source()}`);
    expect((error as RegistryError).message).not.toContain('bad-pass-7f3a');
    expect((error as RegistryError).message).not.toContain(b64('alice:bad-pass-7f3a'));
  });

  test('no credentials at all: the error lists where it looked', async () => {
    const error = await push({}, 'anonymous').catch((e: unknown) => e);
    expect((error as RegistryError).message).toContain(`no credentials were found for ${registry.host}`);
    expect((error as RegistryError).message).toContain(
      `Looked in: Helm registry config ${join(home, '.config/helm/registry/config.json')}`,
    );
  });
});
