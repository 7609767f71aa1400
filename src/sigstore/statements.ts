/**
 * The in-toto statements this action signs (in-toto attestation framework v1, `Statement`).
 * Both are about one chart: its repository and manifest digest.
 */

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** What `cosign sign` (v3, new bundle format) states about an image: nothing but that it signed it. */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';
export const SLSA_PROVENANCE_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
/** The build type `actions/attest-build-provenance` states for a workflow run. */
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

export interface StatementSubject {
  /** `registry/repository` of the chart, without tag. */
  name: string;
  /** `sha256:<hex>` of the chart manifest. */
  digest: string;
}

export interface Statement {
  _type: string;
  subject: Array<{ name: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: Record<string, unknown>;
}

export function cosignSignStatement(subject: StatementSubject): Statement {
  return { _type: IN_TOTO_STATEMENT_TYPE, subject: [statementSubject(subject)], predicateType: COSIGN_SIGN_PREDICATE_TYPE, predicate: {} };
}

/**
 * The workflow run, as `actions/attest-build-provenance` describes it (SLSA v1 provenance with
 * GitHub's workflow build type). The OIDC token's claims are preferred to the environment: they
 * are what Fulcio puts in the certificate, so the two cannot disagree.
 */
export interface WorkflowRun {
  serverUrl: string;
  repository: string;
  repositoryId?: string;
  repositoryOwnerId?: string;
  /** `owner/repo/.github/workflows/file.yml@refs/heads/main`: the workflow the run started (claim `workflow_ref`). */
  workflowRef: string;
  /** The workflow whose job runs this step, a reusable one included (claim `job_workflow_ref`): the builder. */
  jobWorkflowRef: string;
  eventName: string;
  sha: string;
  ref: string;
  runId: string;
  runAttempt: string;
  runnerEnvironment?: string;
}

export function provenanceStatement(subject: StatementSubject, run: WorkflowRun): Statement {
  // owner/repo/.github/workflows/release.yml@refs/tags/v1 → .github/workflows/release.yml, refs/tags/v1;
  // a ref may itself hold an "@" (changesets tags), so only the first one splits.
  const local = run.workflowRef.startsWith(`${run.repository}/`) ? run.workflowRef.slice(run.repository.length + 1) : run.workflowRef;
  const at = local.indexOf('@');
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [statementSubject(subject)],
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: at < 0 ? run.ref : local.slice(at + 1),
            repository: `${run.serverUrl}/${run.repository}`,
            path: at < 0 ? local : local.slice(0, at),
          },
        },
        internalParameters: {
          github: {
            event_name: run.eventName,
            ...(run.repositoryId ? { repository_id: run.repositoryId } : {}),
            ...(run.repositoryOwnerId ? { repository_owner_id: run.repositoryOwnerId } : {}),
            ...(run.runnerEnvironment ? { runner_environment: run.runnerEnvironment } : {}),
          },
        },
        resolvedDependencies: [{ uri: `git+${run.serverUrl}/${run.repository}@${run.ref}`, digest: { gitCommit: run.sha } }],
      },
      runDetails: {
        builder: { id: `${run.serverUrl}/${run.jobWorkflowRef}` },
        metadata: { invocationId: `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/attempts/${run.runAttempt}` },
      },
    },
  };
}

function statementSubject(subject: StatementSubject): { name: string; digest: Record<string, string> } {
  const [algorithm, hex] = subject.digest.split(':') as [string, string];
  return { name: subject.name, digest: { [algorithm]: hex } };
}
