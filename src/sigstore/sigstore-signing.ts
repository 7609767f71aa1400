import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { attestationsApi, type AttestationsApi } from './attestations-api.js';
import { keyedBundleSigner, keylessBundleSigner, type BundleSigner, type SignerIdentity } from './bundle-signer.js';
import { signChartManifest, type ChartSigningResult, type ChartSubject } from './chart-signing.js';
import { loadCosignKey } from './cosign-key.js';
import { sigstoreInstance } from './instance.js';
import { claim, hasRunnerIdentity, runnerIdentity, type RunnerIdentity } from './runner-identity.js';
import type { SigstoreSettings } from './settings.js';
import { SigstoreError } from './sigstore-error.js';
import type { WorkflowRun } from './statements.js';
import { verifyInstructions, type SignedChart } from './verify-instructions.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * The Sigstore side of a run, loaded by `main.ts` with a dynamic import only when an input asks
 * for it: keys are read and masked, the OIDC identity is checked, before any chart is pushed.
 */

export type { ChartSigningResult, ChartSubject } from './chart-signing.js';
export type { SignedChart } from './verify-instructions.js';

export interface SigstoreContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  dryRun: boolean;
  /** `repository.visibility` of the event payload: public repositories use public-good Sigstore. */
  visibility: string | undefined;
  /** For GitHub's attestations API. */
  githubToken?: string;
  fetch?: typeof fetch;
}

export interface SigstoreSigning {
  /** Signs and attests one pushed (or, in a dry-run, checked) chart. */
  attach(subject: ChartSubject): Promise<ChartSigningResult>;
  /** The summary's verify commands for these charts. */
  instructions(charts: readonly SignedChart[]): string;
}

export async function createSigstoreSigning(settings: SigstoreSettings, ctx: SigstoreContext): Promise<SigstoreSigning> {
  const { env, logger, dryRun } = ctx;
  const serverUrl = trimTrailing(env.GITHUB_SERVER_URL || 'https://github.com', '/');
  const keyless = settings.keyless || settings.attest;
  const instance = sigstoreInstance(settings, ctx.visibility);

  let identity: RunnerIdentity | undefined;
  let keylessSigner: BundleSigner | undefined;
  if (keyless && !dryRun) {
    if (!hasRunnerIdentity(env)) {
      throw new SigstoreError(
        `${settings.keyless ? 'cosign-keyless' : 'attest'} needs the workflow's OIDC token: give the job \`permissions: id-token: write\``,
      );
    }
    identity = runnerIdentity({ env, logger, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
    keylessSigner = keylessBundleSigner({ ...instance, identity, serverUrl });
  }

  let signature: BundleSigner | undefined;
  if (settings.key !== undefined) {
    const key = await loadCosignKey({ key: settings.key, ...(settings.keyPassword ? { password: settings.keyPassword } : {}), logger });
    // A keyed signature goes to a transparency log only when one is named (issue: private names stay private);
    // a dry-run sends nothing anywhere.
    signature = keyedBundleSigner(key, dryRun || !settings.rekorUrl ? {} : { rekorUrl: settings.rekorUrl });
    logger.info(
      `Sigstore: signing with the cosign key ${key.hint}${settings.rekorUrl && !dryRun ? `, logged in ${settings.rekorUrl}` : ''}`,
    );
  } else if (settings.keyless) {
    signature = keylessSigner ?? dryRunKeyless();
  }

  let signerIdentity: SignerIdentity | undefined;
  if (keylessSigner) {
    signerIdentity = await keylessSigner.identity();
    logger.info(`Sigstore: keyless as ${signerIdentity.kind === 'keyless' ? signerIdentity.subject : ''}, with ${instance.name}`);
  }

  const api: AttestationsApi | undefined =
    settings.attest && ctx.githubToken && env.GITHUB_REPOSITORY
      ? attestationsApi({
          apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
          repository: env.GITHUB_REPOSITORY,
          token: ctx.githubToken,
          ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        })
      : undefined;
  if (settings.attest && !api && !dryRun) {
    logger.info('Sigstore: no github-token or GITHUB_REPOSITORY: attestations go to the registry only, not to GitHub');
  }

  const attestation =
    settings.attest && (keylessSigner || dryRun)
      ? {
          signer: keylessSigner ?? dryRunKeyless(),
          run: () => workflowRun(env, serverUrl, identity),
          ...(api ? { api: tolerant(api, logger) } : {}),
        }
      : undefined;

  const keyIdentity = signature?.kind === 'key' ? await signature.identity() : undefined;
  return {
    attach: async (subject) => {
      try {
        return await signChartManifest(subject, {
          ...(signature ? { signature } : {}),
          ...(attestation ? { attestation } : {}),
          dryRun,
          logger,
        });
      } catch (error) {
        if (dryRun) throw error;
        throw new SigstoreError(
          `${subject.registry}/${subject.repository}@${subject.digest} is in the registry, but not signed: ${describeError(error)}`,
          {
            cause: error,
          },
        );
      }
    },
    instructions: (charts) =>
      verifyInstructions(charts, {
        signer: keyIdentity ?? signerIdentity,
        repository: env.GITHUB_REPOSITORY,
        ...(instance.name.startsWith('GitHub') && !settings.fulcioUrl ? { githubInstance: true } : {}),
      }),
  };
}

/** In a dry-run no token is fetched; the keyless signer is a placeholder that says so if used. */
function dryRunKeyless(): BundleSigner {
  const never = () => Promise.reject(new SigstoreError('keyless signing does not run in a dry-run'));
  return { kind: 'keyless', identity: never, sign: never, isOwn: () => Promise.resolve(false) };
}

/** The attestations API is a second home for the attestation: its refusal is a warning, not a failed chart. */
function tolerant(api: AttestationsApi, logger: Logger): AttestationsApi {
  return {
    store: async (bundle) => {
      try {
        return await api.store(bundle);
      } catch (error) {
        logger.warning(`The attestation is in the registry but not in GitHub's attestations API: ${describeError(error)}`);
        return '';
      }
    },
  };
}

async function workflowRun(env: NodeJS.ProcessEnv, serverUrl: string, identity: RunnerIdentity | undefined): Promise<WorkflowRun> {
  const claims = identity ? (await identity.token()).claims : {};
  const pick = (name: string, fallback: string | undefined) => claim(claims, name) ?? fallback ?? '';
  const repository = pick('repository', env.GITHUB_REPOSITORY);
  const repositoryId = pick('repository_id', env.GITHUB_REPOSITORY_ID);
  const repositoryOwnerId = pick('repository_owner_id', env.GITHUB_REPOSITORY_OWNER_ID);
  const runnerEnvironment = pick('runner_environment', env.RUNNER_ENVIRONMENT);
  return {
    serverUrl,
    repository,
    workflowRef: pick('workflow_ref', env.GITHUB_WORKFLOW_REF),
    jobWorkflowRef: pick('job_workflow_ref', env.GITHUB_WORKFLOW_REF),
    eventName: pick('event_name', env.GITHUB_EVENT_NAME),
    sha: pick('sha', env.GITHUB_SHA),
    ref: pick('ref', env.GITHUB_REF),
    runId: pick('run_id', env.GITHUB_RUN_ID),
    runAttempt: pick('run_attempt', env.GITHUB_RUN_ATTEMPT),
    ...(repositoryId ? { repositoryId } : {}),
    ...(repositoryOwnerId ? { repositoryOwnerId } : {}),
    ...(runnerEnvironment ? { runnerEnvironment } : {}),
  };
}
