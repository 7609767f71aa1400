export const id = 518;
export const ids = [518];
export const modules = {

/***/ 93518:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createSigstoreSigning: () => (/* binding */ createSigstoreSigning)
});

// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
;// CONCATENATED MODULE: ./src/sigstore/sigstore-error.ts

/** Signing, verifying or attaching a Sigstore bundle went wrong; the message says what to fix. */
class SigstoreError extends errors/* DomainError */.Jk {
}

;// CONCATENATED MODULE: ./src/sigstore/attestations-api.ts

function attestationsApi(options) {
    const doFetch = options.fetch ?? fetch;
    return {
        async store(bundle) {
            const url = `${options.apiUrl.replace(/\/+$/, '')}/repos/${options.repository}/attestations`;
            let response;
            try {
                response = await doFetch(url, {
                    method: 'POST',
                    headers: {
                        authorization: `Bearer ${options.token}`,
                        accept: 'application/vnd.github+json',
                        'content-type': 'application/json',
                        'x-github-api-version': '2022-11-28',
                    },
                    body: JSON.stringify({ bundle }),
                });
            }
            catch (error) {
                throw new SigstoreError(`cannot reach GitHub's attestations API at ${new URL(url).origin}`, { cause: error });
            }
            const text = await response.text();
            if (!response.ok) {
                const hint = response.status === 403 || response.status === 404 ? ': give the job `permissions: attestations: write`' : '';
                throw new SigstoreError(`GitHub's attestations API answered ${response.status}${hint}`);
            }
            try {
                const id = JSON.parse(text).id;
                return typeof id === 'number' || typeof id === 'string' ? String(id) : '';
            }
            catch {
                return '';
            }
        },
    };
}

// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(61040);
// EXTERNAL MODULE: ./node_modules/@sigstore/core/dist/index.js
var core_dist = __webpack_require__(83917);
// EXTERNAL MODULE: ./node_modules/@sigstore/sign/dist/index.js
var sign_dist = __webpack_require__(15179);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(54187);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/sigstore/runner-identity.ts

/** True when the runner can hand out an OIDC token (the job has `id-token: write`). */
function hasRunnerIdentity(env) {
    return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}
function runnerIdentity(options) {
    const { env, logger } = options;
    const doFetch = options.fetch ?? fetch;
    const now = options.now ?? (() => Date.now() / 1000);
    let cached;
    let current;
    const request = async () => {
        const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
        const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!url || !bearer) {
            throw new SigstoreError('cosign-keyless needs an OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL is not set: give the job `permissions: id-token: write`');
        }
        logger.mask(bearer);
        const target = new URL(url);
        target.searchParams.set('audience', options.audience ?? 'sigstore');
        let response;
        try {
            response = await doFetch(target, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
        }
        catch (error) {
            throw new SigstoreError(`cannot reach the runner's OIDC token endpoint ${target.origin}`, { cause: error });
        }
        const text = await response.text();
        if (!response.ok)
            throw new SigstoreError(`the runner's OIDC token endpoint answered ${response.status}`);
        let value;
        try {
            value = JSON.parse(text).value;
        }
        catch {
            value = undefined;
        }
        if (typeof value !== 'string' || value.split('.').length !== 3) {
            throw new SigstoreError('the runner\'s OIDC token endpoint did not answer {"value": "<jwt>"}');
        }
        logger.mask(value);
        const claims = jwtClaims(value);
        return { jwt: value, claims, expires: typeof claims.exp === 'number' ? claims.exp : now() + 300 };
    };
    return {
        async token() {
            if (current && current.expires - now() > 60)
                return current;
            cached ??= request();
            try {
                current = await cached;
            }
            finally {
                cached = undefined;
            }
            return current;
        },
    };
}
/** The JWT's payload, read (not verified: Fulcio verifies it) to know the identity before signing. */
function jwtClaims(jwt) {
    try {
        const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
        if (typeof claims === 'object' && claims !== null)
            return claims;
    }
    catch {
        // fall through
    }
    throw new SigstoreError('the OIDC token is not a JWT with a JSON payload');
}
/** A string claim, or undefined. */
function claim(claims, name) {
    const value = claims[name];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

;// CONCATENATED MODULE: ./src/sigstore/statements.ts
/**
 * The in-toto statements this action signs (in-toto attestation framework v1, `Statement`).
 * Both are about one chart: its repository and manifest digest.
 */
const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** DSSE payload type of an in-toto statement. */
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** What `cosign sign` (v3, new bundle format) states about an image: nothing but that it signed it. */
const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';
const SLSA_PROVENANCE_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
/** The build type `actions/attest-build-provenance` states for a workflow run. */
const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
function cosignSignStatement(subject) {
    return { _type: IN_TOTO_STATEMENT_TYPE, subject: [statementSubject(subject)], predicateType: COSIGN_SIGN_PREDICATE_TYPE, predicate: {} };
}
function provenanceStatement(subject, run) {
    // owner/repo/.github/workflows/release.yml@refs/tags/v1 \u2192 .github/workflows/release.yml, refs/tags/v1;
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
function statementSubject(subject) {
    const [algorithm, hex] = subject.digest.split(':');
    return { name: subject.name, digest: { [algorithm]: hex } };
}

;// CONCATENATED MODULE: ./src/sigstore/bundle-signer.ts









const SERVICE_TIMEOUT_MS = 30_000;
const SERVICE_RETRY = { retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 8000 };
function keyedBundleSigner(key, services) {
    const signer = {
        sign: (data) => Promise.resolve({
            signature: (0,external_node_crypto_.sign)('sha256', data, key.privateKey),
            key: { $case: 'publicKey', publicKey: key.publicKeyPem, hint: key.hint },
        }),
    };
    const builder = new sign_dist/* DSSEBundleBuilder */.VV({ signer, witnesses: witnesses(services) });
    const publicKey = (0,external_node_crypto_.createPublicKey)(key.privateKey);
    return {
        kind: 'key',
        identity: () => Promise.resolve({ kind: 'key', hint: key.hint, publicKeyPem: key.publicKeyPem, transparencyLog: !!services.rekorUrl }),
        sign: (statement) => build(builder, statement),
        isOwn: (json) => {
            try {
                const bundle = (0,dist.bundleFromJSON)(json);
                if (bundle.verificationMaterial.content.$case !== 'publicKey')
                    return Promise.resolve(false);
                if (bundle.verificationMaterial.content.publicKey.hint !== key.hint)
                    return Promise.resolve(false);
                return Promise.resolve((0,verify_dist/* toSignedEntity */.DC)(bundle).signature.verifySignature(publicKey));
            }
            catch {
                return Promise.resolve(false);
            }
        },
    };
}
function keylessBundleSigner(options) {
    const signer = new sign_dist/* FulcioSigner */.$o({
        fulcioBaseURL: options.fulcioUrl,
        identityProvider: { getToken: async () => (await options.identity.token()).jwt },
        timeout: SERVICE_TIMEOUT_MS,
        retry: SERVICE_RETRY,
    });
    const builder = new sign_dist/* DSSEBundleBuilder */.VV({ signer, witnesses: witnesses(options) });
    const identity = async () => {
        const { claims } = await options.identity.token();
        const workflow = claim(claims, 'job_workflow_ref');
        const issuer = claim(claims, 'iss');
        if (!workflow || !issuer)
            throw new SigstoreError('the OIDC token has no job_workflow_ref or iss claim: is it a GitHub Actions token?');
        return { kind: 'keyless', subject: `${options.serverUrl}/${workflow}`, issuer, transparencyLog: !!options.rekorUrl };
    };
    return {
        kind: 'keyless',
        identity,
        sign: (statement) => build(builder, statement),
        isOwn: async (json) => {
            const expected = await identity();
            if (expected.kind !== 'keyless')
                return false;
            try {
                const bundle = (0,dist.bundleFromJSON)(json);
                const content = bundle.verificationMaterial.content;
                const raw = content.$case === 'certificate'
                    ? content.certificate.rawBytes
                    : content.$case === 'x509CertificateChain'
                        ? content.x509CertificateChain.certificates[0]?.rawBytes
                        : undefined;
                if (!raw)
                    return false;
                return core_dist.X509Certificate.parse(Buffer.from(raw)).subjectAltName === expected.subject;
            }
            catch {
                return false;
            }
        },
    };
}
function witnesses(services) {
    const list = [];
    if (services.rekorUrl) {
        list.push(new sign_dist/* RekorWitness */.fU({ rekorBaseURL: services.rekorUrl, entryType: 'dsse', timeout: SERVICE_TIMEOUT_MS, retry: SERVICE_RETRY }));
    }
    if (services.tsaUrl)
        list.push(new sign_dist/* TSAWitness */.gs({ tsaBaseURL: services.tsaUrl, timeout: SERVICE_TIMEOUT_MS, retry: SERVICE_RETRY }));
    return list;
}
async function build(builder, statement) {
    try {
        const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement), 'utf8'), type: IN_TOTO_PAYLOAD_TYPE });
        return (0,dist.bundleToJSON)(bundle);
    }
    catch (error) {
        throw new SigstoreError(`cannot make the Sigstore bundle: ${(0,errors/* describeError */.Uc)(error)}`, { cause: error });
    }
}

// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var protobuf_specs_dist = __webpack_require__(19654);
;// CONCATENATED MODULE: ./src/sigstore/bundle-verify.ts






/**
 * Verifies a keyed bundle with `@sigstore/verify` given only the public key, as Flux or
 * `cosign verify --key --insecure-ignore-tlog` would offline, and checks that its statement is
 * about `digest`. Returns the statement.
 */
function verifyKeyedBundle(json, publicKeyPem, digest) {
    const spki = (0,external_node_crypto_.createPublicKey)(publicKeyPem).export({ format: 'der', type: 'spki' });
    const hint = (0,external_node_crypto_.createHash)('sha256').update(spki).digest('base64');
    const root = { mediaType: '', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
    const trust = (0,verify_dist/* toTrustMaterial */.jO)(root, { [hint]: { rawBytes: spki, keyDetails: protobuf_specs_dist.PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } });
    try {
        const bundle = (0,dist.bundleFromJSON)(json);
        new verify_dist/* Verifier */.BL(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify((0,verify_dist/* toSignedEntity */.DC)(bundle));
        if (bundle.content.$case !== 'dsseEnvelope')
            throw new Error('the bundle holds no DSSE envelope');
        const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8'));
        const [algorithm, hex] = digest.split(':');
        if (!statement.subject?.some((s) => s.digest?.[algorithm] === hex))
            throw new Error(`the statement is not about ${digest}`);
        return statement;
    }
    catch (error) {
        throw new SigstoreError(`the signature does not verify with the public key of cosign-key: ${(0,errors/* describeError */.Uc)(error)}`, { cause: error });
    }
}

// EXTERNAL MODULE: ./src/oci/digest.ts
var digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
// EXTERNAL MODULE: ./src/oci/registry-client.ts + 3 modules
var registry_client = __webpack_require__(863);
;// CONCATENATED MODULE: ./src/sigstore/referrers.ts




/**
 * A Sigstore bundle stored as an OCI 1.1 referrer of the chart manifest, the way cosign v3
 * stores it (`ociremote.WriteAttestationNewBundleFormat`): an image manifest whose artifactType
 * and only layer are the bundle, with the empty config, the chart manifest as `subject`, and the
 * annotations Artifact Hub and cosign read. A registry without the referrers API (Distribution
 * 2.8, GHCR) is told through the tag schema: the image index tagged `sha256-<hex>` lists the
 * referrers (distribution-spec v1.1 "Referrers Tag Schema").
 */
const SIGSTORE_BUNDLE_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const BUNDLE_CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
const BUNDLE_PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** image-spec `manifest.md` "Guidance for an Empty Descriptor": the two bytes `{}`. */
const EMPTY_CONFIG = new TextEncoder().encode('{}');
const EMPTY_CONFIG_DESCRIPTOR = {
    mediaType: 'application/vnd.oci.empty.v1+json',
    digest: (0,digest/* sha256Digest */.sI)(EMPTY_CONFIG),
    size: EMPTY_CONFIG.byteLength,
};
/** The referrers tag of a digest: `sha256:<hex>` \u2192 `sha256-<hex>`. */
function referrersTag(digest) {
    return digest.replace(':', '-');
}
/** The referrers of `digest`: through the API when the registry has one, else the fallback index. */
async function findReferrers(repository, digest) {
    const listed = await repository.listReferrers(digest);
    if (listed)
        return { referrers: listed, api: true };
    const tag = referrersTag(digest);
    if (!(await repository.headManifest(tag)))
        return { referrers: [], api: false };
    return { referrers: (0,registry_client/* indexManifests */.n0)((await repository.getManifest(tag)).bytes, `${repository.displayName}:${tag}`), api: false };
}
/** Sigstore bundles among the referrers, with the given predicate type. */
function bundleReferrers(referrers, predicateType) {
    return referrers.filter((r) => r.artifactType === SIGSTORE_BUNDLE_ARTIFACT_TYPE && r.annotations?.[BUNDLE_PREDICATE_TYPE_ANNOTATION] === predicateType);
}
/** Reads the bundle a referrer manifest holds. */
async function readBundle(repository, referrer) {
    const manifest = JSON.parse(Buffer.from((await repository.getManifest(referrer.digest)).bytes).toString('utf8'));
    const layer = manifest.layers?.find((l) => l.mediaType === SIGSTORE_BUNDLE_ARTIFACT_TYPE && typeof l.digest === 'string');
    if (!layer?.digest)
        return undefined;
    try {
        return JSON.parse(Buffer.from(await repository.fetchBlob(layer.digest, { maxBytes: 4 * 1024 * 1024 })).toString('utf8'));
    }
    catch {
        return undefined;
    }
}
/** The referrer manifest of a bundle: built here so that a dry-run can show it without pushing. */
function bundleManifest(subject, bundle, predicateType, created) {
    const layer = new TextEncoder().encode(JSON.stringify(bundle));
    const annotations = {
        [BUNDLE_CONTENT_ANNOTATION]: 'dsse-envelope',
        [BUNDLE_PREDICATE_TYPE_ANNOTATION]: predicateType,
        [CREATED_ANNOTATION]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const manifest = {
        schemaVersion: 2,
        mediaType: media_types/* OCI_MANIFEST_MEDIA_TYPE */.k_,
        artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
        config: EMPTY_CONFIG_DESCRIPTOR,
        layers: [{ mediaType: SIGSTORE_BUNDLE_ARTIFACT_TYPE, digest: (0,digest/* sha256Digest */.sI)(layer), size: layer.byteLength }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations,
    };
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    return {
        bytes,
        layer,
        descriptor: {
            mediaType: media_types/* OCI_MANIFEST_MEDIA_TYPE */.k_,
            digest: (0,digest/* sha256Digest */.sI)(bytes),
            size: bytes.byteLength,
            artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
            annotations,
        },
    };
}
/**
 * Pushes the bundle as a referrer of `subject`: blobs, then the manifest by digest; then, unless
 * the registry said `OCI-Subject` (it indexes referrers itself), the fallback index is updated.
 */
async function pushBundleReferrer(repository, subject, bundle, predicateType, options) {
    const { bytes, layer, descriptor } = bundleManifest(subject, bundle, predicateType, options.created);
    if (!(await repository.blobExists(EMPTY_CONFIG_DESCRIPTOR.digest)))
        await repository.pushBlob(EMPTY_CONFIG_DESCRIPTOR, EMPTY_CONFIG);
    await repository.pushBlob({ mediaType: SIGSTORE_BUNDLE_ARTIFACT_TYPE, digest: (0,digest/* sha256Digest */.sI)(layer), size: layer.byteLength }, layer);
    const pushed = await repository.putManifest(descriptor.digest, media_types/* OCI_MANIFEST_MEDIA_TYPE */.k_, bytes);
    if (pushed.subject !== undefined) {
        if (pushed.subject !== subject.digest) {
            throw new SigstoreError(`the registry indexed ${descriptor.digest} as a referrer of ${pushed.subject}, not of ${subject.digest}`);
        }
        options.logger.debug(`${repository.displayName} indexes referrers itself (OCI-Subject): no ${referrersTag(subject.digest)} tag`);
        return { digest: descriptor.digest, via: 'api' };
    }
    await addToFallbackIndex(repository, subject.digest, descriptor, options.logger);
    return { digest: descriptor.digest, via: 'tag' };
}
/**
 * Adds a descriptor to the `sha256-<hex>` index. Read, add, write: the index is keyed by the
 * chart manifest, and one run handles each chart once, so no two writers of this run race.
 */
async function addToFallbackIndex(repository, subject, referrer, logger) {
    const tag = referrersTag(subject);
    const existing = (await repository.headManifest(tag))
        ? (0,registry_client/* indexManifests */.n0)((await repository.getManifest(tag)).bytes, `${repository.displayName}:${tag}`)
        : [];
    if (existing.some((m) => m.digest === referrer.digest))
        return;
    const index = { schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [...existing, referrer] };
    await repository.putManifest(tag, OCI_INDEX_MEDIA_TYPE, new TextEncoder().encode(JSON.stringify(index)));
    logger.debug(`${repository.displayName}:${tag} lists ${existing.length + 1} referrer(s) of ${subject}`);
}

;// CONCATENATED MODULE: ./src/sigstore/chart-signing.ts





async function signChartManifest(subject, options) {
    const { logger } = options;
    const name = `${subject.registry}/${subject.repository}`;
    const where = `${name}@${subject.digest}`;
    const statementSubject = { name, digest: subject.digest };
    if (options.dryRun)
        return dryRunSignature(statementSubject, where, options);
    const repository = subject.open();
    const descriptor = await chartDescriptor(repository, subject.digest);
    let referrers;
    const existing = async () => (referrers ??= await findReferrers(repository, subject.digest));
    const result = {};
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
        let bundle;
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
            if (id)
                result.attestationId = id;
        }
    }
    return result;
}
async function attach(request) {
    const { repository, logger, where, what } = request;
    const { referrers, api } = await request.existing();
    for (const referrer of bundleReferrers(referrers, request.predicateType)) {
        const bundle = await readBundle(repository, referrer).catch((error) => {
            logger.debug(`cannot read the bundle of referrer ${referrer.digest}: ${(0,errors/* describeError */.Uc)(error)}`);
            return undefined;
        });
        if (bundle && (await request.signer.isOwn(bundle))) {
            logger.info(`${where}: already has a ${what} from the same ${request.signer.kind === 'key' ? 'key' : 'identity'} (${referrer.digest}); none added`);
            return referrer.digest;
        }
    }
    logger.debug(`${where}: no ${what} of ours among ${referrers.length} referrer(s) (${api ? 'referrers API' : 'tag schema'})`);
    const bundle = await request.signer.sign(await request.statement());
    request.onSigned?.(bundle);
    const pushed = await pushBundleReferrer(repository, request.descriptor, bundle, request.predicateType, {
        created: request.now?.() ?? new Date(),
        logger,
    });
    logger.info(`${where}: ${what} ${pushed.digest} attached (${pushed.via === 'api' ? 'referrers API' : 'referrers tag'})`);
    return pushed.digest;
}
async function chartDescriptor(repository, digest) {
    const descriptor = await repository.headManifest(digest);
    if (!descriptor)
        throw new SigstoreError(`the chart manifest ${repository.displayName}@${digest} is not in the registry`);
    return descriptor;
}
/**
 * A dry-run makes no keyless signature (a fork's pull request has no OIDC token, and a
 * certificate would be logged for nothing) and pushes nothing: a keyed signature is made and
 * verified here, so a broken key or password fails the pull request rather than the release.
 */
async function dryRunSignature(subject, where, options) {
    const { logger } = options;
    if (options.attestation)
        logger.info(`${where}: build provenance is not attested in a dry-run`);
    const signer = options.signature;
    if (!signer)
        return {};
    if (signer.kind === 'keyless') {
        logger.info(`${where}: keyless signing is skipped in a dry-run (a pull request from a fork has no OIDC token)`);
        return {};
    }
    const identity = await signer.identity();
    const bundle = await signer.sign(cosignSignStatement(subject));
    if (identity.kind !== 'key')
        return {};
    verifyKeyedBundle(bundle, identity.publicKeyPem, subject.digest);
    logger.info(`${where}: signature made and verified with the public key; not pushed (dry-run)`);
    return {};
}

// EXTERNAL MODULE: ./node_modules/tweetnacl/nacl-fast.js
var nacl_fast = __webpack_require__(80668);
var nacl_fast_default = /*#__PURE__*/__webpack_require__.n(nacl_fast);
;// CONCATENATED MODULE: ./src/sigstore/cosign-key.ts



const ENCRYPTED_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
// scrypt with cosign's N = 2^15..2^16 and r = 8 needs 32\u201364 MiB; Node's default cap is 32 MiB.
const SCRYPT_MAX_MEMORY = 512 * 1024 * 1024;
const MAX_SCRYPT_COST = 1 << 20;
/** Reads and decrypts the key; masks the key text, the password and the decrypted key at once. */
async function loadCosignKey(options) {
    const { key, password, logger } = options;
    maskLines(key, logger);
    if (password)
        logger.mask(password);
    const pem = pemBlock(key);
    if (!pem) {
        throw new errors/* InputError */.dz('cosign-key', 'is not a PEM key: give the cosign.key that `cosign generate-key-pair` writes, or a PKCS#8 PEM key');
    }
    let privateKey;
    if (ENCRYPTED_LABELS.includes(pem.label)) {
        privateKey = await decryptCosignKey(pem.body, password ?? '');
    }
    else if (pem.label === 'PRIVATE KEY' || pem.label === 'EC PRIVATE KEY') {
        try {
            privateKey = (0,external_node_crypto_.createPrivateKey)({ key: key.trim(), format: 'pem' });
        }
        catch (error) {
            throw new errors/* InputError */.dz('cosign-key', 'is not a readable PEM private key', { cause: error });
        }
    }
    else if (pem.label === 'ENCRYPTED PRIVATE KEY') {
        try {
            privateKey = (0,external_node_crypto_.createPrivateKey)({ key: key.trim(), format: 'pem', passphrase: password ?? '' });
        }
        catch (error) {
            throw new errors/* InputError */.dz('cosign-key-password', 'does not decrypt the encrypted PKCS#8 key in cosign-key', { cause: error });
        }
    }
    else {
        throw new errors/* InputError */.dz('cosign-key', `holds a "${pem.label}" PEM block: give a private key (cosign.key or PKCS#8 PEM)`);
    }
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new errors/* InputError */.dz('cosign-key', 'is not an ECDSA P-256 key: cosign signs with P-256 (cosign generate-key-pair)');
    }
    const spki = (0,external_node_crypto_.createPublicKey)(privateKey).export({ format: 'der', type: 'spki' });
    const publicKeyPem = (0,external_node_crypto_.createPublicKey)(privateKey).export({ format: 'pem', type: 'spki' }).toString();
    return { privateKey, publicKeyPem, hint: (0,external_node_crypto_.createHash)('sha256').update(spki).digest('base64') };
}
async function decryptCosignKey(body, password) {
    let file;
    try {
        file = JSON.parse(body.toString('utf8'));
    }
    catch (error) {
        throw new errors/* InputError */.dz('cosign-key', 'is an encrypted cosign key whose content is not JSON', { cause: error });
    }
    const params = file.kdf?.params ?? {};
    const { N, r, p } = params;
    if (file.kdf?.name !== 'scrypt' ||
        file.cipher?.name !== 'nacl/secretbox' ||
        !file.kdf.salt ||
        !file.cipher.nonce ||
        !file.ciphertext ||
        !Number.isSafeInteger(N) ||
        !Number.isSafeInteger(r) ||
        !Number.isSafeInteger(p) ||
        N > MAX_SCRYPT_COST) {
        throw new errors/* InputError */.dz('cosign-key', 'is an encrypted key in an unknown form: expected scrypt and nacl/secretbox, as cosign writes');
    }
    const salt = Buffer.from(file.kdf.salt, 'base64');
    const derived = await new Promise((resolve, reject) => (0,external_node_crypto_.scrypt)(password, salt, (nacl_fast_default()).secretbox.keyLength, { N, r, p, maxmem: SCRYPT_MAX_MEMORY }, (e, k) => (e ? reject(e) : resolve(k))));
    const opened = nacl_fast_default().secretbox.open(Buffer.from(file.ciphertext, 'base64'), Buffer.from(file.cipher.nonce, 'base64'), new Uint8Array(derived));
    if (!opened)
        throw new errors/* InputError */.dz('cosign-key-password', 'does not decrypt cosign-key: give the password given to cosign generate-key-pair');
    try {
        return (0,external_node_crypto_.createPrivateKey)({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' });
    }
    catch (error) {
        throw new errors/* InputError */.dz('cosign-key', 'decrypts to something that is not a PKCS#8 private key', { cause: error });
    }
    finally {
        opened.fill(0);
        derived.fill(0);
    }
}
function pemBlock(text) {
    const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
    if (!match)
        return undefined;
    return { label: match[1], body: Buffer.from(match[2].replace(/\s+/g, ''), 'base64') };
}
/** The runner masks within single lines: every line of a multi-line secret is registered. */
function maskLines(secret, logger) {
    logger.mask(secret);
    for (const line of secret.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed && !trimmed.startsWith('-----'))
            logger.mask(trimmed);
    }
}

;// CONCATENATED MODULE: ./src/sigstore/instance.ts
/**
 * Which Sigstore deployment signs keyless, chosen as `@actions/attest` chooses
 * (`packages/attest/src/endpoints.ts`): a public repository uses the public-good instance
 * (Fulcio and the Rekor log at sigstore.dev); a private or internal one uses GitHub's own
 * instance (its Fulcio and timestamp authority, no public log), so that private names stay
 * private. A `sigstore-fulcio-url` input names a private deployment and overrides both.
 */
const PUBLIC_GOOD = {
    name: 'the public-good Sigstore instance',
    fulcioUrl: 'https://fulcio.sigstore.dev',
    rekorUrl: 'https://rekor.sigstore.dev',
};
const GITHUB_INSTANCE = {
    name: "GitHub's Sigstore instance",
    fulcioUrl: 'https://fulcio.githubapp.com',
    tsaUrl: 'https://timestamp.githubapp.com',
};
function sigstoreInstance(urls, visibility) {
    if (urls.fulcioUrl) {
        return {
            name: `the Sigstore deployment at ${urls.fulcioUrl}`,
            fulcioUrl: urls.fulcioUrl,
            ...(urls.rekorUrl ? { rekorUrl: urls.rekorUrl } : {}),
            ...(urls.tsaUrl ? { tsaUrl: urls.tsaUrl } : {}),
        };
    }
    const base = visibility === 'public' ? PUBLIC_GOOD : GITHUB_INSTANCE;
    return {
        ...base,
        ...(urls.rekorUrl ? { rekorUrl: urls.rekorUrl } : {}),
        ...(urls.tsaUrl ? { tsaUrl: urls.tsaUrl } : {}),
    };
}

;// CONCATENATED MODULE: ./src/sigstore/verify-instructions.ts
function verifyInstructions(charts, options) {
    const signed = charts.filter((c) => c.digest && (c.signature || c.attestation));
    if (signed.length === 0)
        return '';
    const lines = ['### Verify', '', '```sh'];
    const signer = options.signer;
    for (const chart of signed) {
        const pinned = `${chart.reference.slice(0, chart.reference.lastIndexOf(':'))}@${chart.digest ?? ''}`;
        if (chart.signature && signer?.kind === 'keyless') {
            lines.push(`cosign verify --certificate-identity '${signer.subject}' --certificate-oidc-issuer '${signer.issuer}'` +
                `${options.githubInstance ? ' --trusted-root github-trusted-root.json' : ''} ${pinned}`);
        }
        else if (chart.signature && signer?.kind === 'key') {
            lines.push(`cosign verify --key cosign.pub${signer.transparencyLog ? '' : ' --insecure-ignore-tlog=true'} ${pinned}`);
        }
        if (chart.attestation) {
            lines.push(`gh attestation verify oci://${pinned} --bundle-from-oci${options.repository ? ` --repo ${options.repository}` : ''}`);
        }
    }
    lines.push('```', '');
    if (signer && signed.some((c) => c.signature)) {
        lines.push('Flux (`OCIRepository` or `HelmChart` spec):', '', '```yaml', 'verify:', '  provider: cosign');
        if (signer.kind === 'keyless') {
            lines.push('  matchOIDCIdentity:', `    - issuer: '^${escapeRegExp(signer.issuer)}$'`, `      subject: '^${escapeRegExp(signer.subject)}$'`);
        }
        else {
            lines.push('  secretRef:', '    name: cosign-pub # a Secret holding cosign.pub');
        }
        lines.push('```', '');
    }
    return lines.join('\n');
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

;// CONCATENATED MODULE: ./src/sigstore/sigstore-signing.ts









async function createSigstoreSigning(settings, ctx) {
    const { env, logger, dryRun } = ctx;
    const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const keyless = settings.keyless || settings.attest;
    const instance = sigstoreInstance(settings, ctx.visibility);
    let identity;
    let keylessSigner;
    if (keyless && !dryRun) {
        if (!hasRunnerIdentity(env)) {
            throw new SigstoreError(`${settings.keyless ? 'cosign-keyless' : 'attest'} needs the workflow's OIDC token: give the job \`permissions: id-token: write\``);
        }
        identity = runnerIdentity({ env, logger, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
        keylessSigner = keylessBundleSigner({ ...instance, identity, serverUrl });
    }
    let signature;
    if (settings.key !== undefined) {
        const key = await loadCosignKey({ key: settings.key, ...(settings.keyPassword ? { password: settings.keyPassword } : {}), logger });
        // A keyed signature goes to a transparency log only when one is named (issue: private names stay private);
        // a dry-run sends nothing anywhere.
        signature = keyedBundleSigner(key, dryRun || !settings.rekorUrl ? {} : { rekorUrl: settings.rekorUrl });
        logger.info(`Sigstore: signing with the cosign key ${key.hint}${settings.rekorUrl && !dryRun ? `, logged in ${settings.rekorUrl}` : ''}`);
    }
    else if (settings.keyless) {
        signature = keylessSigner ?? dryRunKeyless();
    }
    let signerIdentity;
    if (keylessSigner) {
        signerIdentity = await keylessSigner.identity();
        logger.info(`Sigstore: keyless as ${signerIdentity.kind === 'keyless' ? signerIdentity.subject : ''}, with ${instance.name}`);
    }
    const api = settings.attest && ctx.githubToken && env.GITHUB_REPOSITORY
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
    const attestation = settings.attest && (keylessSigner || dryRun)
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
            }
            catch (error) {
                if (dryRun)
                    throw error;
                throw new SigstoreError(`${subject.registry}/${subject.repository}@${subject.digest} is in the registry, but not signed: ${(0,errors/* describeError */.Uc)(error)}`, {
                    cause: error,
                });
            }
        },
        instructions: (charts) => verifyInstructions(charts, {
            signer: keyIdentity ?? signerIdentity,
            repository: env.GITHUB_REPOSITORY,
            ...(instance.name.startsWith('GitHub') && !settings.fulcioUrl ? { githubInstance: true } : {}),
        }),
    };
}
/** In a dry-run no token is fetched; the keyless signer is a placeholder that says so if used. */
function dryRunKeyless() {
    const never = () => Promise.reject(new SigstoreError('keyless signing does not run in a dry-run'));
    return { kind: 'keyless', identity: never, sign: never, isOwn: () => Promise.resolve(false) };
}
/** The attestations API is a second home for the attestation: its refusal is a warning, not a failed chart. */
function tolerant(api, logger) {
    return {
        store: async (bundle) => {
            try {
                return await api.store(bundle);
            }
            catch (error) {
                logger.warning(`The attestation is in the registry but not in GitHub's attestations API: ${(0,errors/* describeError */.Uc)(error)}`);
                return '';
            }
        },
    };
}
async function workflowRun(env, serverUrl, identity) {
    const claims = identity ? (await identity.token()).claims : {};
    const pick = (name, fallback) => claim(claims, name) ?? fallback ?? '';
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


/***/ })

};

//# sourceMappingURL=518.index.js.map