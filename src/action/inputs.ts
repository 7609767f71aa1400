import * as core from './workflow-commands.js';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { defaultRegistry, parseRegistryNamespace, type RegistryNamespace } from '../publish/target.js';
import type { ChartCheckOptions } from '../publish/chart-checks.js';
import { versionOverrides, type VersionOverrides } from '../chart/overrides.js';
import { readMigrationInputs, type MigrationInputs } from './migration-inputs.js';

/**
 * The action's inputs, read once and validated (each error names the input and the expected
 * form), returned as one settings object. Secrets are masked the moment they are read.
 */

import type { OnConflict, OnInvalid } from '../publish/run.js';
import { readSigstoreInputs } from './sigstore-inputs.js';
import type { SigstoreSettings } from '../sigstore/settings.js';
import { bool, list } from './input-values.js';
export type DiscoverMode = 'changed' | 'all';

export interface DependencyCredential {
  /** URL prefix the credential applies to, e.g. https://charts.example.com/private */
  prefix: string;
  username: string;
  password: string;
}

export interface ActionInputs {
  /** Parsed `registry`, or the default namespace. */
  registry: RegistryNamespace;
  /** The registry as given (or defaulted), for messages. */
  registryText: string;
  chartsDirs: string[];
  /** Explicit chart directories; discovery is skipped when non-empty. */
  charts: string[];
  discover: DiscoverMode;
  base: string | undefined;
  /** `auto` is resolved against the event by resolveDryRun. */
  dryRun: 'auto' | boolean;
  username: string | undefined;
  password: string | undefined;
  githubToken: string | undefined;
  plainHttp: boolean;
  onConflict: OnConflict;
  /** `fail`: nothing is pushed unless every selected chart passes; `skip`: the others are published. */
  onInvalid: OnInvalid;
  signingKey: string | undefined;
  signingPassphrase: string | undefined;
  signingKeyId: string | undefined;
  dependencyCredentials: DependencyCredential[];
  /** Absolute directory the packages are written to. */
  outputDir: string;
  annotations: Map<string, string>;
  concurrency: number;
  summary: boolean;
  /** check-schema, schema-remote-refs, artifacthub-metadata. */
  checks: ChartCheckOptions;
  /** The run's time limit, in minutes (the `timeout` input). */
  timeoutMinutes: number;
  /** The `version` and `app-version` inputs, as `helm package --version/--app-version`. */
  overrides: VersionOverrides;
  /** A version that is not strict SemVer 2 is an error, not a warning. */
  strictVersions: boolean;
  /** Globs of chart folders removed from the selection, whatever selected them. */
  exclude: string[];
  /** Sigstore signing and attestation (cosign-keyless, cosign-key, attest, sigstore-*-url). */
  sigstore: SigstoreSettings;
  /** Existing packages to push as they are (`migrate-from` or `packages`); discovery is skipped. */
  migration: MigrationInputs | undefined;
}

/** Where input values come from: the INPUT_ variables in the action, a map in tests. Untrimmed. */
export type InputReader = (name: string) => string;

export interface InputContext {
  workspace: string;
  runnerTemp: string;
  repositoryOwner: string | undefined;
}

/** An OCI digest (image-spec descriptor.md: `algorithm:encoded`) right after an `@`. */
const DIGEST_AFTER = /[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}(?:$|[/?#])/y;

/**
 * Masks the `user:password@` (or `token@`) of a location given as an input, however malformed
 * (no scheme, a `/` in the password): error messages quote the input, and the URL rule of the
 * redactor only knows well-formed userinfo. `host/path/@scope` is a path, not credentials.
 */
function maskUserinfo(text: string, logger: Logger): void {
  // An `@` before a digest (`repo@sha256:…`) ends a reference, not userinfo: the userinfo `@` is
  // the last one that is not.
  let at = text.lastIndexOf('@');
  const digestAt = (index: number) => {
    DIGEST_AFTER.lastIndex = index + 1;
    return DIGEST_AFTER.test(text);
  };
  while (at >= 0 && digestAt(at)) at = at === 0 ? -1 : text.lastIndexOf('@', at - 1);
  if (at < 0) return;
  const userinfo = text.slice(0, at).replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  if (userinfo.includes('/') && !userinfo.includes(':')) return;
  const secrets = new Set([userinfo, userinfo.slice(userinfo.indexOf(':') + 1)]);
  for (const secret of [...secrets]) {
    try {
      secrets.add(decodeURIComponent(secret));
    } catch {
      // Not percent-encoding: masked as typed.
    }
  }
  for (const secret of secrets) logger.mask(secret);
}

export const coreInputReader: InputReader = (name) => core.getInput(name, { trimWhitespace: false });

export function readInputs(read: InputReader, context: InputContext, logger: Logger): ActionInputs {
  const get = (name: string) => read(name).trim();
  // Secrets are kept as given: a passphrase may begin or end with a space.
  const secret = (name: string) => {
    const value = read(name);
    if (value.trim() === '') return undefined;
    logger.mask(value);
    return value;
  };

  // A location typed with credentials in it is refused below, but the refusal may quote it.
  for (const name of ['registry', 'migrate-from']) maskUserinfo(get(name), logger);
  const registryText = get('registry') || defaultRegistry(context.repositoryOwner);
  if (!registryText) {
    throw new InputError(
      'registry',
      'no registry given and the repository owner is unknown: set registry, e.g. oci://ghcr.io/my-org/charts',
    );
  }
  const username = get('username') || undefined;
  const password = secret('password');
  if (password && !username) throw new InputError('username', 'password is set but username is empty: give both, or neither');
  if (username && !password) throw new InputError('password', 'username is set but password is empty: give both, or neither');

  // The key and passphrase are masked by loadSigningKey, line by line, keeping the armor's
  // BEGIN/END lines readable for its messages; it runs before anything else can log.
  const unmasked = (name: string) => (read(name).trim() === '' ? undefined : read(name));
  const signingKey = unmasked('signing-key');
  const signingPassphrase = unmasked('signing-passphrase');
  const signingKeyId = get('signing-key-id') || undefined;
  if (!signingKey && (signingPassphrase || signingKeyId)) {
    throw new InputError(
      signingPassphrase ? 'signing-passphrase' : 'signing-key-id',
      'is set but signing-key is empty: give the ASCII-armored secret key in signing-key',
    );
  }

  const outputDirText = get('output-dir');
  const outputDir = outputDirText
    ? isAbsolute(outputDirText)
      ? outputDirText
      : resolve(context.workspace, outputDirText)
    : join(context.runnerTemp, 'oci-chart-publish');

  return {
    registry: parseRegistryNamespace(registryText),
    registryText,
    chartsDirs: list(get('charts-dir') || 'charts'),
    charts: list(get('charts')),
    discover: oneOf('discover', get('discover') || 'changed', ['changed', 'all'] as const),
    base: get('base') || undefined,
    dryRun: dryRunInput(get('dry-run') || 'auto'),
    username,
    password,
    githubToken: secret('github-token'),
    plainHttp: bool('plain-http', get('plain-http') || 'false'),
    onConflict: oneOf('on-conflict', get('on-conflict') || 'fail', ['fail', 'skip', 'overwrite'] as const),
    onInvalid: oneOf('on-invalid', get('on-invalid') || 'fail', ['fail', 'skip'] as const),
    signingKey,
    signingPassphrase,
    signingKeyId,
    dependencyCredentials: dependencyCredentials(read('dependency-credentials'), logger),
    outputDir,
    annotations: annotations(read('annotations')),
    concurrency: concurrency(get('concurrency') || '4'),
    summary: bool('summary', get('summary') || 'true'),
    checks: {
      schema: bool('check-schema', get('check-schema') || 'true'),
      schemaRemoteRefs: oneOf('schema-remote-refs', get('schema-remote-refs') || 'error', ['error', 'allow'] as const),
      artifactHubMetadata: artifactHubMetadata(get('artifacthub-metadata')),
    },
    timeoutMinutes: timeoutMinutes(get('timeout') || '30'),
    overrides: versionOverrides(get('version'), get('app-version')),
    strictVersions: bool('strict-versions', get('strict-versions') || 'false'),
    exclude: list(get('exclude')),
    sigstore: readSigstoreInputs(read, logger),
    migration: readMigrationInputs(get),
  };
}

/** `dry-run: auto` is true for events that propose a change rather than land it. */
export function resolveDryRun(dryRun: 'auto' | boolean, eventName: string): boolean {
  if (dryRun !== 'auto') return dryRun;
  return ['pull_request', 'pull_request_target', 'merge_group'].includes(eventName);
}

function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  const found = allowed.find((a) => a === lower);
  if (!found) throw new InputError(input, `"${value}" is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return found;
}

function dryRunInput(value: string): 'auto' | boolean {
  return value.toLowerCase() === 'auto' ? 'auto' : bool('dry-run', value);
}

function concurrency(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 64)) {
    throw new InputError('concurrency', `"${value}" is not a whole number from 1 to 64`);
  }
  return n;
}

/** Minutes, whole or decimal, up to GitHub's 6-hour job limit (a longer run is cancelled by the runner anyway). */
function timeoutMinutes(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && n <= 360)) {
    throw new InputError('timeout', `"${value}" is not a number of minutes greater than 0 and at most 360 (e.g. 30)`);
  }
  return n;
}

const ANNOTATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** Helm never lets these be overridden (../shared/spec/helm-oci.md §3.4). */
const PROTECTED_ANNOTATIONS = new Set(['org.opencontainers.image.title', 'org.opencontainers.image.version']);

function annotations(value: string): Map<string, string> {
  const out = new Map<string, string>();
  value.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ANNOTATION_KEY.test(key)) {
      throw new InputError('annotations', `line ${index + 1} "${line}" is not key=value with a key like org.example.team`);
    }
    if (PROTECTED_ANNOTATIONS.has(key)) {
      throw new InputError(
        'annotations',
        `line ${index + 1}: ${key} cannot be set; Helm always writes the chart's ${key.endsWith('title') ? 'name' : 'version'} there`,
      );
    }
    out.set(key, line.slice(eq + 1).trim());
  });
  return out;
}

function dependencyCredentials(value: string, logger: Logger): DependencyCredential[] {
  const out: DependencyCredential[] = [];
  value.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(\S+)\s+([^:\s]*):(.+)$/.exec(line);
    const prefix = match?.[1] ?? '';
    if (!match || !/^(https?|oci):\/\/./.test(prefix)) {
      throw new InputError(
        'dependency-credentials',
        `line ${index + 1} is not "<URL prefix> <username>:<password>" (e.g. "https://charts.example.com robot:token")`,
      );
    }
    const password = (match[3] ?? '').trim();
    logger.mask(password);
    out.push({ prefix, username: match[2] ?? '', password });
  });
  return out;
}

/** A path relative to each chart, or "false" to never look for Artifact Hub metadata. */
function artifactHubMetadata(value: string): string | false {
  if (value === '') return 'artifacthub-repo.yml';
  if (['false', 'no', 'off', 'none'].includes(value.toLowerCase())) return false;
  if (isAbsolute(value)) {
    throw new InputError(
      'artifacthub-metadata',
      `"${value}" is absolute: give a path relative to each chart directory, e.g. artifacthub-repo.yml`,
    );
  }
  return value;
}
