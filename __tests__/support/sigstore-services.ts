import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler, type HandlerFn } from '@sigstore/mock';
import { PublicKeyDetails, HashAlgorithm, type TrustedRoot } from '@sigstore/protobuf-specs';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for what a keyless signature needs, each a real HTTP server on 127.0.0.1:
 * - the runner's OIDC token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`, `?audience=`,
 *   answering `{"value": "<jwt>"}`), minting ES256 JWTs with GitHub Actions claims;
 * - Fulcio and Rekor: Sigstore's own `@sigstore/mock` handlers, served over HTTP rather than
 *   nock, with the trusted root (CA, CT log and transparency log keys) to verify against;
 * - GitHub's attestations API (`POST /repos/{owner}/{repo}/attestations`), recording requests.
 */

export interface WorkflowClaims {
  repository: string;
  workflowRef: string;
  jobWorkflowRef: string;
  ref: string;
  sha: string;
  runId: string;
  runAttempt: string;
  eventName: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SigstoreServices {
  /** Base URL of the OIDC endpoint: give as ACTIONS_ID_TOKEN_REQUEST_URL. */
  oidcUrl: string;
  /** The bearer the OIDC endpoint expects: ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  oidcRequestToken: string;
  /** Every JWT handed out, to check none reaches a log. */
  issuedTokens: string[];
  /** Audiences asked for. */
  audiences: string[];
  fulcioUrl: string;
  rekorUrl: string;
  /** Base of the GitHub API stand-in (GITHUB_API_URL). */
  apiUrl: string;
  attestationRequests: RecordedRequest[];
  fulcioRequests: number;
  issuer: string;
  trustedRoot: TrustedRoot;
  stop(): Promise<void>;
}

const ISSUER = 'https://token.actions.githubusercontent.com';

export async function startSigstoreServices(claims: WorkflowClaims): Promise<SigstoreServices> {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const tlogKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwtKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(caKeys, ctlog);
  // Fulcio's GitHub Actions issuer maps a token to the URI SAN https://github.com/<job_workflow_ref>;
  // the mock takes the SAN from one claim, so the stand-in names the claim it reads.
  const fulcio = fulcioHandler(ca, { subjectClaim: 'fulcio_san' });

  const services = {
    issuedTokens: [] as string[],
    audiences: [] as string[],
    attestationRequests: [] as RecordedRequest[],
    fulcioRequests: 0,
  };
  const oidcRequestToken = `runner-request-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;

  // Rekor's handler needs the log's URL, known once the server listens.
  const late: { rekor?: { fn: HandlerFn } } = {};
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const reply = (status: number, text: string | ArrayBufferView, type = 'application/json') => {
        response.writeHead(status, { 'content-type': type });
        response.end(typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength));
      };
      const handle = async () => {
        if (url.pathname === '/oidc/token' && request.method === 'GET') {
          if (request.headers.authorization !== `Bearer ${oidcRequestToken}`) return reply(401, '{"message":"bad request token"}');
          const audience = url.searchParams.get('audience') ?? '';
          services.audiences.push(audience);
          const jwt = mintJwt(jwtKeys.privateKey, {
            iss: ISSUER,
            aud: audience,
            sub: `repo:${claims.repository}:ref:${claims.ref}`,
            repository: claims.repository,
            repository_id: '123456',
            repository_owner: claims.repository.split('/')[0],
            repository_owner_id: '654321',
            workflow_ref: claims.workflowRef,
            job_workflow_ref: claims.jobWorkflowRef,
            fulcio_san: `https://github.com/${claims.jobWorkflowRef}`,
            ref: claims.ref,
            sha: claims.sha,
            run_id: claims.runId,
            run_attempt: claims.runAttempt,
            event_name: claims.eventName,
            runner_environment: 'github-hosted',
            iat: Math.floor(Date.now() / 1000),
            exp: Math.floor(Date.now() / 1000) + 600,
          });
          services.issuedTokens.push(jwt);
          return reply(200, JSON.stringify({ value: jwt }));
        }
        if (url.pathname === '/fulcio/api/v2/signingCert' && request.method === 'POST') {
          services.fulcioRequests++;
          const result = await fulcio.fn(body);
          return reply(result.statusCode, result.response, result.contentType ?? 'text/plain');
        }
        if (url.pathname === '/rekor/api/v1/log/entries' && request.method === 'POST' && late.rekor) {
          const result = await late.rekor.fn(canonicalRekorBody(body));
          return reply(result.statusCode, result.response, result.contentType ?? 'text/plain');
        }
        const attest = /^\/api\/repos\/([^/]+\/[^/]+)\/attestations$/.exec(url.pathname);
        if (attest && request.method === 'POST') {
          services.attestationRequests.push({ method: request.method, url: url.pathname, headers: request.headers, body });
          return reply(201, JSON.stringify({ id: 4242 }));
        }
        return reply(404, '{"message":"not found"}');
      };
      handle().catch((error: unknown) => reply(500, String(error), 'text/plain'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rekorUrl = `${base}/rekor`;
  const tlog = await initializeTLog(rekorUrl, tlogKeys);
  late.rekor = rekorHandler(tlog);

  const start = new Date(Date.now() - 60_000);
  const key = (der: Buffer) => ({ rawBytes: der, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } });
  const log = (url: string, der: Buffer) => ({
    baseUrl: url,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: key(der),
    logId: { keyId: createHash('sha256').update(der).digest() },
    checkpointKeyId: undefined,
    operator: 'test',
  });
  const trustedRoot: TrustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [log(rekorUrl, Buffer.from(tlog.publicKey))],
    ctlogs: [log(`${base}/ct`, Buffer.from(ctlog.publicKey))],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: `${base}/fulcio`,
        certChain: {
          certificates: [
            { rawBytes: Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength) },
          ],
        },
        validFor: { start },
        operator: 'test',
      },
    ],
    timestampAuthorities: [],
  };

  return {
    oidcUrl: `${base}/oidc/token?api-version=2.0`,
    oidcRequestToken,
    get issuedTokens() {
      return services.issuedTokens;
    },
    get audiences() {
      return services.audiences;
    },
    fulcioUrl: `${base}/fulcio`,
    rekorUrl,
    apiUrl: `${base}/api`,
    get attestationRequests() {
      return services.attestationRequests;
    },
    get fulcioRequests() {
      return services.fulcioRequests;
    },
    issuer: ISSUER,
    trustedRoot,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Rekor stores a `dsse` entry not as proposed (the envelope and verifiers) but canonicalized: the
 * envelope and payload hashes and the signatures with their verifiers (rekor `pkg/types/dsse/v0.0.1`).
 * The mock echoes what it is given, so the stand-in canonicalizes first, as the real log does.
 */
function canonicalRekorBody(body: string): string {
  const entry = JSON.parse(body) as {
    kind?: string;
    apiVersion?: string;
    spec?: { proposedContent?: { envelope: string; verifiers: string[] } };
  };
  const proposed = entry.spec?.proposedContent;
  if (entry.kind !== 'dsse' || !proposed) return body;
  const envelope = JSON.parse(proposed.envelope) as { payload: string; signatures: Array<{ sig: string }> };
  const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
  return JSON.stringify({
    apiVersion: entry.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(proposed.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s, i) => ({ signature: s.sig, verifier: proposed.verifiers[i] ?? proposed.verifiers[0] })),
    },
  });
}

function mintJwt(privateKey: KeyObject, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'ES256', typ: 'JWT', kid: 'test' })}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
