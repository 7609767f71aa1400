import { describe, expect, it } from 'vitest';
import { readInputs, resolveDryRun } from '../../src/action/inputs.js';
import { describeError, InputError } from '../../src/shared/errors.js';
import { clearSecrets, redactSecrets, registerSecret } from '../../src/shared/secret-redactor.js';
import { MemoryLogger } from '../support/memory-logger.js';

const context = { workspace: '/ws', runnerTemp: '/tmp/runner', repositoryOwner: 'Acme' };

function read(values: Record<string, string>) {
  const logger = new MemoryLogger();
  return { inputs: readInputs((name) => values[name] ?? '', context, logger), logger };
}

function failure(values: Record<string, string>): InputError {
  try {
    read(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('reading the inputs', () => {
  it('applies the defaults of the contract', () => {
    const { inputs } = read({});
    expect(inputs).toMatchObject({
      registry: { registry: 'ghcr.io', namespace: 'acme/charts' },
      chartsDirs: ['charts'],
      charts: [],
      discover: 'changed',
      dryRun: 'auto',
      plainHttp: false,
      onConflict: 'fail',
      outputDir: '/tmp/runner/oci-chart-publish',
      concurrency: 4,
      summary: true,
      timeoutMinutes: 30,
    });
  });

  it('reads the run timeout in minutes, whole or decimal', () => {
    expect(read({ timeout: '1' }).inputs.timeoutMinutes).toBe(1);
    expect(read({ timeout: ' 0.5 ' }).inputs.timeoutMinutes).toBe(0.5);
    expect(read({ timeout: '360' }).inputs.timeoutMinutes).toBe(360);
  });

  it('reads the version overrides, strict-versions and exclude', () => {
    expect(read({}).inputs).toMatchObject({ overrides: {}, strictVersions: false, exclude: [] });
    expect(
      read({ version: ' v1.2.3 ', 'app-version': 'v1.2.3-distroless', 'strict-versions': 'true', exclude: 'a/*\n b ,c' }).inputs,
    ).toMatchObject({
      overrides: { version: 'v1.2.3', appVersion: 'v1.2.3-distroless' },
      strictVersions: true,
      exclude: ['a/*', 'b', 'c'],
    });
    expect(failure({ version: 'latest' }).message).toBe(
      'Input "version": "latest" is not a chart version Helm accepts: expected e.g. 1.2.3, v1.2.3 or 1.2.3-rc.1',
    );
    expect(failure({ version: '1.2.3.4' }).input).toBe('version');
    expect(failure({ version: `1.0.0-${'a'.repeat(130)}` }).message).toContain('longer than the 128 characters');
    expect(failure({ 'strict-versions': 'maybe' }).input).toBe('strict-versions');
  });

  it('splits lists on newlines and commas and resolves output-dir in the workspace', () => {
    const { inputs } = read({ 'charts-dir': 'charts,\nlibs/*\n', charts: 'a, b', 'output-dir': 'out' });
    expect(inputs.chartsDirs).toEqual(['charts', 'libs/*']);
    expect(inputs.charts).toEqual(['a', 'b']);
    expect(inputs.outputDir).toBe('/ws/out');
  });

  it('masks the password and the token as they are read, and keeps a passphrase untrimmed', () => {
    const { inputs, logger } = read({
      username: 'u',
      password: ' p4ss ',
      'github-token': 'ghs_x',
      'signing-key': 'KEY',
      'signing-passphrase': ' spaced ',
    });
    expect(logger.masked).toEqual([' p4ss ', 'ghs_x']);
    expect(inputs.signingPassphrase).toBe(' spaced ');
  });

  it.each([
    [{ concurrency: '0x10' }, 'concurrency', /"0x10" is not a whole number from 1 to 64/],
    [{ concurrency: '0' }, 'concurrency', /from 1 to 64/],
    [{ timeout: '10m' }, 'timeout', /"10m" is not a number of minutes greater than 0 and at most 360 \(e.g. 30\)/],
    [{ timeout: '0' }, 'timeout', /greater than 0/],
    [{ timeout: '361' }, 'timeout', /at most 360/],
    [{ discover: 'some' }, 'discover', /"some" is not one of "changed", "all"/],
    [{ 'dry-run': 'maybe' }, 'dry-run', /not a boolean/],
    [{ 'on-conflict': 'ignore' }, 'on-conflict', /not one of "fail", "skip", "overwrite"/],
    [{ password: 'p' }, 'username', /password is set but username is empty/],
    [{ 'signing-passphrase': 'x' }, 'signing-passphrase', /signing-key is empty/],
    [
      { annotations: 'org.opencontainers.image.version=9.9.9' },
      'annotations',
      /cannot be set; Helm always writes the chart's version there/,
    ],
    [{ annotations: 'no equals sign' }, 'annotations', /line 1 "no equals sign" is not key=value/],
    [
      { 'dependency-credentials': 'https://charts.example.com robot' },
      'dependency-credentials',
      /line 1 is not "<URL prefix> <username>:<password>"/,
    ],
  ])('%o fails naming %s', (values, input, message) => {
    const error = failure(values);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it('never repeats a dependency credential in its error', () => {
    expect(failure({ 'dependency-credentials': 'ftp://x robot:hunter2' }).message).not.toContain('hunter2');
  });

  it.each([
    ['registry', 'oci://robot:AbC/dEf123@registry.example/charts'],
    ['registry', 'robot:AbC/dEf123@registry.example/charts'],
    ['migrate-from', 'https://robot:AbC/dEf123@charts.example'],
  ])('masks the credentials typed into %s %s before any error can quote them', (input, value) => {
    const logger = new MemoryLogger();
    let error: unknown;
    try {
      readInputs((name) => (name === input ? value : ''), context, logger);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(logger.masked).toContain('robot:AbC/dEf123');
    expect(logger.masked).toContain('AbC/dEf123');
    // What the action's logger does with a masked value (core-logger.ts).
    for (const secret of logger.masked) registerSecret(secret);
    expect(redactSecrets(describeError(error))).not.toContain('AbC');
    clearSecrets();
  });

  it.each([
    [`oci://127.0.0.1:9/a@sha256:${'0'.repeat(64)}`, []],
    [`127.0.0.1:9/a@sha256:${'0'.repeat(64)}`, []],
    [`oci://robot:AbC/dEf123@registry.example/a@sha256:${'0'.repeat(64)}`, ['robot:AbC/dEf123', 'AbC/dEf123']],
  ])('a digest after an @ is no userinfo: %s masks %o', (registry, masked) => {
    const logger = new MemoryLogger();
    try {
      readInputs((name) => (name === 'registry' ? registry : ''), context, logger);
    } catch {
      // Whether the registry is accepted is not the point here.
    }
    expect(logger.masked).toEqual(masked);
  });

  it('leaves a path with an @ in it alone', () => {
    const logger = new MemoryLogger();
    readInputs((name) => (name === 'migrate-from' ? 'https://charts.example/@team/stable' : ''), context, logger);
    expect(logger.masked).toEqual([]);
  });

  it('dry-run auto is true for events that propose a change', () => {
    expect(resolveDryRun('auto', 'pull_request')).toBe(true);
    expect(resolveDryRun('auto', 'merge_group')).toBe(true);
    expect(resolveDryRun('auto', 'push')).toBe(false);
    expect(resolveDryRun(false, 'pull_request')).toBe(false);
  });
});
