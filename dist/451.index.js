export const id = 451;
export const ids = [451,834];
export const modules = {

/***/ 47834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ChartRepositoryClient: () => (/* binding */ ChartRepositoryClient),
/* harmony export */   RepositoryError: () => (/* binding */ RepositoryError),
/* harmony export */   displayUrl: () => (/* binding */ displayUrl),
/* harmony export */   parseIndex: () => (/* binding */ parseIndex),
/* harmony export */   resolveReferenceUrl: () => (/* binding */ resolveReferenceUrl)
/* harmony export */ });
/* harmony import */ var _chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(95422);
/* harmony import */ var _chart_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83167);
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(68825);
/* harmony import */ var _oci_transport_error_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(42711);
/* harmony import */ var _oci_transport_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(56380);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(58382);
/* harmony import */ var _repository_credentials_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(68170);
/* harmony import */ var _shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(87371);








/**
 * A classic Helm chart repository over http(s): `index.yaml` at the repository URL, archives at
 * the URLs its entries list, relative to the repository or absolute (pkg/repo/v1 chartrepo.go
 * and index.go @H4). No `helm repo add`: the URL in Chart.yaml is all we need. Credentials come
 * from `dependency-credentials` by URL prefix and, like Helm's getter, go only to the
 * repository's own scheme and host; redirects to another origin drop them (oci/transport.ts).
 */
/** A repository answered with something we cannot use; `status` when it was an HTTP answer. */
class RepositoryError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .DomainError */ .Jk {
    status;
    constructor(message, status, options) {
        super(message, options);
        this.status = status;
    }
}
// Popular repositories publish indexes of tens of megabytes (every version ever released).
const MAX_INDEX_BYTES = 256 * 1024 * 1024;
class ChartRepositoryClient {
    options;
    transport;
    indexes = new Map();
    constructor(options) {
        this.options = options;
        this.transport = (0,_oci_transport_js__WEBPACK_IMPORTED_MODULE_4__/* .createTransport */ .o)({
            fetch: options.fetch,
            logger: options.logger,
            retry: options.retry,
            timeoutMs: options.timeoutMs,
            userAgent: options.userAgent ?? 'oci-chart-publish',
            deadline: options.deadline,
        });
    }
    /** The repository's index.yaml, fetched once per client. */
    index(repositoryUrl) {
        const key = repositoryUrl.replace(/\/+$/, '');
        let index = this.indexes.get(key);
        if (!index) {
            index = this.fetchIndex(repositoryUrl);
            this.indexes.set(key, index);
        }
        return index;
    }
    /** An archive's bytes; `url` is absolute (see resolveReferenceUrl). */
    async download(url, repositoryUrl, maxBytes) {
        const response = await this.get(url, repositoryUrl, maxBytes);
        if (response.status !== 200)
            throw this.failure(`cannot download ${displayUrl(url)}`, response, url, repositoryUrl);
        return response.body;
    }
    async fetchIndex(repositoryUrl) {
        const url = resolveReferenceUrl(repositoryUrl, 'index.yaml');
        const response = await this.get(url, repositoryUrl, MAX_INDEX_BYTES);
        if (response.status === 404) {
            throw new RepositoryError(`${displayUrl(repositoryUrl)} is not a Helm chart repository: ${displayUrl(url)} answered 404 Not Found (an https:// repository needs an index.yaml; ` +
                'for an OCI registry write oci://)', 404);
        }
        if (response.status !== 200)
            throw this.failure(`cannot read ${displayUrl(url)}`, response, url, repositoryUrl);
        this.options.logger.debug(`${displayUrl(url)}: ${response.body.byteLength} bytes`);
        return parseIndex(response.body, repositoryUrl, this.options.logger);
    }
    async get(url, repositoryUrl, maxBytes) {
        const headers = {};
        const credential = this.credentialFor(url, repositoryUrl);
        if (credential) {
            this.options.logger.mask(credential.password);
            headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
        }
        try {
            return await this.transport.send({
                method: 'GET',
                url: new URL(url),
                headers,
                maxResponseBytes: maxBytes,
                timeoutMs: timeoutFor(maxBytes, this.options.timeoutMs),
            });
        }
        catch (error) {
            if (error instanceof _oci_transport_error_js__WEBPACK_IMPORTED_MODULE_3__/* .TransportError */ .wX) {
                const advice = (0,_oci_transport_error_js__WEBPACK_IMPORTED_MODULE_3__/* .networkAdvice */ .B0)(error.network, 'repository', 'if it is served over plain http, write its URL with http://');
                throw new RepositoryError(`cannot reach the chart repository ${displayUrl(repositoryUrl)}: ${error.message}${advice ? `. ${advice}` : ''}`, error.status, { cause: error });
            }
            throw error;
        }
    }
    /**
     * The dependency-credentials line covering `url`; else the repository's own line when `url` is
     * on the repository's scheme and host (Helm sends a repository's credentials to its host only).
     */
    credentialFor(url, repositoryUrl) {
        const own = (0,_repository_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .credentialFor */ .FX)(url, this.options.credentials);
        if (own)
            return own.password ? own : undefined;
        const repository = (0,_repository_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .credentialFor */ .FX)(repositoryUrl, this.options.credentials);
        if (!repository?.password)
            return undefined;
        const a = new URL(url);
        const b = new URL(repositoryUrl);
        return a.protocol === b.protocol && a.host === b.host ? repository : undefined;
    }
    failure(what, response, url, repositoryUrl) {
        const status = `${response.status}${response.status === 401 ? ' Unauthorized' : response.status === 403 ? ' Forbidden' : response.status === 404 ? ' Not Found' : ''}`;
        const sent = response.leftOrigin ? undefined : this.credentialFor(url, repositoryUrl);
        let hint = '';
        if (response.status === 401 || response.status === 403) {
            hint = sent
                ? `: the repository refused the credentials of the dependency-credentials line for ${sent.prefix}`
                : `: the repository needs credentials; add a line "${displayUrl(repositoryUrl)} <username>:<password>" to the dependency-credentials input`;
        }
        return new RepositoryError(`${what}: HTTP ${status}${hint}`, response.status);
    }
}
/**
 * A repository or archive URL for messages and logs. Repository URLs may carry an access token in
 * the query, which Helm copies onto archive URLs (resolveReferenceUrl), or in userinfo: http(s)
 * and oci:// URLs are shown without query, fragment and userinfo (describeUrl). A URL with none
 * of them, and any other source, is shown as written, as Chart.yaml has it.
 */
function displayUrl(url) {
    if (!/^(?:https?|oci):\/\//i.test(url) || !/[?#@]/.test(url))
        return url;
    try {
        return (0,_oci_transport_error_js__WEBPACK_IMPORTED_MODULE_3__/* .describeUrl */ .Ng)(url);
    }
    catch {
        // Not a URL fetch would take; still nothing after "?" or "#", nor before "@".
        return url.replace(/[?#].*$/s, '').replace(/^([a-z]+:\/\/)[^/]*@/i, '$1');
    }
}
/** Per-attempt timeout: the transport's default, plus time for large bodies at 1 MB/s. */
function timeoutFor(maxBytes, base = 60_000) {
    return base + Math.min(maxBytes, 128 * 1024 * 1024) / 1000;
}
/**
 * Helm's `repo.ResolveReferenceURL`: an absolute URL stays as it is; a relative one is resolved
 * against the repository URL taken as a directory, and the repository URL's query (often an
 * access token) is carried over.
 */
function resolveReferenceUrl(base, ref) {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref))
        return ref;
    const baseUrl = new URL(base);
    baseUrl.pathname = `${baseUrl.pathname.replace(/\/+$/, '')}/`;
    const resolved = new URL(ref, baseUrl);
    resolved.search = baseUrl.search;
    return resolved.href;
}
/**
 * The parser's complaint without the server's text: JSON.parse quotes a few characters around
 * the error, which may be a piece of a secret the server echoed (too short to be redacted).
 */
function indexSyntaxProblem(error, text) {
    if (error instanceof _chart_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_1__/* .YamlSyntaxError */ .nN)
        return `is not valid YAML (line ${error.line}): ${error.message}`;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SyntaxError) {
        // Never JSON.parse's own words: they quote the text, which a hostile server may fill with what it was sent.
        const at = text === undefined ? undefined : (0,_shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_7__/* .jsonSyntaxErrorPosition */ .X)(text);
        return `is not valid JSON${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}`;
    }
    return `is not valid YAML: ${message.split('\n')[0] ?? message}`;
}
/** Parses index.yaml (YAML or JSON) the way Helm's loadIndex does. */
function parseIndex(body, repositoryUrl, logger) {
    let raw;
    let text;
    try {
        // The same decoder as for every other YAML file: it refuses what go-yaml refuses (alias
        // bombs, invalid UTF-8). JSON is much faster to parse than YAML, and large repositories
        // often serve it; it is checked for the same bytes first.
        text = (0,_chart_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_1__/* .yamlText */ .pS)(body);
        raw = (text.trimStart().startsWith('{') ? JSON.parse(text) : (0,_chart_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_1__/* .yamlToPlain */ .LV)((0,_chart_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeYaml */ .SE)(text)));
    }
    catch (error) {
        throw new RepositoryError(`the index.yaml of ${displayUrl(repositoryUrl)} ${indexSyntaxProblem(error, text)}`, undefined, {
            cause: error,
        });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new RepositoryError(`the index.yaml of ${displayUrl(repositoryUrl)} is empty or not a mapping`);
    }
    if (!raw.apiVersion)
        throw new RepositoryError(`the index.yaml of ${displayUrl(repositoryUrl)} has no apiVersion: it is not a Helm repository index`);
    const entries = new Map();
    const rawEntries = raw.entries && typeof raw.entries === 'object' ? raw.entries : {};
    for (const [name, list] of Object.entries(rawEntries)) {
        const versions = [];
        for (const item of Array.isArray(list) ? list : []) {
            if (item === null || typeof item !== 'object')
                continue;
            const record = item;
            const text = typeof record.version === 'string' || typeof record.version === 'number' ? String(record.version) : '';
            const version = (0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_0__/* .parseVersion */ .ot)(text);
            if (!version) {
                logger.debug(`${displayUrl(repositoryUrl)}: skipping ${name} "${text}": not a version Helm reads`);
                continue;
            }
            const urls = Array.isArray(record.urls) ? record.urls.filter((u) => typeof u === 'string' && u !== '') : [];
            // index.yaml gives the archive's sha256 as bare hex.
            const digest = typeof record.digest === 'string' && (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_2__/* .parseDigest */ .m)(`sha256:${record.digest}`) ? record.digest : undefined;
            versions.push({ name, version, urls, digest });
        }
        versions.sort((a, b) => (0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_0__/* .newestFirst */ .ll)(a.version, b.version));
        entries.set(name, versions);
    }
    return { url: repositoryUrl, entries };
}


/***/ }),

/***/ 39451:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createDependencyBuilder: () => (/* binding */ createDependencyBuilder)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/chart/archive-reader.ts
var archive_reader = __webpack_require__(69996);
// EXTERNAL MODULE: ./src/chart/chart-loader.ts
var chart_loader = __webpack_require__(96858);
// EXTERNAL MODULE: ./src/chart/metadata.ts + 2 modules
var chart_metadata = __webpack_require__(45907);
// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
// EXTERNAL MODULE: ./src/oci/reference.ts
var reference = __webpack_require__(62148);
// EXTERNAL MODULE: ./src/oci/registry-client.ts + 3 modules
var registry_client = __webpack_require__(863);
// EXTERNAL MODULE: ./src/oci/registry-error.ts
var registry_error = __webpack_require__(77753);
// EXTERNAL MODULE: ./src/shared/byte-order.ts
var byte_order = __webpack_require__(17302);
// EXTERNAL MODULE: ./src/shared/concurrency.ts
var concurrency = __webpack_require__(60438);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(68825);
;// CONCATENATED MODULE: ./src/dependencies/archive-cache.ts



/**
 * Downloaded chart archives kept by content digest (`<dir>/sha256-<hex>.tgz`), so that a chart
 * repository's or registry's archive is fetched once across runs that share the folder. A file
 * is used only when its bytes still hash to the digest; a cache that cannot be written is only
 * a slower run.
 */
class ArchiveCache {
    dir;
    logger;
    constructor(dir, logger) {
        this.dir = dir;
        this.logger = logger;
    }
    /** The bytes stored under `digest`, if present and intact. */
    async get(digest) {
        const file = this.file(digest);
        if (!file)
            return undefined;
        try {
            const bytes = await (0,promises_.readFile)(file);
            if ((0,oci_digest/* matchesDigest */._j)(bytes, digest)) {
                this.logger.debug(`${digest}: from the cache ${file}`);
                return bytes;
            }
        }
        catch {
            // Not cached.
        }
        return undefined;
    }
    /** Stores the bytes under `digest` (written aside, then renamed: never a half file). */
    async put(digest, bytes) {
        const file = this.file(digest);
        if (!file)
            return;
        try {
            await (0,promises_.mkdir)(this.dir, { recursive: true });
            const partial = `${file}.${process.pid}.partial`;
            await (0,promises_.writeFile)(partial, bytes);
            await (0,promises_.rename)(partial, file);
        }
        catch (error) {
            this.logger.debug(`could not cache ${digest} in ${this.dir}: ${error.message}`);
        }
    }
    file(digest) {
        const parsed = (0,oci_digest/* parseDigest */.m)(digest);
        return parsed ? (0,external_node_path_.join)(this.dir, `${parsed.algorithm}-${parsed.hex}.tgz`) : undefined;
    }
}

// EXTERNAL MODULE: ./src/dependencies/chart-repository.ts
var chart_repository = __webpack_require__(47834);
;// CONCATENATED MODULE: ./src/dependencies/declaration.ts


async function readDeclaration(workspace, chart, dir, stack) {
    const chartYaml = chart.source.file;
    const base = chartYaml.includes('/') ? chartYaml.slice(0, chartYaml.lastIndexOf('/') + 1) : '';
    const v1 = chart.metadata.apiVersion === 'v1';
    // The loader keeps requirements.yaml among a v1 chart's files: no need to look on disk.
    const declaredIn = v1 && chart.files.some((f) => f.name === 'requirements.yaml') ? `${base}requirements.yaml` : chartYaml;
    const lockFile = `${base}${v1 ? 'requirements.lock' : 'Chart.lock'}`;
    const read = async (file) => (0,promises_.readFile)((0,external_node_path_.join)(workspace, file), 'utf8').catch(() => undefined);
    return { chart, dir, stack, declaredIn, lockFile, text: { declared: await read(declaredIn), lock: await read(lockFile) } };
}
/** The line declaring dependency `name`; the `dependencies:` line when there is no name or no such entry. */
function dependencyLine(ctx, name) {
    const fallback = ctx.declaredIn === ctx.chart.source.file ? ctx.chart.source.keyLines.get('dependencies') : lineOf(ctx.text.declared, /^dependencies:/);
    if (name === undefined)
        return fallback;
    return dependencyEntryLine(ctx.text.declared, name) ?? fallback;
}
/** The line locking dependency `name`, else the lock's `dependencies:` line. */
function lockLine(ctx, name) {
    return dependencyEntryLine(ctx.text.lock, name) ?? lineOf(ctx.text.lock, /^dependencies:/);
}
/** The line of `name: <name>` inside the top-level `dependencies:` list of a YAML file. */
function dependencyEntryLine(text, name) {
    if (text === undefined)
        return undefined;
    const lines = text.split(/\r?\n/);
    const start = lines.findIndex((l) => /^dependencies:/.test(l));
    if (start < 0)
        return undefined;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const entry = new RegExp(`^\\s+(?:-\\s+)?name:\\s*(["']?)${escaped}\\1\\s*(?:#.*)?$|^-\\s+name:\\s*(["']?)${escaped}\\2\\s*(?:#.*)?$`);
    for (let i = start + 1; i < lines.length; i++) {
        const line = lines[i];
        if (/^\S/.test(line) && !line.startsWith('-') && !line.startsWith('#'))
            break;
        if (entry.test(line))
            return i + 1;
    }
    return undefined;
}
function lineOf(text, pattern) {
    if (text === undefined)
        return undefined;
    const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
    return index < 0 ? undefined : index + 1;
}
/** The file name of a workspace path (`charts/app/Chart.lock` \u2192 `Chart.lock`). */
function baseName(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
/** A workspace-relative, `/`-separated path (`.` for the workspace itself). */
function relativeTo(workspace, path) {
    return (0,external_node_path_.relative)(workspace, path).split(external_node_path_.sep).join('/') || '.';
}

// EXTERNAL MODULE: ./src/oci/transport-error.ts
var transport_error = __webpack_require__(42711);
;// CONCATENATED MODULE: ./src/dependencies/dependency-failures.ts





/** How a dependency failure is introduced in its message (see the builder's `failure`). */
function dependencyPrefix(dependency) {
    return `dependency "${dependency.name}"${dependency.repository ? ` (${(0,chart_repository.displayUrl)(dependency.repository)})` : ''}: `;
}
/**
 * Every failing dependency of a chart in one error, so that a chart with three unreachable
 * dependencies says so at once instead of one per run. Dependencies that failed for the same
 * reason (the same repository unreachable, the same refusal) share one sentence: the host and
 * the error code are said once. The error points at the first failing dependency's line; the
 * others' lines are in the text. One failure is returned as it is.
 */
function combineFailures(failures, ctx) {
    // A chart of the workspace that fails is one error, whichever of its dependents met it.
    const seen = new Set();
    const sorted = [...failures]
        .sort((a, b) => a.index - b.index)
        .filter((f) => {
        if (seen.has(f.error))
            return false;
        seen.add(f.error);
        return true;
    });
    const unexpected = sorted.find((f) => !(f.error instanceof errors/* DomainError */.Jk));
    if (unexpected)
        return unexpected.error;
    const [first] = sorted;
    if (!first)
        return new errors/* ChartError */.DA(`no dependency failed`, { file: ctx.declaredIn });
    if (sorted.length === 1)
        return first.error;
    const groups = new Map();
    for (const failure of sorted) {
        const message = failure.error.message;
        const prefix = dependencyPrefix(failure.dependency);
        // An error in another chart's files (a file:// chart of the workspace) says where it is.
        const { error } = failure;
        const location = error instanceof errors/* ChartError */.DA && error.file !== ctx.declaredIn ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
        const reason = location + (message.startsWith(prefix) ? message.slice(prefix.length) : message);
        groups.set(reason, [...(groups.get(reason) ?? []), failure]);
    }
    const file = ctx.declaredIn.slice(ctx.declaredIn.lastIndexOf('/') + 1);
    const parts = [...groups].map(([reason, members]) => {
        const names = members.map((m) => `"${m.dependency.name}"`).join(', ');
        const repositories = [...new Set(members.map((m) => (0,chart_repository.displayUrl)(m.dependency.repository) || '(no repository)'))].join(', ');
        const lines = members.flatMap((m) => (m.line !== undefined ? [m.line] : []));
        const where = lines.length > 0 ? `, ${file} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}` : '';
        return `${names} (${repositories}${where}): ${reason}`;
    });
    return new errors/* ChartError */.DA(`${sorted.length} of the ${ctx.declaredCount} dependencies of ${ctx.chartName} cannot be built: ${parts.join('; ')}. ${remedy(sorted, ctx)}`, { file: ctx.declaredIn, line: first.line }, { cause: first.error });
}
/** What to do when dependencies cannot be fetched, in the order a user would try it. */
function remedy(failures, ctx) {
    const vendor = `To package without downloading, vendor them: run "helm dependency build" in ${ctx.chartDir} and commit charts/*.tgz ` +
        '(a dependency already in charts/ is used as it is)';
    const network = failures.some((f) => isNetworkFailure(f.error));
    const refused = failures.some((f) => hasStatus(f.error, [401, 403]));
    const advice = [vendor];
    if (network)
        advice.push("if they should be reachable, check the runner's network and proxy settings");
    if (refused || network)
        advice.push('give the credentials of private repositories in the dependency-credentials input');
    return `${advice.join('; ')}.`;
}
/** A failure to reach the server at all (no HTTP answer), anywhere along the cause chain. */
function isNetworkFailure(error) {
    for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
        if (e instanceof transport_error/* TransportError */.wX && e.status === undefined)
            return true;
        if (e instanceof registry_error/* RegistryError */.gl && e.status === undefined && e.codes.length === 0 && e.cause !== undefined)
            return true;
    }
    return false;
}
function hasStatus(error, statuses) {
    for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
        const status = e.status;
        if (typeof status === 'number' && statuses.includes(status))
            return true;
    }
    return false;
}
/** A failure about one dependency, pointing at its declaration. */
function dependencyFailure(ctx, dependency, message, cause) {
    return new errors/* ChartError */.DA(`${dependencyPrefix(dependency)}${message}`, { file: ctx.declaredIn, line: dependencyLine(ctx, dependency.name) }, cause === undefined ? undefined : { cause });
}

;// CONCATENATED MODULE: ./src/dependencies/dependency-versions.ts


/** The dependency's version range; a RepositoryError (worded for the dependency) when Helm cannot read it. */
function constraintOf(dependency) {
    try {
        return (0,version_constraints/* parseConstraint */.FJ)(dependency.version);
    }
    catch (error) {
        if (error instanceof version_constraints/* ConstraintError */.YB) {
            throw new chart_repository.RepositoryError(dependency.version === ''
                ? 'it has no version: give a version or range, e.g. version: "1.2.3" or version: "1.x.x"'
                : `version "${dependency.version}" is not a version or range Helm accepts (${error.message})`);
        }
        throw error;
    }
}
function constraintOrUndefined(dependency) {
    try {
        return (0,version_constraints/* parseConstraint */.FJ)(dependency.version);
    }
    catch {
        return undefined;
    }
}
/** Equal as written, or equal as versions (`1.0` and `1.0.0`). */
function sameVersion(version, text) {
    if (version.original === text)
        return true;
    const other = (0,version_constraints/* parseVersion */.ot)(text);
    return other !== undefined && (0,version_constraints/* compareVersions */.Zy)(version, other) === 0;
}
function sameVersionText(a, b) {
    const parsed = (0,version_constraints/* parseVersion */.ot)(a);
    return parsed ? sameVersion(parsed, b) : a === b;
}

;// CONCATENATED MODULE: ./src/dependencies/file-source.ts






/** `file://<path>`: a chart directory inside the workspace, with its own dependencies built in turn. */
async function fromDirectory(services, ctx, dependency, locked) {
    const path = dependency.repository.slice('file://'.length);
    const target = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(ctx.dir, path);
    const workspace = await (0,promises_.realpath)(services.workspace);
    let real;
    try {
        real = await (0,promises_.realpath)(target);
    }
    catch {
        throw new chart_repository.RepositoryError(`directory ${relativeTo(services.workspace, target)} not found`);
    }
    if (real !== workspace && !real.startsWith(workspace + external_node_path_.sep)) {
        throw new chart_repository.RepositoryError(`${dependency.repository} leads to ${real}, outside the workspace; a file:// dependency must be a chart directory in this repository`);
    }
    if (ctx.stack.includes(real)) {
        const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(workspace, d));
        throw new chart_repository.RepositoryError(`dependency cycle: ${chain.join(' \u2192 ')}; a chart cannot contain itself`);
    }
    const chart = await services.localChart(real, ctx.stack);
    const version = (0,version_constraints/* parseVersion */.ot)(chart.metadata.version);
    const wanted = locked ?? dependency.version;
    const ok = locked !== undefined
        ? version !== undefined && sameVersion(version, locked)
        : version !== undefined && constraintOf(dependency).check(version);
    if (!ok) {
        throw new chart_repository.RepositoryError(`${relativeTo(workspace, real)} is version ${chart.metadata.version}, but ${locked !== undefined ? `${ctx.lockFile} locks ${wanted}` : `the range is "${wanted}"`}` +
            (locked !== undefined ? `; run "helm dependency update" and commit the lock file` : ''));
    }
    services.logger.info(`${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/`);
    return { dependency, version: chart.metadata.version, added: chart };
}

;// CONCATENATED MODULE: ./src/dependencies/dependency-source.ts

/** Above Helm's 100 MiB decompressed-chart limit (\u00a71.14): no valid chart archive is larger. */
const MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;
function versionNotFound(ctx, dependency, locked, url, available) {
    const list = available.slice(0, 8).map((v) => v.original);
    const offered = list.length ? `available: ${list.join(', ')}${available.length > list.length ? ', \u2026' : ''}` : 'it offers no versions';
    return new chart_repository.RepositoryError(locked !== undefined
        ? `version ${locked} (locked in ${ctx.lockFile}) not found in ${(0,chart_repository.displayUrl)(url)} (${offered}); it may have been removed: run "helm dependency update" and commit the lock file`
        : `no version matching "${dependency.version}" in ${(0,chart_repository.displayUrl)(url)} (${offered})`);
}

;// CONCATENATED MODULE: ./src/dependencies/repository-source.ts




/** `https://` (or http://) chart repositories: the version from index.yaml, the archive checked against its digest. */
async function fromChartRepository(services, ctx, dependency, locked) {
    const repositoryUrl = dependency.repository;
    const index = await services.repositories.index(repositoryUrl);
    const versions = index.entries.get(dependency.name);
    if (!versions || versions.length === 0) {
        throw new chart_repository.RepositoryError(`chart "${dependency.name}" not found in ${(0,chart_repository.displayUrl)(repositoryUrl)} (its index.yaml has no entry of that name)`);
    }
    const usable = versions.filter((v) => v.urls.length > 0);
    let entry;
    if (locked !== undefined) {
        entry = usable.find((v) => v.version.original === locked) ?? usable.find((v) => sameVersion(v.version, locked));
    }
    else {
        const range = constraintOf(dependency);
        entry = usable.find((v) => range.check(v.version));
    }
    if (!entry)
        throw versionNotFound(ctx, dependency, locked, repositoryUrl, usable.map((v) => v.version));
    const url = (0,chart_repository.resolveReferenceUrl)(repositoryUrl, entry.urls[0]);
    const chart = await services.download(url, dependency.name, entry.version.original, async () => {
        const cached = entry.digest ? await services.cache.get(`sha256:${entry.digest}`) : undefined;
        const bytes = cached ?? (await services.repositories.download(url, repositoryUrl, MAX_ARCHIVE_BYTES));
        const digest = (0,oci_digest/* sha256Digest */.sI)(bytes);
        if (entry.digest && digest !== `sha256:${entry.digest}`) {
            throw new chart_repository.RepositoryError(`${(0,chart_repository.displayUrl)(url)} does not match the digest sha256:${entry.digest} that the index.yaml of ${(0,chart_repository.displayUrl)(repositoryUrl)} gives for it (got ${digest}); ` +
                'the repository is inconsistent or the download was altered');
        }
        if (!cached)
            await services.cache.put(digest, bytes);
        return { bytes, digest };
    });
    return { dependency, version: entry.version.original, added: chart };
}

;// CONCATENATED MODULE: ./src/dependencies/vendored-source.ts




// Charts already in charts/ (a directory or a .tgz), as `helm package` finds them.
/** The subchart already in charts/ that satisfies the dependency, if any. */
function presentInCharts(ctx, dependency, locked) {
    const candidates = ctx.chart.dependencies.filter((s) => s.metadata.name === dependency.name);
    // A dependency without repository is locked with its range as written (resolver.Resolve).
    const exact = dependency.repository === '' ? undefined : locked;
    const range = exact === undefined ? constraintOrUndefined(dependency) : undefined;
    return candidates.find((s) => {
        const version = (0,version_constraints/* parseVersion */.ot)(s.metadata.version);
        if (exact !== undefined)
            return version ? sameVersion(version, exact) : s.metadata.version === exact;
        // Helm does not compare versions when it packages; without a usable range, any will do.
        return !range || (version !== undefined && range.check(version));
    });
}
/** `repository: ""`: the chart must be in charts/ already (present() found none that fits). */
function fromChartsDir(services, ctx, dependency) {
    const found = ctx.chart.dependencies.find((s) => s.metadata.name === dependency.name);
    const where = `${relativeTo(services.workspace, ctx.dir)}/charts/`;
    throw dependencyFailure(ctx, dependency, found
        ? `${where}${dependency.name} is version ${found.metadata.version}, which the range "${dependency.version}" does not accept`
        : `it has no repository, so it must be in ${where} (as a directory or .tgz); add it there or give its repository`);
}

// EXTERNAL MODULE: ./src/shared/sha256.ts
var sha256 = __webpack_require__(81510);
;// CONCATENATED MODULE: ./src/dependencies/lock-digest.ts


/**
 * The `digest` of Chart.lock: Helm's `resolver.HashReq` (internal/resolver/resolver.go @H4), the
 * sha256 of encoding/json of `[Chart.yaml dependencies, lock dependencies]`, written
 * `sha256:<hex>`. `helm dependency build` refuses a lock whose digest differs from the one
 * computed from the chart as it is now ("Chart.lock is out of sync").
 */
function lockDigest(requested, locked) {
    return `sha256:${(0,sha256/* sha256Hex */.f)(`[${dependencyListJson(requested)},${dependencyListJson(locked)}]`)}`;
}
/**
 * The digest Helm 2 wrote into requirements.lock (`resolver.HashV2Req`, helm/helm#7233): the
 * sha256 of `{"dependencies": [...]}`. Helm 3 and 4 still accept it for apiVersion v1 charts.
 */
function legacyLockDigest(requested) {
    return `sha256:${(0,sha256/* sha256Hex */.f)(`{"dependencies":${dependencyListJson(requested)}}`)}`;
}
function dependencyListJson(list) {
    return list === null ? 'null' : `[${list.map(chart_metadata/* dependencyJson */.MQ).join(',')}]`;
}

;// CONCATENATED MODULE: ./src/dependencies/lock-check.ts






/**
 * Helm's check before `helm dependency build` downloads anything: the lock's digest must be
 * the digest of the dependencies as declared now. Returns the locked version of each
 * declared dependency, by position.
 */
function checkLock(ctx, declared, lock, env) {
    const lockName = baseName(ctx.lockFile);
    const declaredName = baseName(ctx.declaredIn);
    const fix = `run "helm dependency update" in ${relativeTo(env.workspace, ctx.dir)} and commit ${lockName}`;
    const digest = lockDigest(ctx.chart.metadata.dependencies, lock.dependencies);
    const legacy = ctx.chart.metadata.apiVersion === 'v1' && legacyLockDigest(ctx.chart.metadata.dependencies) === lock.digest;
    if (digest !== lock.digest && !legacy) {
        throw new errors/* ChartError */.DA(`${lockName} is out of sync with the dependencies in ${declaredName}: it was made for other dependencies ` +
            `(its digest is ${lock.digest || 'empty'}, the dependencies now give ${digest}); ${fix}`, { file: ctx.lockFile, line: lineOf(ctx.text.lock, /^digest:/) });
    }
    env.logger.debug(`${ctx.lockFile} is in sync with ${ctx.declaredIn} (${lock.digest}${legacy ? ', a Helm 2 digest' : ''})`);
    const entries = (lock.dependencies ?? []).filter((d) => d !== null);
    return declared.map((dependency, i) => {
        const entry = entries[i]?.name === dependency.name ? entries[i] : entries.find((e) => e.name === dependency.name);
        const at = { file: ctx.lockFile, line: lockLine(ctx, dependency.name) };
        if (!entry)
            throw new errors/* ChartError */.DA(`${lockName} has no entry for dependency "${dependency.name}"; ${fix}`, at);
        if (entry.repository !== dependency.repository) {
            throw new errors/* ChartError */.DA(`${lockName} locks "${dependency.name}" from ${(0,chart_repository.displayUrl)(entry.repository) || '(no repository)'}, but ${declaredName} now names ` +
                `${(0,chart_repository.displayUrl)(dependency.repository) || '(no repository)'}; ${fix}`, at);
        }
        const range = constraintOrUndefined(dependency);
        const version = (0,version_constraints/* parseVersion */.ot)(entry.version);
        if (dependency.repository !== '' && range && (!version || !range.check(version))) {
            throw new errors/* ChartError */.DA(`${lockName} locks "${dependency.name}" at ${entry.version || '(no version)'}, which the range "${dependency.version}" in ` +
                `${declaredName} does not accept; ${fix}`, at);
        }
        return entry.version;
    });
}
/**
 * For a chart packaged with the charts/ it has (nothing to build): Helm matches vendored charts
 * to dependencies by name only, so an archive of another version than the locked one is packaged
 * silently. Warns on the lock line of each.
 */
function warnVendoredOffLock(ctx, lock, env) {
    const { chart } = ctx;
    for (const entry of lock.dependencies ?? []) {
        // A dependency without repository is locked with its range as written: nothing to compare.
        if (!entry || entry.repository === '')
            continue;
        const vendored = chart.dependencies.filter((s) => s.metadata.name === entry.name);
        if (vendored.length === 0 || vendored.some((s) => sameVersionText(s.metadata.version, entry.version)))
            continue;
        const found = vendored.map((s) => `${s.location} is version ${s.metadata.version}`).join(', ');
        env.logger.warning(`${found}, but ${baseName(ctx.lockFile)} locks ${entry.name} ${entry.version}. Helm packages what charts/ holds (it matches ` +
            `dependencies by name only), so the package carries ${vendored.map((s) => s.metadata.version).join(', ')}: run ` +
            `"helm dependency build" in ${relativeTo(env.workspace, ctx.dir)} and commit charts/ to package the locked version`, { file: ctx.lockFile, line: lockLine(ctx, entry.name), title: 'Vendored chart is not the locked version' });
    }
}

// EXTERNAL MODULE: ./src/chart/helm-manifest.ts
var helm_manifest = __webpack_require__(51206);
// EXTERNAL MODULE: ./src/chart/oci-media-types.ts
var oci_media_types = __webpack_require__(61312);
;// CONCATENATED MODULE: ./src/dependencies/oci-source.ts












/** Where Helm looks for chart `name` under the dependency repository `url` (`oci://\u2026`). */
function ociLocation(url, name) {
    const parsed = (0,reference/* parseOciNamespace */.G4)(url);
    if (!parsed.ok)
        throw new chart_repository.RepositoryError(namespaceProblem(url, name, parsed));
    const repository = [parsed.namespace, name].filter((p) => p !== '').join('/');
    if (!(0,reference/* isValidRepository */.d)(repository))
        throw new chart_repository.RepositoryError(invalidRepository(parsed.registry, repository));
    return { registry: parsed.registry, repository, url };
}
function namespaceProblem(url, name, parse) {
    switch (parse.problem) {
        case 'scheme':
            return `${url} is not an oci:// URL`;
        case 'credentials':
            // Never repeated: the text holds a password.
            return 'the repository URL must not contain credentials (user:password@): give them in the dependency-credentials input';
        case 'digest':
            return `${url} must not contain a digest: write the registry namespace, e.g. oci://ghcr.io/acme/charts`;
        case 'registry':
            return `${url}: "${parse.registry}" is not a registry host (expected oci://host[:port]/namespace)`;
        case 'tag':
            return `${url} must not contain a tag (":${parse.tag}"): the dependency's version selects the tag; write ${parse.untagged}`;
        case 'namespace':
            return invalidRepository(parse.registry, `${parse.namespace}/${name}`);
    }
}
function invalidRepository(registry, repository) {
    return `${registry}/${repository} is not a valid OCI repository name (lowercase letters, digits and "._-" separators only)`;
}
/** The repository URL ends with the chart's own name: Helm would look under `<name>/<name>`. */
function repeatsChartName(location) {
    const parts = location.repository.split('/');
    return parts.length >= 2 && parts.at(-1) === parts.at(-2);
}
/** The versions a repository's tags offer, newest first (strict SemVer only, `_` read as `+`). */
async function ociVersions(repository) {
    const tags = await repository.listTags();
    const versions = [];
    for (const tag of tags) {
        const version = (0,version_constraints/* parseStrictVersion */.tD)(tag.replaceAll('_', '+'));
        if (version)
            versions.push(version);
    }
    return versions.sort(version_constraints/* newestFirst */.ll);
}
/**
 * The chart layer of `<repository>:<version>`. `cached` may return the bytes of a layer whose
 * digest is already known, to skip the download.
 */
async function pullChart(repository, version, maxBytes, cached) {
    const tag = (0,chart_metadata/* ociTag */.uR)(version);
    const manifest = await repository.getManifest(tag);
    let parsed;
    try {
        parsed = (0,helm_manifest/* readHelmManifest */.g)(manifest.bytes);
    }
    catch (error) {
        throw new chart_repository.RepositoryError(`the manifest of ${repository.displayName}:${tag} is not JSON`, undefined, { cause: error });
    }
    const configType = parsed.configMediaType;
    if (configType !== oci_media_types/* HELM_CONFIG_MEDIA_TYPE */.A5) {
        throw new chart_repository.RepositoryError(`${repository.displayName}:${tag} is not a Helm chart: its config media type is ${JSON.stringify(configType ?? null)}, ` +
            `not ${oci_media_types/* HELM_CONFIG_MEDIA_TYPE */.A5}`);
    }
    const layer = parsed.chart;
    if (layer?.digest === undefined || layer.size === undefined) {
        throw new chart_repository.RepositoryError(`the manifest of ${repository.displayName}:${tag} does not contain a layer with media type ${oci_media_types/* HELM_CHART_MEDIA_TYPE */.y$}`);
    }
    // Checked here so that a bad manifest is the registry's fault in the message, not a TypeError
    // from the client's own argument check.
    if (!(0,oci_digest/* parseDigest */.m)(layer.digest)) {
        throw new chart_repository.RepositoryError(`the manifest of ${repository.displayName}:${tag} gives its chart layer the digest ${JSON.stringify(layer.digest.slice(0, 150))}, ` +
            'which is not "sha256:" or "sha512:" followed by lowercase hex; the artifact is malformed');
    }
    if (layer.size > maxBytes) {
        throw new chart_repository.RepositoryError(`the chart layer of ${repository.displayName}:${tag} is ${layer.size} bytes, more than a chart archive can be (${maxBytes})`);
    }
    const { digest, size } = layer;
    const bytes = (await cached(digest)) ?? (await repository.fetchBlob(digest, { maxBytes: size }));
    return { bytes, digest, manifestDigest: manifest.descriptor.digest };
}
/** `oci://`: the chart from a registry, or from this run's charts when the run publishes it there. */
async function fromRegistry(services, ctx, dependency, locked) {
    const location = ociLocation(dependency.repository, dependency.name);
    const repository = services.registry(location.registry).repository(location.registry, location.repository);
    const siblings = await services.target.provides(location, dependency.name);
    let version = locked;
    // Helm takes a version that parses as one as the tag itself; only a range lists tags.
    if (version === undefined && (0,version_constraints/* parseVersion */.ot)(dependency.version))
        version = dependency.version;
    if (version === undefined) {
        const range = constraintOf(dependency);
        let tags = [];
        try {
            tags = await ociVersions(repository);
        }
        catch (error) {
            if (!(isNotFound(error) && siblings.length > 0))
                throw registryFailure(error, location, dependency);
        }
        const candidates = [...tags, ...siblings.flatMap((s) => (0,version_constraints/* parseVersion */.ot)(s.version) ?? [])].sort((a, b) => (0,version_constraints/* compareVersions */.Zy)(b, a));
        const chosen = candidates.find((v) => range.check(v));
        if (!chosen)
            throw versionNotFound(ctx, dependency, undefined, dependency.repository, candidates);
        version = chosen.original;
    }
    const wanted = version;
    const sibling = siblings.find((s) => s.version === wanted) ?? siblings.find((s) => sameVersionText(s.version, wanted));
    if (sibling) {
        const real = await (0,promises_.realpath)(sibling.dir);
        if (ctx.stack.includes(real)) {
            const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(services.workspace, d));
            throw new chart_repository.RepositoryError(`dependency cycle among the charts of this run: ${chain.join(' \u2192 ')}`);
        }
        const chart = await services.localChart(real, ctx.stack);
        services.logger.info(`${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/, which this run publishes to ${dependency.repository}`);
        return { dependency, version: chart.metadata.version, added: chart };
    }
    const tag = (0,chart_metadata/* ociTag */.uR)(wanted);
    const label = `oci://${location.registry}/${location.repository}:${tag}`;
    const chart = await services.download(label, dependency.name, wanted, async () => {
        try {
            const pulled = await pullChart(repository, wanted, MAX_ARCHIVE_BYTES, (digest) => services.cache.get(digest));
            await services.cache.put(pulled.digest, pulled.bytes);
            return { bytes: pulled.bytes, digest: pulled.digest };
        }
        catch (error) {
            if (isNotFound(error))
                throw missingTag(location, dependency, wanted, locked, error);
            throw registryFailure(error, location, dependency);
        }
    });
    return { dependency, version: wanted, added: chart };
}
function missingTag(location, dependency, version, locked, cause) {
    if (repeatsChartName(location)) {
        const namespace = dependency.repository.replace(/\/+$/, '');
        return new chart_repository.RepositoryError(`${namespace} already ends with the chart name "${dependency.name}": Helm appends /<name>:<version>, so it looks in ` +
            `${location.registry}/${location.repository}, which does not exist; write repository: ${namespace.slice(0, namespace.lastIndexOf('/'))}`, 404, { cause });
    }
    return new chart_repository.RepositoryError(`version ${version}${locked !== undefined ? ' (locked)' : ''} not found: ${location.registry}/${location.repository} has no tag ${(0,chart_metadata/* ociTag */.uR)(version)}`, 404, { cause });
}
function registryFailure(error, location, dependency) {
    if (isNotFound(error) && repeatsChartName(location))
        return missingTag(location, dependency, dependency.version, undefined, error);
    if (isNotFound(error)) {
        return new chart_repository.RepositoryError(`${location.registry}/${location.repository} does not exist (${error.message})`, 404, {
            cause: error,
        });
    }
    return error;
}
function isNotFound(error) {
    return error instanceof registry_error/* RegistryError */.gl && error.status === 404;
}

// EXTERNAL MODULE: ./src/dependencies/repository-credentials.ts
var repository_credentials = __webpack_require__(68170);
;// CONCATENATED MODULE: ./src/dependencies/run-target.ts





/**
 * The one place that knows the run's target: whether an oci:// dependency is a repository this
 * run publishes to, and which of the run's charts will be there. Charts published together may
 * depend on each other that way; the dependency is then taken from the workspace.
 */
class RunTarget {
    workspace;
    run;
    charts;
    constructor(workspace, run) {
        this.workspace = workspace;
        this.run = run;
    }
    /** Whether `location` is the repository this run publishes chart `name` to. */
    holds(location, name) {
        return this.run !== undefined && `${location.registry}/${location.repository}` === (0,reference/* repositoryUnder */.vt)(this.run.target, name);
    }
    /** Whether the dependency's repository text (`oci://\u2026`) names the run's target for chart `name`. */
    names(repository, name) {
        if (!this.run || !repository.startsWith('oci://'))
            return false;
        try {
            return this.holds(ociLocation(repository, name), name);
        }
        catch {
            return false;
        }
    }
    /** The charts of this run that the target will hold at `location` (any version). */
    async provides(location, name) {
        const run = this.run;
        if (!run || !this.holds(location, name))
            return [];
        this.charts ??= Promise.all(run.charts.map(async (path) => {
            const dir = (0,external_node_path_.resolve)(this.workspace, path);
            try {
                const { metadata } = (0,chart_metadata/* parseChartYaml */.zO)(await (0,promises_.readFile)((0,external_node_path_.join)(dir, 'Chart.yaml')), `${path}/Chart.yaml`);
                return [{ dir, name: metadata.name, version: metadata.version }];
            }
            catch {
                // A chart that cannot be read fails on its own; it provides nothing here.
                return [];
            }
        })).then((lists) => lists.flat());
        return (await this.charts).filter((c) => c.name === name);
    }
}

;// CONCATENATED MODULE: ./src/dependencies/dependency-builder.ts

























function createDependencyBuilder(options) {
    const builder = new Builder(options);
    return { build: (chart, path) => builder.build(chart, path), checkVendored: (chart, path) => builder.checkVendored(chart, path) };
}
/** What Go's zero time.Time marshals to: the lock we generate carries no wall-clock time. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const DOWNLOAD_CONCURRENCY = 4;
class Builder {
    options;
    logger;
    repositories;
    cache;
    registries = new Map();
    downloads = new Map();
    localCharts = new Map();
    target;
    services;
    /** build() calls run one after another, so that a dependency cycle is seen, never awaited. */
    queue = Promise.resolve();
    constructor(options) {
        this.options = options;
        this.logger = options.logger;
        this.cache = new ArchiveCache(options.cacheDir, options.logger);
        this.target = new RunTarget(options.workspace, options.run);
        this.repositories = new chart_repository.ChartRepositoryClient({
            logger: options.logger,
            credentials: options.credentials ?? [],
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.retry ? { retry: options.retry } : {}),
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
            userAgent: `oci-chart-publish/${options.version ?? 'dev'}`,
            ...(options.deadline ? { deadline: options.deadline } : {}),
        });
        this.services = {
            workspace: options.workspace,
            logger: options.logger,
            cache: this.cache,
            repositories: this.repositories,
            target: this.target,
            registry: (host) => this.registry(host),
            localChart: (real, stack) => this.localChart(real, stack),
            download: (source, name, version, fetchBytes) => this.download(source, name, version, fetchBytes),
        };
    }
    build(chart, path) {
        const next = this.queue.then(async () => {
            const dir = (0,external_node_path_.resolve)(this.options.workspace, path);
            return this.complete(chart, dir, [await (0,promises_.realpath)(dir)]);
        });
        this.queue = next.catch(() => undefined);
        return next;
    }
    async checkVendored(chart, path) {
        if (!chart.lock)
            return;
        const ctx = await readDeclaration(this.options.workspace, chart, (0,external_node_path_.resolve)(this.options.workspace, path), []);
        warnVendoredOffLock(ctx, chart.lock, { workspace: this.options.workspace, logger: this.logger });
    }
    /** The chart with all its declared dependencies among its subcharts. */
    async complete(chart, dir, stack) {
        const declared = (chart.metadata.dependencies ?? []).filter((d) => d !== null);
        if (declared.length === 0)
            return chart;
        const ctx = await readDeclaration(this.options.workspace, chart, dir, stack);
        const lock = chart.lock;
        const locked = lock ? checkLock(ctx, declared, lock, { workspace: this.options.workspace, logger: this.logger }) : undefined;
        // Local charts one after another (a cycle must be met on the stack, not awaited); downloads
        // in parallel. Every dependency is tried, so that all that fail are reported together.
        const resolutions = new Array(declared.length);
        const failures = [];
        const attempt = async (i) => {
            const dependency = declared[i];
            try {
                resolutions[i] = await this.resolve(ctx, dependency, locked?.[i]);
            }
            catch (error) {
                failures.push({ index: i, dependency, error, line: dependencyLine(ctx, dependency.name) });
            }
        };
        const remote = [];
        for (const [i, dependency] of declared.entries()) {
            const kept = presentInCharts(ctx, dependency, locked?.[i]);
            if (kept) {
                this.logger.debug(`${dependency.name}: ${kept.location} (${kept.metadata.version}) satisfies it and is used as it is`);
                resolutions[i] = { dependency, version: locked?.[i] ?? kept.metadata.version, kept };
                continue;
            }
            if (this.mayBeLocal(dependency)) {
                await attempt(i);
            }
            else {
                remote.push(i);
            }
        }
        await (0,concurrency/* mapLimit */.s)(remote, DOWNLOAD_CONCURRENCY, attempt);
        if (failures.length > 0) {
            const failureContext = {
                chartName: chart.metadata.name,
                chartDir: relativeTo(this.options.workspace, dir),
                declaredIn: ctx.declaredIn,
                declaredCount: declared.length,
            };
            const [only] = failures;
            if (failures.length === 1 && only && isNetworkFailure(only.error))
                this.logger.info(remedy(failures, failureContext));
            throw combineFailures(failures, failureContext);
        }
        if (!lock && resolutions.some((r) => r.added)) {
            this.logger.warning(`${chart.metadata.name} has no ${ctx.lockFile.slice(ctx.lockFile.lastIndexOf('/') + 1)}: its dependencies were resolved to ` +
                `the newest matching versions (${resolutions.map((r) => `${r.dependency.name} ${r.version}`).join(', ')}); ` +
                `run "helm dependency update" and commit the lock file to publish exactly these versions every time`, { file: ctx.declaredIn, line: dependencyLine(ctx, undefined), title: 'Dependencies not locked' });
        }
        return this.assemble(ctx, resolutions, lock);
    }
    /** Whether resolving may build a chart of the workspace (then never in parallel with another). */
    mayBeLocal(dependency) {
        const { repository } = dependency;
        return repository === '' || repository.startsWith('file://') || this.target.names(repository, dependency.name);
    }
    async resolve(ctx, dependency, locked) {
        const repository = dependency.repository;
        try {
            // A range Helm cannot read is reported before anything is looked up.
            if (locked === undefined && repository !== '')
                constraintOf(dependency);
            if (repository === '')
                return fromChartsDir(this.services, ctx, dependency);
            if (repository.startsWith('file://'))
                return await fromDirectory(this.services, ctx, dependency, locked);
            if (repository.startsWith('oci://'))
                return await fromRegistry(this.services, ctx, dependency, locked);
            if (/^https?:\/\//i.test(repository))
                return await fromChartRepository(this.services, ctx, dependency, locked);
        }
        catch (error) {
            throw this.wrap(ctx, dependency, error);
        }
        if (repository.startsWith('@') || repository.startsWith('alias:')) {
            throw dependencyFailure(ctx, dependency, `"${repository}" names a repository added with "helm repo add"; write its URL instead (e.g. https://charts.example.com or ` +
                'oci://registry.example.com/charts): dependencies are fetched straight from their URLs');
        }
        throw dependencyFailure(ctx, dependency, `repository "${repository}" is not supported: use an https:// chart repository, an oci:// registry namespace, ` +
            'a file:// path, or leave it empty for a chart kept in charts/');
    }
    /** A chart directory of the workspace with its own dependencies built; once per directory. */
    localChart(real, stack) {
        let chart = this.localCharts.get(real);
        if (!chart) {
            chart = (async () => {
                // Loaded by its path inside the workspace, so that its location reads like the charts of the run.
                const inside = relativeTo(await (0,promises_.realpath)(this.options.workspace), real);
                const loaded = await (0,chart_loader/* loadChart */.Ty)(inside, { workspace: this.options.workspace, logger: this.logger });
                return (0,chart_loader/* missingDependencies */.kc)(loaded).length > 0 ? this.complete(loaded, real, [...stack, real]) : loaded;
            })();
            this.localCharts.set(real, chart);
        }
        return chart;
    }
    registry(host) {
        const plain = (this.options.plainHttpHosts ?? []).includes(host);
        let client = this.registries.get(plain);
        if (!client) {
            client = new registry_client/* RegistryClient */.bP({
                plainHttp: plain,
                credentials: (0,repository_credentials/* withRepositoryCredentials */.zv)(this.options.registryCredentials, this.options.credentials ?? [], this.logger),
                logger: this.logger,
                ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
                ...(this.options.retry ? { retry: this.options.retry } : {}),
                ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
                ...(this.options.version ? { version: this.options.version } : {}),
                ...(this.options.deadline ? { deadline: this.options.deadline } : {}),
            });
            this.registries.set(plain, client);
        }
        return client;
    }
    /**
     * A downloaded archive, checked and loaded once per source: well-formed gzip and tar within
     * Helm's limits (\u00a71.14), a valid chart, the expected name and version. Messages, logs and the
     * chart's location name the source without its query (see displayUrl).
     */
    download(source, name, version, fetchBytes) {
        let chart = this.downloads.get(source);
        if (!chart) {
            const shown = (0,chart_repository.displayUrl)(source);
            chart = (async () => {
                const { bytes, digest } = await fetchBytes();
                let loaded;
                try {
                    loaded = await (0,chart_loader/* loadChartArchive */.Pg)(bytes, shown, this.logger);
                }
                catch (error) {
                    if (error instanceof archive_reader/* ArchiveError */.di || error instanceof errors/* ChartError */.DA) {
                        throw new chart_repository.RepositoryError(`${shown} is not a usable chart archive: ${error.message}`, undefined, { cause: error });
                    }
                    throw error;
                }
                if (loaded.metadata.name !== name) {
                    throw new chart_repository.RepositoryError(`${shown} contains chart "${loaded.metadata.name}", not "${name}"; the repository serves the wrong archive`);
                }
                const got = (0,version_constraints/* parseVersion */.ot)(loaded.metadata.version);
                if (!got || !sameVersion(got, version)) {
                    throw new chart_repository.RepositoryError(`${shown} contains ${name} version ${loaded.metadata.version}, not ${version}; the repository serves the wrong archive`);
                }
                const missing = (0,chart_loader/* missingDependencies */.kc)(loaded);
                if (missing.length > 0) {
                    this.logger.warning(`${shown} was published without its own dependencies (${missing.join(', ')}); Helm cannot install it as it is`);
                }
                this.logger.info(`${name} ${version}: ${shown} (${digest}, ${bytes.byteLength} bytes)`);
                return loaded;
            })();
            this.downloads.set(source, chart);
        }
        return chart;
    }
    /** The chart with the resolutions applied: subcharts in name order, the lock, and for v1 its file. */
    assemble(ctx, resolutions, lock) {
        const { chart } = ctx;
        const kept = new Set(resolutions.flatMap((r) => (r.kept ? [r.kept] : [])));
        const replaced = new Set(resolutions.flatMap((r) => (r.added ? [r.dependency.name] : [])));
        const subcharts = [];
        for (const sub of chart.dependencies) {
            if (replaced.has(sub.metadata.name) && !kept.has(sub)) {
                this.logger.warning(`${sub.location} (${sub.metadata.name} ${sub.metadata.version}) does not match what ${ctx.declaredIn} asks for; the package carries the version built instead`, { file: ctx.declaredIn, line: dependencyLine(ctx, sub.metadata.name) });
                continue;
            }
            subcharts.push(sub);
        }
        for (const r of resolutions) {
            if (!r.added || subcharts.includes(r.added))
                continue;
            // Two aliases of one chart and version share one copy, as Helm downloads it once.
            if (subcharts.some((s) => s.metadata.name === r.added?.metadata.name && s.metadata.version === r.added.metadata.version))
                continue;
            subcharts.push(r.added);
        }
        subcharts.sort((a, b) => (0,byte_order/* compareBytewise */.G)(a.metadata.name, b.metadata.name) || (0,byte_order/* compareBytewise */.G)(a.metadata.version, b.metadata.version));
        const built = { ...chart, dependencies: subcharts };
        // A lock is generated only for what was built, as `helm dependency update` would write it;
        // a chart whose charts/ already had everything is packaged as `helm package` packages it.
        if (!lock && resolutions.some((r) => r.added)) {
            const entries = resolutions.map((r) => ({
                name: r.dependency.name,
                version: r.dependency.repository === '' ? r.dependency.version : r.version,
                repository: r.dependency.repository,
                condition: '',
                tags: null,
                enabled: false,
                'import-values': null,
                alias: '',
            }));
            built.lock = { generated: ZERO_TIME, digest: lockDigest(chart.metadata.dependencies, entries), dependencies: entries };
            if (chart.metadata.apiVersion === 'v1') {
                // Helm 3 writes requirements.lock for v1 charts, and `helm package` keeps it as a file.
                const file = { name: 'requirements.lock', data: Buffer.from((0,chart_metadata/* marshalLock */.A2)(built.lock)) };
                const files = chart.files.filter((f) => f.name !== file.name);
                const at = files.findIndex((f) => walkOrder(f.name, file.name) > 0);
                files.splice(at < 0 ? files.length : at, 0, file);
                built.files = files;
            }
        }
        return built;
    }
    wrap(ctx, dependency, error) {
        // Errors of a file:// chart point at its own files.
        if (error instanceof errors/* ChartError */.DA)
            return error;
        if (error instanceof registry_error/* RegistryError */.gl && (error.status === 401 || error.status === 403)) {
            const namespace = (0,reference/* parseOciNamespace */.G4)(dependency.repository);
            if (namespace.ok) {
                return dependencyFailure(ctx, dependency, `${error.message}; for a private registry add a line "oci://${namespace.registry} <username>:<password>" to the ` +
                    'dependency-credentials input, or log in to it before this step (Docker or Helm registry config)', error);
            }
        }
        if (error instanceof errors/* DomainError */.Jk)
            return dependencyFailure(ctx, dependency, error.message, error);
        return error;
    }
}
/** Helm's walk order of two chart paths: depth first, names in byte order per directory. */
function walkOrder(a, b) {
    const as = a.split('/');
    const bs = b.split('/');
    for (let i = 0; i < Math.min(as.length, bs.length); i++) {
        const d = (0,byte_order/* compareBytewise */.G)(as[i], bs[i]);
        if (d !== 0)
            return d;
    }
    return as.length - bs.length;
}


/***/ }),

/***/ 68170:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FX: () => (/* binding */ credentialFor),
/* harmony export */   zv: () => (/* binding */ withRepositoryCredentials)
/* harmony export */ });
/* unused harmony export prefixCovers */
/* harmony import */ var _oci_credentials_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(22559);

/**
 * True when `prefix` covers `url`: same scheme and host (port included), and the path equal to
 * the prefix's path or below it at a `/` boundary, so `https://h/private` covers
 * `https://h/private/stable` but not `https://h/private-other`. Queries are ignored.
 */
function prefixCovers(prefix, url) {
    const p = parseUrl(prefix);
    const u = parseUrl(url);
    if (!p || !u || p.protocol !== u.protocol || p.host !== u.host)
        return false;
    const base = p.pathname.replace(/\/+$/, '');
    const path = u.pathname;
    return base === '' || path === base || path.startsWith(`${base}/`);
}
/** The credential whose prefix covers `url`; the longest prefix wins. */
function credentialFor(url, credentials) {
    let best;
    for (const credential of credentials) {
        if (!prefixCovers(credential.prefix, url))
            continue;
        if (!best || pathLength(credential.prefix) > pathLength(best.prefix))
            best = credential;
    }
    return best;
}
/**
 * The credential resolver for oci:// dependencies: an `oci://` line of `dependency-credentials`
 * for the host first, then the stores the push uses (Helm and Docker config, the target's
 * inputs, the GitHub token). Registries authenticate per host (helm-oci.md \u00a73.9, \u00a73.11), so an
 * `oci://` prefix applies to its whole host; the first line for a host wins.
 */
function withRepositoryCredentials(base, credentials, logger) {
    // The client asks for the API host (`registry-1.docker.io` for `oci://docker.io/\u2026`), so hosts
    // are compared as credential stores compare them.
    const forHost = (host) => credentials.find((c) => {
        const url = parseUrl(c.prefix);
        return url?.protocol === 'oci:' && (0,_oci_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .sameRegistry */ .cJ)(url.host, host);
    });
    return {
        async resolve(host) {
            const line = forHost(host);
            if (line && line.password) {
                logger.mask(line.password);
                logger.debug(`credentials for ${host}: dependency-credentials line for ${line.prefix}`);
                return {
                    ...(line.username ? { username: line.username } : {}),
                    password: line.password,
                    source: `the dependency-credentials line for ${line.prefix}`,
                };
            }
            return base?.resolve(host);
        },
        describe(host) {
            const places = ['dependency-credentials (oci:// lines)'];
            if (base)
                places.push(base.describe(host));
            return places.join(', ');
        },
    };
}
function parseUrl(text) {
    try {
        const url = new URL(text);
        // WHATWG URL lowercases the host of http(s) only; oci:// keeps it as written.
        return { protocol: url.protocol, host: url.host.toLowerCase(), pathname: url.pathname };
    }
    catch {
        return undefined;
    }
}
function pathLength(prefix) {
    return parseUrl(prefix)?.pathname.replace(/\/+$/, '').length ?? 0;
}


/***/ }),

/***/ 81510:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);

/** The lowercase hex SHA-256 of the bytes, or of the text's UTF-8 bytes. */
function sha256Hex(data) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
}


/***/ })

};

//# sourceMappingURL=451.index.js.map