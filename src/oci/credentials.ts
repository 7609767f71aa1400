import { constants as fsConstants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { ProcessRunner } from '../shared/process-runner.js';
import { jsonSyntaxErrorPosition } from '../shared/json-syntax.js';
import { CredentialError } from './registry-error.js';

/** What a store knows for one registry host. At least one secret field is set. */
export interface Credential {
  username?: string;
  password?: string;
  /** OAuth2 refresh token: Docker's `identitytoken`, or a helper answering Username `<token>`. */
  identityToken?: string;
  /** A bearer token for the registry itself: Docker's `registrytoken`, sent as is. */
  registryToken?: string;
  /** Where the credential came from, for messages. Never contains the secret. */
  source: string;
}

/** Finds the credential for a registry host (host[:port] as used in URLs). */
export interface CredentialResolver {
  resolve(host: string): Promise<Credential | undefined>;
  /** The places `resolve` looks in for this host, for a "no credentials found" message. */
  describe(host: string): string;
}

export interface CredentialResolverOptions {
  /**
   * Username and password from the action's inputs. Unlike `helm push --username`, they are used
   * for this host only, so a dependency registry never receives the target registry's password.
   */
  explicit?: { host: string; username: string; password: string; source?: string };
  /** Token used for ghcr.io when no store has a credential (the `github-token` input). */
  githubToken?: string;
  /** Workflow actor: the username that goes with `githubToken`. */
  githubActor?: string;
  /** Environment the stores are located from (HELM_*, XDG_CONFIG_HOME, DOCKER_CONFIG, PATH). */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  processRunner: ProcessRunner;
  logger: Logger;
  /** Limit of one credential helper call. Default 60 s. */
  helperTimeoutMs?: number;
}

/** An empty resolver, for anonymous access. */
export const noCredentials: CredentialResolver = {
  resolve: () => Promise.resolve(undefined),
  describe: () => 'no credential sources configured',
};

// Docker Hub's credentials are filed under its legacy index address (helm-oci.md 3.11).
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'registry-1.docker.io', 'index.docker.io']);
const DOCKER_HUB_SERVER_ADDRESS = 'https://index.docker.io/v1/';
// docker-credential-helpers' `credentials.ErrCredentialsNotFound` text: "not found", not a failure.
const HELPER_NOT_FOUND = /credentials not found/i;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// A helper answers from a local store or a short network call; one that waits longer is stuck
// (e.g. a keychain prompt nobody can answer on a runner).
const HELPER_TIMEOUT_MS = 60_000;

/** `$HELM_REGISTRY_CONFIG`, else the registry config under Helm's config home (helm-oci.md 3.11). */
export function helmRegistryConfigPath(env: CredentialResolverOptions['env'], homeDir: string): string {
  if (env.HELM_REGISTRY_CONFIG) return env.HELM_REGISTRY_CONFIG;
  const configHome = env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || join(homeDir, '.config'), 'helm');
  return join(configHome, 'registry', 'config.json');
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (helm-oci.md 3.11). */
export function dockerConfigPath(env: CredentialResolverOptions['env'], homeDir: string): string {
  return join(env.DOCKER_CONFIG || join(homeDir, '.docker'), 'config.json');
}

/** The key Docker-format stores file a host's credentials under. */
function serverAddressFor(host: string): string {
  return DOCKER_HUB_HOSTS.has(host.toLowerCase()) ? DOCKER_HUB_SERVER_ADDRESS : host.toLowerCase();
}

/**
 * Credential sources in order (helm-oci.md 3.11, plus the GitHub token): the explicit
 * username/password for the target host, Helm's registry config, Docker's config, and for
 * ghcr.io the workflow's GitHub token. The first source with a credential wins; a source that
 * fails (bad JSON, a helper that errors) stops the lookup with an error naming it, as oras does.
 */
export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const { env, homeDir, logger } = options;
  const helmPath = () => helmRegistryConfigPath(env, homeDir);
  const dockerPath = () => dockerConfigPath(env, homeDir);
  const explicitSource = options.explicit?.source ?? 'the username/password inputs';

  function found(credential: Credential): Credential {
    for (const secret of [credential.password, credential.identityToken, credential.registryToken]) {
      if (secret) logger.mask(secret);
    }
    logger.debug(`credentials for the registry: using ${credential.source}`);
    return credential;
  }

  const explicitFor = (host: string) => {
    const explicit = options.explicit;
    return explicit && explicit.username && explicit.password && sameRegistry(explicit.host, host) ? explicit : undefined;
  };
  const githubTokenFor = (host: string) => (host.toLowerCase() === 'ghcr.io' ? options.githubToken || undefined : undefined);

  async function lookUp(host: string): Promise<Credential | undefined> {
    const explicit = explicitFor(host);
    if (explicit) return found({ username: explicit.username, password: explicit.password, source: explicitSource });
    for (const [label, path] of [
      ['Helm registry config', helmPath()],
      ['Docker config', dockerPath()],
    ] as const) {
      const credential = await fromConfigFile(`${label} ${path}`, path, host, options);
      if (credential) return found(credential);
      logger.debug(`credentials for ${host}: none in ${label} ${path}`);
    }
    const githubToken = githubTokenFor(host);
    if (githubToken) {
      const username = options.githubActor || 'x-access-token';
      return found({ username, password: githubToken, source: `the github-token input (user "${username}")` });
    }
    return undefined;
  }

  // One lookup per host for the resolver's life: every registry client of a run asks, and each
  // lookup reads the config files and may run a credential helper. A failure is kept too: the
  // same broken store would fail the same way.
  const lookups = new Map<string, Promise<Credential | undefined>>();

  return {
    describe(host) {
      const places = [];
      if (explicitFor(host)) places.push(explicitSource);
      places.push(`Helm registry config ${helmPath()}`, `Docker config ${dockerPath()}`);
      if (githubTokenFor(host)) places.push('the github-token input');
      return places.join(', ');
    },

    resolve(host) {
      const key = host.toLowerCase();
      let lookup = lookups.get(key);
      if (!lookup) {
        lookup = lookUp(host);
        lookups.set(key, lookup);
      }
      return lookup;
    },
  };
}

interface DockerConfigFile {
  auths?: Record<string, DockerAuthEntry | undefined>;
  credHelpers?: Record<string, string | undefined>;
  credsStore?: string;
}

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

async function fromConfigFile(
  store: string,
  path: string,
  host: string,
  options: CredentialResolverOptions,
): Promise<Credential | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialError(store, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  // oras tolerates an empty file (helm-oci.md 3.11): `helm registry logout` can leave one behind.
  if (!text.trim()) return undefined;
  let config: DockerConfigFile;
  try {
    config = JSON.parse(text) as DockerConfigFile;
  } catch {
    // Not JSON.parse's message, nor the error as cause: V8 quotes the text around the fault,
    // which here is a base64 `auth` or a token. The position is all the reader needs.
    const at = jsonSyntaxErrorPosition(text);
    throw new CredentialError(
      store,
      `is not valid JSON${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}; fix or remove the file`,
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new CredentialError(store, 'must contain a JSON object with "auths", "credHelpers" or "credsStore"');
  }
  const serverAddress = serverAddressFor(host);
  const helper = config.credHelpers?.[serverAddress] ?? config.credHelpers?.[host] ?? config.credsStore;
  if (helper) return fromHelper(store, helper, serverAddress, options);
  return fromAuths(store, config.auths ?? {}, host, serverAddress, options.logger);
}

function fromAuths(
  store: string,
  auths: Record<string, DockerAuthEntry | undefined>,
  host: string,
  serverAddress: string,
  logger: Logger,
): Credential | undefined {
  const wanted = host.toLowerCase();
  const key =
    [serverAddress, host].find((candidate) => auths[candidate] !== undefined) ??
    Object.keys(auths).find((candidate) => {
      const keyHost = hostPartOf(candidate);
      return keyHost === wanted || (DOCKER_HUB_HOSTS.has(wanted) && DOCKER_HUB_HOSTS.has(keyHost));
    });
  const entry = key === undefined ? undefined : auths[key];
  if (key === undefined || !entry) return undefined;
  const where = `${store} (auths["${key}"])`;
  let { username, password } = entry;
  if (entry.auth) {
    logger.mask(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new CredentialError(where, '"auth" must be the base64 of "username:password"');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const credential: Credential = { source: where };
  if (username) credential.username = username;
  if (password) credential.password = password;
  if (entry.identitytoken) credential.identityToken = entry.identitytoken;
  if (entry.registrytoken) credential.registryToken = entry.registrytoken;
  return credential.password || credential.identityToken || credential.registryToken ? credential : undefined;
}

async function fromHelper(
  store: string,
  name: string,
  serverAddress: string,
  options: CredentialResolverOptions,
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  const where = `credential helper ${program} (configured in ${store})`;
  if (!HELPER_NAME.test(name)) throw new CredentialError(where, 'the helper name may only contain letters, digits, ".", "_" and "-"');
  const executable = await findOnPath(program, options.env.PATH ?? '');
  if (!executable) throw new CredentialError(where, `${program} was not found on PATH; install it or remove it from the config`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const result = await options.processRunner.run(executable, ['get'], {
    input: serverAddress,
    env,
    timeoutMs: options.helperTimeoutMs ?? HELPER_TIMEOUT_MS,
  });
  // Not started, stopped at its time limit, or flooding its output: the runner's words name the helper.
  if (result.failure) throw new CredentialError(where, `${result.failure}; run "echo ${serverAddress} | ${program} get" to see why`);
  if (result.exitCode !== 0) {
    if (HELPER_NOT_FOUND.test(result.stdout) || HELPER_NOT_FOUND.test(result.stderr)) return undefined;
    // The helper's output is never shown: what it prints can be the credential itself.
    throw new CredentialError(
      where,
      `"${program} get" exited with code ${result.exitCode}; its output is not shown because it may contain credentials: ` +
        `run "echo ${serverAddress} | ${program} get" to see it`,
    );
  }
  const answer = helperAnswer(result.stdout);
  if (!answer) throw new CredentialError(where, `"${program} get" did not print JSON with ServerURL, Username and Secret`);
  const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  if (!secret) return undefined;
  options.logger.mask(secret);
  // docker-credential-helpers convention: the user `<token>` marks the secret as an identity token.
  if (username === '<token>') return { identityToken: secret, source: where };
  return { ...(username ? { username } : {}), password: secret, source: where };
}

/** The helper's JSON object; undefined for anything else. No error is kept: JSON.parse's quotes the output, secret included. */
function helperAnswer(stdout: string): { Username?: unknown; Secret?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function findOnPath(program: string, pathVariable: string): Promise<string | undefined> {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      if ((await stat(candidate)).isFile()) {
        await access(candidate, fsConstants.X_OK);
        return candidate;
      }
    } catch {
      // Not in this directory (or not executable): keep looking, like a shell does.
    }
  }
  return undefined;
}

/** `https://host:port/v1/` → `host:port`, lowercase; keys without scheme or path stay as they are. */
function hostPartOf(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return (withoutScheme.split('/')[0] ?? '').toLowerCase();
}

/**
 * True when two host[:port] names address one registry's credentials: case aside, and Docker
 * Hub's names (`docker.io`, `registry-1.docker.io`, `index.docker.io`) as one (helm-oci.md 3.11).
 */
export function sameRegistry(a: string, b: string): boolean {
  return serverAddressFor(a) === serverAddressFor(b);
}
