import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/action-runner.js';
import { corpusPath } from '../support/corpus.js';
import { GitRepo, GIT_TEST_ENV } from '../support/git-repo.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { readTar } from '../support/tar-entries.js';

/**
 * Conventions of real chart repositories, through the bundle, against the real registry
 * (skopeo checks what it holds): v-prefixed versions (cert-manager), versions set at release time
 * (`helm package --version/--app-version`), an organisation named like its chart (traefik), test
 * charts in hidden folders, and charts excluded by rule.
 */

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'htpasswd' });
});
afterAll(async () => {
  await registry?.stop();
});

let namespaces = 0;
function freshNamespace(): string {
  return `real${process.pid}x${++namespaces}`;
}

function registryInputs(namespace: string) {
  return {
    registry: `oci://${registry.host}/${namespace}`,
    'plain-http': 'true',
    username: registry.username!,
    password: registry.password!,
  };
}

const chart = (dir: string, name: string, version: string, extra = '') => ({
  [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${version}\n${extra}`,
  [`${dir}/templates/configmap.yaml`]: `kind: ConfigMap\ndata:\n  chart: ${name}\n`,
});

function chartYamlOf(pkg: string): string {
  const entry = readTar(gunzipSync(readFileSync(pkg))).find((e) => e.name.endsWith('/Chart.yaml'));
  return entry!.data.toString('utf8');
}

/** The fields of the corpus payloads a test adapts to its repository. */
interface EventPayload {
  number?: number;
  pull_request: { base: { sha: string; ref: string }; head: { sha: string; ref: string } };
  repository: { default_branch: string };
}

function payload(name: string): EventPayload {
  return JSON.parse(readFileSync(corpusPath('events', name), 'utf8')) as EventPayload;
}

/** A config blob or manifest, as far as the tests read it. */
interface HelmJson {
  version?: string;
  appVersion?: string;
  annotations?: Record<string, string>;
}

function json(bytes: Buffer): HelmJson {
  return JSON.parse(bytes.toString()) as HelmJson;
}

/** A release of one chart charts/<name> with `version: <version>` as written, under strict-versions: true. */
async function publishStrictly(name: string, version: string) {
  const namespace = freshNamespace();
  const repo = GitRepo.create();
  repo.commit('charts', chart(`charts/${name}`, name, version));
  const run = await runAction({
    workspace: repo.dir,
    inputs: { discover: 'all', 'dry-run': 'false', 'strict-versions': 'true', ...registryInputs(namespace) },
    env: GIT_TEST_ENV,
  });
  return { namespace, run };
}

describe('versions as Helm accepts them', () => {
  it('publishes version v1.19.1 as tag v1.19.1, with a warning on its line that says what follows', async () => {
    const namespace = freshNamespace();
    const repo = GitRepo.create();
    repo.commit('cert-manager', chart('deploy/charts/cert-manager', 'cert-manager', 'v1.19.1'));
    const run = await runAction({
      workspace: repo.dir,
      inputs: { 'charts-dir': 'deploy/charts', discover: 'all', 'dry-run': 'false', ...registryInputs(namespace) },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.version, c.tag, c.status])).toEqual([['cert-manager', 'v1.19.1', 'v1.19.1', 'published']]);
    expect(run.stdout).toContain(
      '::warning title=Version not strict SemVer 2,file=deploy/charts/cert-manager/Chart.yaml,line=3::version "v1.19.1" is not strict SemVer 2',
    );
    expect(run.stdout).toContain('an exact `--version v1.19.1` finds it; but version ranges');
    const skopeo = skopeoFor(registry);
    expect(await skopeo.listTags(`${namespace}/cert-manager`)).toEqual(['v1.19.1']);
    expect(json(await skopeo.inspectConfigRaw(`${namespace}/cert-manager:v1.19.1`)).version).toBe('v1.19.1');
  });

  it('refuses a non-strict version under strict-versions: true, and pushes nothing', async () => {
    const { namespace, run } = await publishStrictly('short', '"1.2"');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=short cannot be published,file=charts\/short\/Chart.yaml,line=3::version "1.2" is not strict SemVer 2.*\(strict-versions is true\)/,
    );
    expect(run.charts.map((c) => c.status)).toEqual(['failed']);
    await expect(skopeoFor(registry).listTags(`${namespace}/short`)).rejects.toThrow();
  });
});

describe('Chart.yaml that helm package accepts and helm lint refuses', () => {
  it('publishes a version and appVersion written as YAML numbers and a type in a v1 chart as Helm does, warning on each line', async () => {
    const namespace = freshNamespace();
    const repo = GitRepo.create();
    repo.commit('charts', {
      ...chart('charts/legacy', 'legacy', '1', 'appVersion: 1.0\n'),
      'charts/typed/Chart.yaml': 'apiVersion: v1\nname: typed\nversion: 2.0.0\ntype: application\n',
      'charts/typed/templates/configmap.yaml': 'kind: ConfigMap\n',
    });
    const run = await runAction({
      workspace: repo.dir,
      inputs: { discover: 'all', 'dry-run': 'false', ...registryInputs(namespace) },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.version, c.status])).toEqual([
      ['legacy', '1', 'published'],
      ['typed', '2.0.0', 'published'],
    ]);
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('::warning title=Helm lint error in Chart.yaml'));
    expect(warnings).toEqual([
      expect.stringMatching(
        /file=charts\/legacy\/Chart.yaml,line=3::version is written as a YAML number, which Helm reads and publishes as "1"/,
      ),
      expect.stringMatching(
        /file=charts\/legacy\/Chart.yaml,line=4::appVersion is written as a YAML number, which Helm reads and publishes as "1"/,
      ),
      expect.stringMatching(/file=charts\/typed\/Chart.yaml,line=4::chart type is not valid in apiVersion 'v1'/),
    ]);
    const skopeo = skopeoFor(registry);
    expect(json(await skopeo.inspectConfigRaw(`${namespace}/legacy:1`))).toMatchObject({ version: '1', appVersion: '1' });
    expect(json(await skopeo.inspectConfigRaw(`${namespace}/typed:2.0.0`))).toMatchObject({ apiVersion: 'v1', type: 'application' });
  });

  it('refuses a version written as a YAML number under strict-versions: true', async () => {
    const { namespace, run } = await publishStrictly('float', '1.10');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=float cannot be published,file=charts\/float\/Chart.yaml,line=3::version is written as a YAML number.*\(strict-versions is true\)/,
    );
    await expect(skopeoFor(registry).listTags(`${namespace}/float`)).rejects.toThrow();
  });
});

describe('version and app-version inputs (helm package --version/--app-version)', () => {
  it('publishes a v0.0.0 placeholder chart as v1.2.3, both fields in the archive and the config blob, the workspace untouched', async () => {
    const namespace = freshNamespace();
    const repo = GitRepo.create();
    const written = chart('deploy/charts/cert-manager', 'cert-manager', 'v0.0.0', 'appVersion: v0.0.0\n');
    repo.commit('placeholder', written);
    const run = await runAction({
      workspace: repo.dir,
      inputs: {
        'charts-dir': 'deploy/charts',
        discover: 'all',
        'dry-run': 'false',
        version: 'v1.2.3',
        'app-version': 'v1.2.3',
        ...registryInputs(namespace),
      },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.version, c.reference, c.status])).toEqual([
      ['v1.2.3', `${registry.host}/${namespace}/cert-manager:v1.2.3`, 'published'],
    ]);
    const archived = chartYamlOf(run.charts[0]!.package!);
    expect(archived).toContain('version: v1.2.3');
    expect(archived).toContain('appVersion: v1.2.3');
    expect(run.charts[0]!.package).toMatch(/cert-manager-v1\.2\.3\.tgz$/);

    const skopeo = skopeoFor(registry);
    const config = json(await skopeo.inspectConfigRaw(`${namespace}/cert-manager:v1.2.3`));
    expect([config.version, config.appVersion]).toEqual(['v1.2.3', 'v1.2.3']);
    const manifest = json(await skopeo.inspectRaw(`${namespace}/cert-manager:v1.2.3`));
    expect(manifest.annotations?.['org.opencontainers.image.version']).toBe('v1.2.3');
    expect(readFileSync(`${repo.dir}/deploy/charts/cert-manager/Chart.yaml`, 'utf8')).toBe(
      written['deploy/charts/cert-manager/Chart.yaml'],
    );
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses a version input Helm would refuse, naming the input', async () => {
    const repo = GitRepo.create();
    repo.commit('charts', chart('charts/app', 'app', '0.1.0'));
    const run = await runAction({
      workspace: repo.dir,
      inputs: { discover: 'all', 'dry-run': 'true', version: 'refs/tags/v1.2.3' },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Input "version": "refs/tags/v1.2.3" is not a chart version Helm accepts');
  });

  it('on a tag <name>-<version>, the version input must agree with the tag', async () => {
    const namespace = freshNamespace();
    const origin = GitRepo.create();
    const sha = origin.commit('charts', { ...chart('charts/app', 'app', '0.0.0'), ...chart('charts/other', 'other', '1.0.0') });
    origin.tag('app-v2.0.0');
    const tagged = GitRepo.clone(origin, { depth: 1, ref: 'app-v2.0.0' });
    const event: Record<string, unknown> = { ...payload('push.with-new-branch.payload.json') };
    Object.assign(event, { ref: 'refs/tags/app-v2.0.0', before: '0'.repeat(40), after: sha, created: true, base_ref: null });
    const release = (version: string) =>
      runAction({
        workspace: tagged.dir,
        event: { name: 'push', payload: event },
        inputs: { version, ...registryInputs(namespace) },
        env: { ...GIT_TEST_ENV, GITHUB_SHA: sha, GITHUB_REF: 'refs/tags/app-v2.0.0' },
      });

    const wrong = await release('2.0.1');
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toContain('::error::Input "version": "2.0.1" disagrees with tag app-v2.0.0, which releases app v2.0.0');
    expect(wrong.charts).toEqual([]);

    const right = await release('v2.0.0');
    expect(right.exitCode, right.stdout).toBe(0);
    expect(right.charts.map((c) => [c.name, c.tag, c.status])).toEqual([['app', 'v2.0.0', 'published']]);
  });
});

describe('a namespace that ends in the chart name', () => {
  it('registry oci://HOST/traefik publishes chart traefik at HOST/traefik/traefik', async () => {
    const repo = GitRepo.create();
    repo.commit('traefik', chart('traefik', 'traefik', '39.0.0'));
    const namespace = `traefik${process.pid}`;
    const run = await runAction({
      workspace: repo.dir,
      inputs: {
        'charts-dir': 'traefik',
        discover: 'all',
        'dry-run': 'false',
        ...registryInputs(namespace),
        registry: `oci://${registry.host}/${namespace}/traefik`,
      },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.reference)).toEqual([`${registry.host}/${namespace}/traefik/traefik:39.0.0`]);
    expect(await skopeoFor(registry).listTags(`${namespace}/traefik/traefik`)).toEqual(['39.0.0']);
  });
});

describe('hidden folders and the exclude input', () => {
  function traefikLike(): GitRepo {
    const repo = GitRepo.create();
    repo.commit('charts', {
      ...chart('traefik', 'traefik', '39.0.0'),
      ...chart('.github/fixtures/broken', 'broken-fixture', '0.1.0'),
      ...chart('.ci/lint', 'lint-fixture', '0.1.0'),
      ...chart('examples/demo', 'demo', '0.1.0'),
      ...chart('examples/internal', 'internal', '0.1.0'),
    });
    return repo;
  }

  it('charts-dir "." skips charts in hidden folders; exclude removes more, saying which rule', async () => {
    const run = await runAction({
      workspace: traefikLike().dir,
      inputs: { 'charts-dir': '.', discover: 'all', 'dry-run': 'true', exclude: 'examples/internal, nothing/*' },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.path)).toEqual(['examples/demo', 'traefik']);
    expect(run.stdout).toContain('Skipped 2 charts in hidden folders (.ci/lint, .github/fixtures/broken)');
    expect(run.stdout).toContain('examples/internal: excluded by the exclude rule "examples/internal"; not published');
  });

  it('a charts-dir entry that names the hidden folder selects its charts', async () => {
    const run = await runAction({
      workspace: traefikLike().dir,
      inputs: { 'charts-dir': '.github/fixtures', discover: 'all', 'dry-run': 'true' },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.path)).toEqual(['.github/fixtures/broken']);
  });

  it('exclude applies to the charts input too', async () => {
    const run = await runAction({
      workspace: traefikLike().dir,
      inputs: { charts: 'traefik\nexamples/demo', exclude: 'examples/**', 'dry-run': 'true' },
      env: GIT_TEST_ENV,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.path)).toEqual(['traefik']);
    expect(run.stdout).toContain('examples/demo: excluded by the exclude rule "examples/**"');
  });
});

describe('pull request: every problem of a changed chart at once', () => {
  function pullRequest(files: Record<string, string>): { checkout: GitRepo; event: EventPayload; head: string } {
    const origin = GitRepo.create();
    const base = origin.commit('charts', { ...chart('charts/alpha', 'alpha', '1.0.0'), ...chart('charts/beta', 'beta', '1.0.0') });
    origin.branch('feature');
    origin.checkout('feature');
    const head = origin.commit('work', files);
    const event = payload('pull_request.opened.payload.json');
    event.pull_request.base = { sha: base, ref: 'main' };
    event.pull_request.head = { sha: head, ref: 'feature' };
    event.repository.default_branch = 'main';
    return { checkout: GitRepo.clone(origin, { depth: 1, ref: 'feature' }), event, head };
  }

  it('does not compare Chart.yaml versions when the version input gives the published version', async () => {
    const { checkout, event, head } = pullRequest({ 'charts/beta/templates/configmap.yaml': 'kind: ConfigMap\ndata:\n  note: changed\n' });
    const run = await runAction({
      workspace: checkout.dir,
      event: { name: 'pull_request', payload: event },
      inputs: { registry: 'oci://127.0.0.1:9/none', version: '1.1.0-pr.2' },
      env: { ...GIT_TEST_ENV, GITHUB_SHA: head, GITHUB_REF: 'refs/pull/2/merge' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.version, c.status])).toEqual([['beta', '1.1.0-pr.2', 'dry-run']]);
    expect(run.stdout).toContain('Version bumps are not checked: every chart is published as 1.1.0-pr.2, the "version" input');
  });

  it('reports the missing version bump of a chart that also fails validation', async () => {
    // alpha keeps its version and gains an unknown apiVersion; beta keeps its version only.
    const { checkout, event, head } = pullRequest({
      'charts/alpha/Chart.yaml': 'apiVersion: v9\nname: alpha\nversion: 1.0.0\n',
      'charts/beta/templates/configmap.yaml': 'kind: ConfigMap\ndata:\n  note: changed\n',
    });
    const run = await runAction({
      workspace: checkout.dir,
      event: { name: 'pull_request', payload: event },
      inputs: { registry: 'oci://127.0.0.1:9/none' },
      env: { ...GIT_TEST_ENV, GITHUB_SHA: head, GITHUB_REF: 'refs/pull/2/merge' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.charts.map((c) => [c.name, c.status])).toEqual([
      ['alpha', 'failed'],
      ['beta', 'failed'],
    ]);
    const alpha = run.charts[0]!.reason!;
    expect(alpha).toContain('apiVersion "v9" is not supported');
    expect(alpha).toContain('version 1.0.0 must be greater than 1.0.0');
    expect(run.stdout).toMatch(/::error title=Version not bumped,file=charts\/alpha\/Chart.yaml,line=3::/);
    expect(run.stdout).toMatch(/::error title=Version not bumped,file=charts\/beta\/Chart.yaml,line=3::/);
  });
});
