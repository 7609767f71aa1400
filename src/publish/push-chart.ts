import { readFile } from 'node:fs/promises';
import { ArchiveError, readChartArchive } from '../chart/archive-reader.js';
import { OCI_MANIFEST_MEDIA_TYPE } from '../oci/media-types.js';
import type { RegistryClient, Repository } from '../oci/registry-client.js';
import { RegistryError } from '../oci/registry-error.js';
import { describeError, DomainError } from '../shared/errors.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { readHelmManifest, type HelmManifest } from '../chart/helm-manifest.js';
import { helmArtifact, helmManifest, type ArtifactInput, type Blob, type HelmArtifact } from './artifact.js';
import type { Lookup, OnConflict, PreparedChart, PushResult, RunSteps } from './run.js';
import { versionLine } from './version-line.js';

/**
 * Publishing one chart with the immutability guard: a version already in the registry is
 * never silently replaced. HEAD the manifest by tag first; absent → push; same manifest →
 * unchanged, nothing uploaded; otherwise look at what is there: the same chart layer, or the
 * same chart content packaged by another tool or runtime (compared entry by entry), is
 * unchanged too; different content follows `on-conflict`.
 */

/** The largest existing chart layer downloaded for a content comparison. */
const MAX_COMPARED_LAYER = 64 * 1024 * 1024;

export interface PushContext {
  /** The chart's repository, opened for pushing. */
  repository: (chart: PreparedChart) => Repository;
  onConflict: OnConflict;
  logger: Logger;
  revision?: string;
  repositoryUrl?: string;
  annotations?: ReadonlyMap<string, string>;
  /** When the look-up was made, to tell whether it is still fresh at the manifest PUT. */
  clock?: Clock;
  /** What a conflict asks the user to do; by default to bump the version in Chart.yaml. */
  conflictAdvice?: string;
}

/**
 * A look-up older than this when the manifest is about to be PUT is repeated first: another
 * run may have published the tag since. A younger one is as fresh as the look-up a push made
 * before its blob uploads, and repeating it would cost every chart of a fast run a request.
 */
const RECHECK_AFTER_MS = 10_000;

/** Looks a chart up and pushes it at once: a run's plan and act for a single chart. */
export async function pushChart(chart: PreparedChart, ctx: PushContext): Promise<PushResult> {
  const found = await lookupChart(chart, ctx);
  return 'result' in found ? found.result : found.push();
}

/**
 * The plan's look-up of one chart: HEAD the manifest by tag (one request) and, when a manifest
 * is there, compare it with ours. Reads only; the push it returns writes.
 */
export async function lookupChart(chart: PreparedChart, ctx: PushContext): Promise<Lookup> {
  const clock = ctx.clock ?? systemClock;
  const repository = ctx.repository(chart);
  const tag = chart.reference.tag;
  const existing = await repository.headManifest(tag);
  const lookedUp = clock.now();
  if (!existing) {
    ctx.logger.debug(`${chart.reference.text} does not exist yet: it will be pushed`);
    // A token that reads but cannot push fails the plan, not the first upload.
    repository.assertPushGranted();
    return {
      // Built again (the same bytes) rather than kept: a run's charts are not all held in memory.
      push: async () => {
        const built = await buildArtifact(chart, ctx);
        await uploadBlobs(repository, built, false, ctx.logger);
        if (clock.now() - lookedUp > RECHECK_AFTER_MS) {
          const raced = await repository.headManifest(tag);
          if (raced) return raceResult(chart, repository, raced.digest, built, ctx);
        }
        await repository.putManifest(tag, OCI_MANIFEST_MEDIA_TYPE, built.manifest.bytes);
        return { status: 'published', digest: built.manifest.digest };
      },
    };
  }
  // Built only to compare with what is there: a new chart's push builds its own.
  const artifact = await buildArtifact(chart, ctx);
  const verdict = await compareExisting(repository, existing.digest, artifact, ctx.logger);
  if (verdict.same) {
    return {
      result: { status: 'unchanged', digest: existing.digest, reason: verdict.reason, ...theirProvenance(verdict, artifact) },
    };
  }

  const conflict = `${conflictMessage(chart, existing.digest, verdict.reason)}; published versions are immutable: ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
  switch (ctx.onConflict) {
    case 'fail':
      return { result: { status: 'failed', digest: existing.digest, reason: conflict } };
    case 'skip':
      return { result: { status: 'skipped', digest: existing.digest, reason: `${conflict}; on-conflict: skip leaves it as it is` } };
    case 'overwrite':
      repository.assertPushGranted();
      return {
        push: async () => {
          const built = await buildArtifact(chart, ctx);
          await uploadBlobs(repository, built, true, ctx.logger);
          await repository.putManifest(tag, OCI_MANIFEST_MEDIA_TYPE, built.manifest.bytes);
          return { status: 'published', digest: built.manifest.digest, reason: `overwrote ${existing.digest} (on-conflict: overwrite)` };
        },
      };
  }
}

/** The tag appeared between the look-up and the manifest PUT: another run published it. */
async function raceResult(
  chart: PreparedChart,
  repository: Repository,
  digest: string,
  artifact: HelmArtifact,
  ctx: PushContext,
): Promise<PushResult> {
  const verdict = await compareExisting(repository, digest, artifact, ctx.logger);
  if (verdict.same) {
    return {
      status: 'unchanged',
      digest,
      reason: `published meanwhile by another run: ${verdict.reason}`,
      ...theirProvenance(verdict, artifact),
    };
  }
  const conflict = `${conflictMessage(chart, digest, verdict.reason)}: another run published it while this one was pushing; ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
  return ctx.onConflict === 'skip'
    ? { status: 'skipped', digest, reason: `${conflict}; on-conflict: skip leaves it as it is` }
    : { status: 'failed', digest, reason: conflict };
}

/**
 * The read-only look a dry-run takes: would this chart publish, be unchanged, or conflict?
 * A conflict is an error now, in the pull request, rather than at release.
 */
export async function checkChart(chart: PreparedChart, ctx: PushContext): Promise<PushResult> {
  const repository = ctx.repository(chart);
  const existing = await repository.headManifest(chart.reference.tag);
  if (!existing) return { status: 'dry-run', reason: 'new version: would be published', wouldBe: 'published' };
  const artifact = await buildArtifact(chart, ctx);
  const verdict = await compareExisting(repository, existing.digest, artifact, ctx.logger);
  if (verdict.same) {
    return {
      status: 'dry-run',
      digest: existing.digest,
      reason: `already published with identical content: would be unchanged, ${verdict.reason}`,
      wouldBe: 'unchanged',
      ...theirProvenance(verdict, artifact),
    };
  }
  const message = `${conflictMessage(chart, existing.digest, verdict.reason)}; the release would ${ctx.onConflict}: ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
  if (ctx.onConflict === 'fail') return { status: 'failed', digest: existing.digest, reason: message };
  return { status: 'dry-run', digest: existing.digest, reason: message, wouldBe: ctx.onConflict === 'skip' ? 'skipped' : 'published' };
}

function conflictMessage(chart: PreparedChart, existing: string, difference: string): string {
  return `version ${chart.chart.metadata.version} is already published as ${existing} with different chart content (${difference})`;
}

/**
 * An unchanged chart keeps the manifest the registry has; when that is not ours, its
 * provenance layer (or none) is what users can pull, not the .prov made in this run.
 */
function theirProvenance(verdict: Verdict, artifact: HelmArtifact): Pick<PushResult, 'provenanceDigest'> {
  if (verdict.manifestDigest === artifact.manifest.digest) return {};
  return { provenanceDigest: verdict.provenanceDigest ?? null };
}

async function buildArtifact(chart: PreparedChart, ctx: PushContext): Promise<HelmArtifact> {
  return helmArtifact({ ...artifactFields(chart, ctx), chart: await readFile(chart.package.path) });
}

/** The manifest buildArtifact will make, from the package's digest and size (the plan's size check). */
export function plannedManifest(chart: PreparedChart, ctx: ArtifactContext = {}): Pick<HelmArtifact, 'manifest' | 'annotations'> {
  return helmManifest({ ...artifactFields(chart, ctx), chart: { digest: `sha256:${chart.package.sha256}`, size: chart.package.size } });
}

/** What of a push's context goes into the artifact: the annotations the run adds. */
type ArtifactContext = Pick<PushContext, 'revision' | 'repositoryUrl' | 'annotations'>;

function artifactFields(chart: PreparedChart, ctx: ArtifactContext): Omit<ArtifactInput, 'chart'> {
  return {
    metadata: chart.chart.metadata,
    ...(chart.provenance ? { provenance: Buffer.from(chart.provenance.text, 'utf8') } : {}),
    created: chart.epoch,
    ...(ctx.revision ? { revision: ctx.revision } : {}),
    ...(ctx.repositoryUrl ? { repositoryUrl: ctx.repositoryUrl } : {}),
    ...(ctx.annotations ? { extra: ctx.annotations } : {}),
  };
}

/**
 * Blobs first, in parallel as oras-go does for Helm (§3.8); the manifest follows by tag, so
 * that a tag never points at missing content.
 */
async function uploadBlobs(repository: Repository, artifact: HelmArtifact, mayExist: boolean, logger: Logger): Promise<void> {
  await Promise.all(
    [artifact.config, ...artifact.layers].map(async (blob) => {
      // A new version has new blobs; only when replacing one is a HEAD worth its round trip.
      if (mayExist && (await repository.blobExists(blob.digest))) {
        logger.debug(`${blob.digest} (${blob.mediaType}) is already in ${repository.displayName}`);
        return;
      }
      await repository.pushBlob(blob, blob.bytes);
      logger.debug(`uploaded ${blob.digest} (${blob.mediaType}, ${blob.size} bytes)`);
    }),
  );
}

interface Verdict {
  same: boolean;
  reason: string;
  manifestDigest: string;
  /** The provenance layer of the existing manifest, when it has one. */
  provenanceDigest?: string;
}

async function compareExisting(repository: Repository, digest: string, artifact: HelmArtifact, logger: Logger): Promise<Verdict> {
  if (digest === artifact.manifest.digest) return { same: true, reason: 'same manifest digest', manifestDigest: digest };
  const manifest = await repository.getManifest(digest);
  let helm: HelmManifest;
  try {
    helm = readHelmManifest(manifest.bytes);
  } catch {
    return { same: false, reason: `the existing manifest ${digest} is not JSON`, manifestDigest: digest };
  }
  // The last layer of a type wins, as on `helm pull` (§3.6).
  const theirs = helm.chart;
  const provenance = helm.provenance?.digest;
  const verdict = (same: boolean, reason: string): Verdict => ({
    same,
    reason,
    manifestDigest: digest,
    ...(provenance ? { provenanceDigest: provenance } : {}),
  });
  if (!theirs?.digest) return verdict(false, `the existing manifest ${digest} has no chart layer`);
  if (theirs.digest === artifact.chartLayer.digest) {
    return verdict(true, 'same chart layer; only the manifest differs (e.g. annotations or provenance)');
  }
  if ((theirs.size ?? 0) > MAX_COMPARED_LAYER) return verdict(false, `chart layer ${theirs.digest} differs`);
  // Same files, compressed by another tool, another zlib, or stamped with other times?
  const existing = await repository.fetchBlob(theirs.digest, { maxBytes: MAX_COMPARED_LAYER });
  const difference = await contentDifference(existing, artifact.chartLayer);
  if (difference === undefined) {
    logger.debug(`${theirs.digest} holds the same files as ${artifact.chartLayer.digest}`);
    return verdict(true, 'same chart files, packaged differently');
  }
  return verdict(false, difference);
}

/** Undefined when both archives hold the same files with the same bytes; else the first difference. */
async function contentDifference(existing: Uint8Array, ours: Blob): Promise<string | undefined> {
  let theirs;
  try {
    theirs = await readChartArchive(existing);
  } catch (error) {
    if (error instanceof ArchiveError) return `the published chart layer cannot be read: ${error.message}`;
    throw error;
  }
  const mine = await readChartArchive(ours.bytes);
  const byName = new Map(theirs.map((f) => [f.name, f.data]));
  for (const file of mine) {
    const other = byName.get(file.name);
    if (!other) return `${file.name} is new`;
    if (!other.equals(file.data)) return `${file.name} changed`;
    byName.delete(file.name);
  }
  const removed = [...byName.keys()][0];
  return removed === undefined ? undefined : `${removed} was removed`;
}

export interface RegistryStepsOptions extends Omit<PushContext, 'repository'> {
  client: RegistryClient;
  /**
   * The dry-run reads the registry without credentials (a fork's pull request has none): a
   * refusal, or a registry out of reach, is then expected and said once for the run, not as a
   * warning per chart.
   */
  anonymous?: boolean;
}

/**
 * The look-up, push and dry-run check steps of a run over one registry client. The look-up
 * opens each repository for pushing, so that its one token serves the push too. In a dry-run,
 * a registry that cannot be read (no credentials on a fork, 401/403, network) is reported, not
 * fatal: only a definite conflict fails the pull request.
 */
export function registrySteps(options: RegistryStepsOptions): Required<Pick<RunSteps, 'lookup' | 'push' | 'check' | 'manifest'>> {
  const open = (push: boolean) => (chart: PreparedChart) =>
    options.client.repository(chart.reference.registry, chart.reference.repository, { push });
  const { client: _client, anonymous, ...rest } = options;
  // What an anonymous dry-run has said once for the run: a refusal, or a registry out of reach.
  const said = new Set<string>();
  // The first chart that found the registry unreachable. The transport fails every later request
  // to an origin that gave no answer at once, naming that request; the charts after it name the chart.
  let unreachableFrom: string | undefined;
  return {
    lookup: (chart) => lookupChart(chart, { ...rest, repository: open(true) }),
    manifest: (chart) => plannedManifest(chart, rest),
    push: (chart) => pushChart(chart, { ...rest, repository: open(true) }),
    check: async (chart) => {
      try {
        return await checkChart(chart, { ...rest, repository: open(false) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const why = describeError(error);
        const unreachable = error instanceof RegistryError && error.unanswered;
        if (unreachable && unreachableFrom !== undefined) {
          options.logger.debug(`${chart.reference.text}: not checked either: ${why}`);
          return { status: 'dry-run', reason: `registry not checked: unreachable (as for ${unreachableFrom}, see the log)` };
        }
        if (unreachable) unreachableFrom = chart.reference.text;
        // Anything else (a manifest that fails its digest, a body over its limit, an odd status)
        // is worth a warning even without credentials, and the chart's reason says what it was.
        let expected: string | undefined;
        if (anonymous && unreachable) expected = 'unreachable';
        else if (anonymous && refusesAnonymous(error)) expected = 'it refused anonymous reads';
        if (expected === undefined) {
          options.logger.warning(`${chart.reference.text}: the registry could not be checked: ${why}`, versionLine(chart));
          return { status: 'dry-run', reason: `registry not checked: ${why}` };
        }
        if (!said.has(expected)) {
          said.add(expected);
          options.logger.info(
            `The registry was not checked: ${unreachable ? 'it could not be reached' : 'without credentials it could not be read anonymously'}: ${why}. ` +
              'A version that is already published shows only when the charts are released.',
          );
        } else {
          options.logger.debug(`${chart.reference.text}: not checked either: ${why}`);
        }
        // The why is in the log once; the chart's reason says where to find it.
        return { status: 'dry-run', reason: `registry not checked: ${expected} (see the log)` };
      }
    },
  };
}

/** The registry (or its token service) refused the request: what a read without credentials expects. */
function refusesAnonymous(error: DomainError): boolean {
  if (!(error instanceof RegistryError)) return false;
  return error.status === 401 || error.status === 403 || error.codes.includes('DENIED') || error.codes.includes('UNAUTHORIZED');
}
