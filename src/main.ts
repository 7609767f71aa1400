import { mkdir, readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import { limitErrorAnnotations } from './action/annotation-limit.js';
import { createCoreLogger } from './action/core-logger.js';
import { lazyGithubCompare } from './action/lazy-github-compare.js';
import { coreInputReader, readInputs, resolveDryRun, type ActionInputs } from './action/inputs.js';
import { failureMessage } from './action/failure-message.js';
import { writeSummary } from './action/outputs.js';
import { createRunEnding, describeDeadline } from './action/run-ending.js';
import { sourceMappedStack } from './action/source-mapped-stack.js';
import type { MigrationInputs } from './action/migration-inputs.js';
import { lazyDependencyBuilder } from './dependencies/lazy-dependency-builder.js';
import type { Discovery } from './discovery/discover-charts.js';
import { excludeCharts, parseExclude } from './discovery/exclude-rules.js';
import { explicitCharts } from './discovery/explicit-charts.js';
import { createCredentialResolver, type CredentialResolver } from './oci/credentials.js';
import { RegistryClient } from './oci/registry-client.js';
import type { Signer } from './provenance/signing-key.js';
import { appendArtifacts } from './publish/artifacts-file.js';
import { withRepositoryMetadataLookup } from './publish/artifacthub-metadata.js';
import { publishOrder } from './publish/publish-order.js';
import { registrySteps } from './publish/push-chart.js';
import { failedCount, type RunReport } from './publish/report.js';
import { publishCharts, type RunSteps } from './publish/run.js';
import { startDeadline, type Deadline, type RunDeadline } from './shared/deadline.js';
import { describeError, DomainError, InputError } from './shared/errors.js';
import type { Logger } from './shared/logger.js';
import { createProcessRunner, type ProcessRunner } from './shared/process-runner.js';
import type { SigstoreSigning } from './sigstore/sigstore-signing.js';
import { sigstoreWanted } from './sigstore/settings.js';

/**
 * The action: read the inputs and the event, build the collaborators, select the charts, run
 * the publish engine, write the outputs and the summary. The only place that fails the step.
 */
export async function run(): Promise<void> {
  const logger = limitErrorAnnotations(createCoreLogger());
  let summary = true;
  const ending = createRunEnding({ summary: () => summary });
  ending.guardProcess();
  let deadline: RunDeadline | undefined;
  let report: RunReport | undefined;
  try {
    const env = process.env;
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const inputs = readInputs(
      coreInputReader,
      {
        workspace,
        runnerTemp: env.RUNNER_TEMP || tmpdir(),
        repositoryOwner: env.GITHUB_REPOSITORY_OWNER || env.GITHUB_REPOSITORY?.split('/')[0],
      },
      logger,
    );
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const payload = await readPayload(env.GITHUB_EVENT_PATH);
    const dryRun = resolveDryRun(inputs.dryRun, eventName);
    summary = inputs.summary;
    const runDeadline = startDeadline(inputs.timeoutMinutes * 60_000, `input "timeout": ${inputs.timeoutMinutes} minute(s)`);
    deadline = runDeadline;
    /** Outputs, summary and the step's result, the same for a migration and a publish. */
    const finish = async (done: RunReport): Promise<void> => {
      ending.outputs(done);
      if (inputs.summary) await writeSummary(done, { plainHttp: inputs.plainHttp });
      if (runDeadline.expired) await ending.fail(describeDeadline(runDeadline, done));
      else if (failedCount(done) > 0) await ending.fail(failureMessage(done, logger.suppressed()), { summaryWritten: inputs.summary });
    };
    const runner = createProcessRunner({ deadline: runDeadline });
    logger.info(
      `oci-chart-publish ${packageJson.version}: ${dryRun ? 'dry-run (nothing is pushed)' : 'publish'} to ${inputs.registryText}`,
    );

    // Bound as every phase is: Node's recursive mkdir never returns for some /proc paths.
    await runDeadline.within(
      runDeadline.track(`creating output-dir ${inputs.outputDir}`, () => prepareOutputDir(inputs.outputDir)),
      DEADLINE_GRACE_MS,
    );

    // The signing key is loaded (and masked) before any chart is looked at.
    // The signing code (openpgp) is a chunk of its own, loaded only by runs that sign.
    const signer = inputs.signingKey
      ? await (
          await import('./provenance/signing-key.js')
        ).loadSigningKey({
          key: inputs.signingKey,
          ...(inputs.signingPassphrase ? { passphrase: inputs.signingPassphrase } : {}),
          ...(inputs.signingKeyId ? { keyId: inputs.signingKeyId } : {}),
          logger,
        })
      : undefined;
    const signing = signer ? `${signer.algorithm} key ${signer.fingerprint} (${signer.userIds.join(', ')})` : undefined;
    if (signing) logger.info(`Signing with ${signing}`);
    // Sigstore code is loaded only when asked for; keys and the OIDC identity are checked before any push.
    const sigstore = sigstoreWanted(inputs.sigstore) ? await loadSigstore(inputs, { env, logger, dryRun, payload }) : undefined;

    if (inputs.migration) {
      report = await runDeadline.within(
        migrate(inputs, inputs.migration, { workspace, runner, logger, dryRun, env, deadline: runDeadline }),
        DEADLINE_GRACE_MS,
      );
      await finish(report);
      return;
    }

    const discovery = await runDeadline.within(
      logger.group('Selecting charts', () =>
        selectCharts(inputs, { workspace, eventName, payload, runner, logger, env, deadline: runDeadline }),
      ),
      DEADLINE_GRACE_MS,
    );
    const { credentials, client } = registryClient(inputs, { env, runner, logger, deadline: runDeadline });
    const chartDirs = discovery.charts.map((c) => c.dir);
    const steps = await runDeadline.within(
      runSteps(inputs, { client, credentials, signer, sigstore, runner, logger, dryRun, env, workspace, chartDirs, deadline: runDeadline }),
      DEADLINE_GRACE_MS,
    );

    report = await runDeadline.within(
      publishCharts(
        chartDirs,
        {
          workspace,
          target: inputs.registry,
          dryRun,
          outputDir: inputs.outputDir,
          sourceDateEpoch: env.SOURCE_DATE_EPOCH,
          concurrency: inputs.concurrency,
          onInvalid: inputs.onInvalid,
          selection: discovery.explanation,
          deleted: discovery.deleted.map((d) => d.dir),
          overrides: inputs.overrides,
          strictVersions: inputs.strictVersions,
          checks: inputs.checks,
        },
        steps,
      ),
      DEADLINE_GRACE_MS,
    );
    if (dryRun && discovery.base && inputs.overrides.version !== undefined) {
      logger.info(`Version bumps are not checked: every chart is published as ${inputs.overrides.version}, the "version" input`);
    } else if (dryRun && discovery.base && !runDeadline.expired) {
      await runDeadline.within(checkVersionBumps(report, discovery, { workspace, runner, logger }), DEADLINE_GRACE_MS);
    }
    if (signing) report.signing = signing;
    if (sigstore) report.verification = sigstore.instructions(report.charts);
    if (!dryRun) await appendArtifacts(env.GITHUB_ARTIFACTS, report, logger);

    await finish(report);
    if (!runDeadline.expired && report.charts.length === 0) logger.info('No chart was selected: nothing to do.');
  } catch (error) {
    if (!(error instanceof DomainError)) logger.debug(sourceMappedStack(error));
    const message = deadline?.expired
      ? describeDeadline(deadline, report)
      : error instanceof DomainError
        ? describeError(error)
        : `Unexpected error (please report it): ${describeError(error)}`;
    // The outputs are valid JSON even when the run stops early, so that fromJSON() never breaks.
    await ending.fail(message);
  } finally {
    ending.finished();
    deadline?.stop();
    // Past the deadline something may still hold the event loop (a socket, a process that
    // ignores SIGKILL in uninterruptible sleep): the step's result is written, so the process ends.
    if (deadline?.expired) setTimeout(() => process.exit(), DEADLINE_GRACE_MS).unref();
  }
}

/** One registry client for the run, with the credential stores in their order. */
function registryClient(
  inputs: ActionInputs,
  ctx: { env: NodeJS.ProcessEnv; runner: ProcessRunner; logger: Logger; deadline: RunDeadline },
): { credentials: CredentialResolver; client: RegistryClient } {
  const { env, runner, logger } = ctx;
  const runDeadline = ctx.deadline;
  const credentials = createCredentialResolver({
    ...(inputs.username && inputs.password
      ? {
          explicit: {
            host: inputs.registry.registry,
            username: inputs.username,
            password: inputs.password,
            source: 'the username and password inputs',
          },
        }
      : {}),
    ...(inputs.githubToken ? { githubToken: inputs.githubToken } : {}),
    ...(env.GITHUB_ACTOR ? { githubActor: env.GITHUB_ACTOR } : {}),
    env,
    homeDir: homedir(),
    processRunner: runner,
    logger,
  });
  const client = new RegistryClient({
    plainHttp: inputs.plainHttp,
    credentials,
    logger,
    version: packageJson.version,
    deadline: runDeadline,
  });
  return { credentials, client };
}

/** Existing packages pushed as they are: `migrate-from` or `packages` instead of discovery. */
async function migrate(
  inputs: ActionInputs,
  migration: MigrationInputs,
  ctx: { workspace: string; runner: ProcessRunner; logger: Logger; dryRun: boolean; env: NodeJS.ProcessEnv; deadline: RunDeadline },
): Promise<RunReport> {
  const { env, logger } = ctx;
  // The migration code is a chunk of its own: a publish never loads it.
  const [{ ChartRepositoryClient, displayUrl }, { repositoryPackages, workspacePackages }, { migrateCharts }] = await Promise.all([
    import('./dependencies/chart-repository.js'),
    import('./migrate/existing-packages.js'),
    import('./migrate/migration-run.js'),
  ]);
  const { credentials, client } = registryClient(inputs, ctx);
  const source = migration.source;
  const packages =
    source.kind === 'repository'
      ? await repositoryPackages(
          new ChartRepositoryClient({
            logger,
            credentials: inputs.dependencyCredentials,
            userAgent: `oci-chart-publish/${packageJson.version}`,
            deadline: ctx.deadline,
          }),
          source.url,
          logger,
        )
      : await workspacePackages(ctx.workspace, source.patterns);
  // A dry-run looks at the registry only where it has credentials for it.
  const canCheck = ctx.dryRun && (await credentials.resolve(inputs.registry.registry)) !== undefined;
  return migrateCharts(
    packages,
    {
      target: inputs.registry,
      downloadDir: join(inputs.outputDir, 'migrated'),
      concurrency: inputs.concurrency,
      charts: migration.charts,
      versions: migration.versions,
      dryRun: ctx.dryRun,
      onInvalid: inputs.onInvalid,
      onConflict: inputs.onConflict,
      ...(env.GITHUB_REPOSITORY ? { repositoryUrl: `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` } : {}),
      annotations: inputs.annotations,
      from: source.kind === 'repository' ? displayUrl(source.url) : `${source.patterns.join(', ')} in the workspace`,
      signal: ctx.deadline.signal,
    },
    {
      logger,
      canCheck,
      repository: (chart, push) => client.repository(chart.reference.registry, chart.reference.repository, { push }),
    },
  );
}

// How long, after the deadline, the run gets to unwind and report its charts before it is cut short.
const DEADLINE_GRACE_MS = 5_000;

interface Context {
  workspace: string;
  eventName: string;
  payload: unknown;
  runner: ProcessRunner;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
}

async function selectCharts(inputs: ActionInputs, ctx: Context): Promise<Discovery> {
  const { logger, env } = ctx;
  let discovery: Discovery;
  if (inputs.charts.length > 0) {
    discovery = await explicitCharts(ctx.workspace, inputs.charts);
    logger.info(discovery.explanation);
    for (const chart of discovery.charts) logger.info(`  ${chart.dir}`);
    // exclude wins over the charts input too: one list of exceptions for every workflow.
    discovery = excludeCharts(discovery, parseExclude(inputs.exclude, ctx.workspace), logger);
  } else {
    // Discovery by event (git history, the compare API) is loaded only when no chart is named.
    const [{ describeEvent }, { discoverCharts }] = await Promise.all([
      import('./action/event.js'),
      import('./discovery/discover-charts.js'),
    ]);
    const request =
      inputs.discover === 'all'
        ? ({ kind: 'all', reason: 'input "discover" is all' } as const)
        : describeEvent({
            eventName: ctx.eventName,
            payload: ctx.payload,
            sha: env.GITHUB_SHA ?? '',
            ref: env.GITHUB_REF ?? '',
            ...(inputs.base ? { base: inputs.base } : {}),
          });
    discovery = await discoverCharts({
      workspace: ctx.workspace,
      chartsDir: inputs.chartsDirs,
      request,
      runner: ctx.runner,
      logger,
      exclude: inputs.exclude,
      versionOverride: inputs.overrides.version,
      compareApi:
        inputs.githubToken && env.GITHUB_REPOSITORY
          ? lazyGithubCompare({
              token: inputs.githubToken,
              repository: env.GITHUB_REPOSITORY,
              ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
              deadline: ctx.deadline,
            })
          : undefined,
    });
  }
  // discoverCharts has explained its selection, chart by chart.
  return discovery;
}

interface StepContext {
  workspace: string;
  chartDirs: string[];
  client: RegistryClient;
  credentials: CredentialResolver;
  signer: Signer | undefined;
  sigstore: SigstoreSigning | undefined;
  runner: ProcessRunner;
  logger: Logger;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
}

async function runSteps(inputs: ActionInputs, ctx: StepContext): Promise<RunSteps> {
  const { env, logger } = ctx;
  // A dry-run without credentials (a fork's pull request) reads the registry anonymously.
  const anonymous = ctx.dryRun && (await ctx.credentials.resolve(inputs.registry.registry)) === undefined;
  if (anonymous) logger.info(`No credentials for ${inputs.registry.registry}: the dry-run reads the registry anonymously.`);
  const registry = registrySteps({
    anonymous,
    client: ctx.client,
    onConflict: inputs.onConflict,
    logger,
    ...(env.GITHUB_SHA ? { revision: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REPOSITORY ? { repositoryUrl: `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` } : {}),
    annotations: inputs.annotations,
  });
  const signer = ctx.signer;
  const sigstore = ctx.sigstore;
  const dependencies = lazyDependencyBuilder({
    workspace: ctx.workspace,
    cacheDir: join(inputs.outputDir, '.dependencies'),
    logger,
    credentials: inputs.dependencyCredentials,
    registryCredentials: ctx.credentials,
    plainHttpHosts: inputs.plainHttp ? [inputs.registry.registry] : [],
    run: { target: inputs.registry, charts: ctx.chartDirs },
    version: packageJson.version,
    deadline: ctx.deadline,
  });
  return {
    logger,
    git: ctx.runner,
    buildDependencies: (chart, path) => dependencies.build(chart, path),
    checkVendored: (chart, path) => dependencies.checkVendored(chart, path),
    order: publishOrder,
    manifest: registry.manifest,
    signal: ctx.deadline.signal,
    ...(signer ? { sign: async (chart) => (await import('./publish/sign-chart.js')).signChart(chart, signer) } : {}),
    ...(sigstore
      ? {
          attach: async (chart, outcome) => {
            const { registry, repository } = chart.reference;
            // A dry-run of a new chart has no manifest digest yet: its package digest stands in.
            const digest = outcome.digest ?? `sha256:${chart.package.sha256}`;
            const open = () => ctx.client.repository(registry, repository, { push: !ctx.dryRun });
            const { signature, attestation } = await sigstore.attach({ registry, repository, digest, open });
            return { ...(signature ? { signature } : {}), ...(attestation ? { attestation } : {}) };
          },
        }
      : {}),
    ...(ctx.dryRun ? { check: registry.check } : { lookup: withRepositoryMetadataLookup(registry.lookup, ctx.client, logger) }),
  };
}

async function loadSigstore(
  inputs: ActionInputs,
  ctx: { env: NodeJS.ProcessEnv; logger: Logger; dryRun: boolean; payload: unknown },
): Promise<SigstoreSigning> {
  const { createSigstoreSigning } = await import('./sigstore/sigstore-signing.js');
  const visibility = (ctx.payload as { repository?: { visibility?: unknown } } | undefined)?.repository?.visibility;
  return createSigstoreSigning(inputs.sigstore, {
    env: ctx.env,
    logger: ctx.logger,
    dryRun: ctx.dryRun,
    visibility: typeof visibility === 'string' ? visibility : undefined,
    ...(inputs.githubToken ? { githubToken: inputs.githubToken } : {}),
  });
}

/**
 * In a pull request, a changed chart that existed on the base must have a greater version. Every
 * selected chart is checked, a failed one too, so that a missing bump is not found only after
 * the other problem is fixed; its reasons are then reported together.
 */
async function checkVersionBumps(
  report: RunReport,
  discovery: Discovery,
  ctx: { workspace: string; runner: ProcessRunner; logger: Logger },
): Promise<void> {
  const base = discovery.base;
  if (!base) return;
  const { findVersionBumpProblems } = await import('./discovery/version-bump.js');
  const problems = await findVersionBumpProblems({
    workspace: ctx.workspace,
    charts: report.charts.map((c) => c.path),
    base,
    runner: ctx.runner,
    logger: ctx.logger,
  });
  for (const problem of problems) {
    const outcome = report.charts.find((c) => problem.file === (c.path === '.' ? 'Chart.yaml' : `${c.path}/Chart.yaml`));
    ctx.logger.error(problem.message, { file: problem.file, line: problem.line, title: 'Version not bumped' });
    if (outcome) {
      const earlier = outcome.status === 'failed' ? outcome.reason : undefined;
      outcome.status = 'failed';
      outcome.reason = earlier ? `${earlier}; ${problem.toString()}` : problem.toString();
    }
  }
}

/** An unusable output-dir is the input's problem, said before any chart is packaged. */
async function prepareOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError(
      'output-dir',
      `cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? describeError(error)}): give a writable folder`,
    );
  }
}

async function readPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new DomainError(`cannot read the event payload ${path}: ${describeError(error)}`, { cause: error });
  }
}
