import type { SerializedBundle } from '@sigstore/bundle';
import type { Descriptor } from '../oci/media-types.js';
import type { Repository } from '../oci/registry-client.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { AttestationsApi } from './attestations-api.js';
import type { BundleSigner } from './bundle-signer.js';
import { verifyKeyedBundle } from './bundle-verify.js';
import { bundleReferrers, findReferrers, pushBundleReferrer, readBundle, type Referrers } from './referrers.js';
import { SigstoreError } from './sigstore-error.js';
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  cosignSignStatement,
  provenanceStatement,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type Statement,
  type StatementSubject,
  type WorkflowRun,
} from './statements.js';

/**
 * What happens to a chart after its push: a cosign signature and a build-provenance attestation,
 * each a Sigstore bundle stored as a referrer of the chart manifest. Idempotent: a bundle from the
 * same key or identity already referring to the manifest is kept, and nothing is added.
 */

export interface ChartSubject {
  /** `host:port`, repository name and the chart manifest digest. */
  registry: string;
  repository: string;
  digest: string;
  /** Opens the chart's repository for pushing (or reading, in a dry-run). */
  open: () => Repository;
}

export interface ChartSigningOptions {
  /** Signs with cosign's sign predicate; absent when only attesting. */
  signature?: BundleSigner;
  /** Signs SLSA provenance of the run; always keyless. */
  attestation?: { signer: BundleSigner; run: () => Promise<WorkflowRun>; api?: AttestationsApi };
  dryRun: boolean;
  logger: Logger;
  now?: () => Date;
}

export interface ChartSigningResult {
  /** Digest of the signature's referrer manifest. */
  signature?: string;
  /** Digest of the attestation's referrer manifest. */
  attestation?: string;
  /** Id of the attestation in GitHub's attestations API. */
  attestationId?: string;
}

export async function signChartManifest(subject: ChartSubject, options: ChartSigningOptions): Promise<ChartSigningResult> {
  const { logger } = options;
  const name = `${subject.registry}/${subject.repository}`;
  const where = `${name}@${subject.digest}`;
  const statementSubject: StatementSubject = { name, digest: subject.digest };

  if (options.dryRun) return dryRunSignature(statementSubject, where, options);

  const repository = subject.open();
  const descriptor = await chartDescriptor(repository, subject.digest);
  let referrers: Referrers | undefined;
  const existing = async () => (referrers ??= await findReferrers(repository, subject.digest));
  const result: ChartSigningResult = {};

  if (options.signature) {
    const signer = options.signature;
    result.signature = await attach({
      repository,
      descriptor,
      where,
      what: 'signature',
      predicateType: COSIGN_SIGN_PREDICATE_TYPE,
      signer,
      statement: () => Promise.resolve(cosignSignStatement(statementSubject)),
      existing,
      logger,
      now: options.now,
    });
  }
  if (options.attestation) {
    const { signer, run, api } = options.attestation;
    let bundle: SerializedBundle | undefined;
    result.attestation = await attach({
      repository,
      descriptor,
      where,
      what: 'attestation',
      predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
      signer,
      statement: async () => provenanceStatement(statementSubject, await run()),
      existing,
      logger,
      now: options.now,
      onSigned: (signed) => {
        bundle = signed;
      },
    });
    if (bundle && api) {
      const id = await api.store(bundle);
      logger.info(`${where}: attestation stored in GitHub's attestations API${id ? ` (id ${id})` : ''}`);
      if (id) result.attestationId = id;
    }
  }
  return result;
}

interface AttachRequest {
  repository: Repository;
  descriptor: Descriptor;
  where: string;
  what: 'signature' | 'attestation';
  predicateType: string;
  signer: BundleSigner;
  statement: () => Promise<Statement>;
  existing: () => Promise<Referrers>;
  logger: Logger;
  now: (() => Date) | undefined;
  onSigned?: (bundle: SerializedBundle) => void;
}

async function attach(request: AttachRequest): Promise<string> {
  const { repository, logger, where, what } = request;
  const listed = await request.existing();
  const { referrers, api } = listed;
  for (const referrer of bundleReferrers(referrers, request.predicateType)) {
    const bundle = await readBundle(repository, referrer).catch((error: unknown) => {
      logger.debug(`cannot read the bundle of referrer ${referrer.digest}: ${describeError(error)}`);
      return undefined;
    });
    if (bundle && (await request.signer.isOwn(bundle))) {
      logger.info(
        `${where}: already has a ${what} from the same ${request.signer.kind === 'key' ? 'key' : 'identity'} (${referrer.digest}); none added`,
      );
      return referrer.digest;
    }
  }
  logger.debug(`${where}: no ${what} of ours among ${referrers.length} referrer(s) (${api ? 'referrers API' : 'tag schema'})`);
  const bundle = await request.signer.sign(await request.statement());
  request.onSigned?.(bundle);
  const pushed = await pushBundleReferrer(repository, request.descriptor, bundle, request.predicateType, {
    created: request.now?.() ?? new Date(),
    logger,
    listed,
  });
  // The run's list stays what the registry now holds: the next bundle of this chart (the
  // attestation after the signature) is added to it without reading the index again.
  if (!referrers.some((r) => r.digest === pushed.digest)) referrers.push(pushed.descriptor);
  logger.info(`${where}: ${what} ${pushed.digest} attached (${pushed.via === 'api' ? 'referrers API' : 'referrers tag'})`);
  return pushed.digest;
}

async function chartDescriptor(repository: Repository, digest: string): Promise<Descriptor> {
  const descriptor = await repository.headManifest(digest);
  if (!descriptor) throw new SigstoreError(`the chart manifest ${repository.displayName}@${digest} is not in the registry`);
  return descriptor;
}

/**
 * A dry-run makes no keyless signature (a fork's pull request has no OIDC token, and a
 * certificate would be logged for nothing) and pushes nothing: a keyed signature is made and
 * verified here, so a broken key or password fails the pull request rather than the release.
 */
async function dryRunSignature(subject: StatementSubject, where: string, options: ChartSigningOptions): Promise<ChartSigningResult> {
  const { logger } = options;
  if (options.attestation) logger.info(`${where}: build provenance is not attested in a dry-run`);
  const signer = options.signature;
  if (!signer) return {};
  if (signer.kind === 'keyless') {
    logger.info(`${where}: keyless signing is skipped in a dry-run (a pull request from a fork has no OIDC token)`);
    return {};
  }
  const identity = await signer.identity();
  const bundle = await signer.sign(cosignSignStatement(subject));
  if (identity.kind !== 'key') return {};
  verifyKeyedBundle(bundle, identity.publicKeyPem, subject.digest);
  logger.info(`${where}: signature made and verified with the public key; not pushed (dry-run)`);
  return {};
}
