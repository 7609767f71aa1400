export const id = 414;
export const ids = [414,834];
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

/***/ 39414:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  provenanceUrl: () => (/* binding */ provenanceUrl),
  repositoryPackages: () => (/* binding */ repositoryPackages),
  workspacePackages: () => (/* binding */ workspacePackages)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/dependencies/chart-repository.ts
var chart_repository = __webpack_require__(47834);
// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
// EXTERNAL MODULE: ./src/discovery/charts-dir.ts
var charts_dir = __webpack_require__(55659);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/chart/go/yaml-decode.ts
var yaml_decode = __webpack_require__(83167);
// EXTERNAL MODULE: ./src/chart/go/json-hop.ts
var json_hop = __webpack_require__(63055);
;// CONCATENATED MODULE: ./src/migrate/repository-index.ts



class IndexError extends errors/* DomainError */.Jk {
}
function readRepositoryIndex(text, where) {
    let root;
    try {
        root = (0,yaml_decode/* decodeYaml */.SE)(text);
    }
    catch (error) {
        if (!(error instanceof yaml_decode/* YamlSyntaxError */.nN))
            throw error;
        throw new IndexError(`${where} is not valid YAML (line ${error.line}): ${error.message}`, { cause: error });
    }
    if (root?.kind !== 'map')
        throw new IndexError(`${where} is empty or not a mapping: it is not a Helm repository index`);
    if (!field(root, 'apiVersion'))
        throw new IndexError(`${where} has no apiVersion: it is not a Helm repository index`);
    const entries = field(root, 'entries');
    const out = [];
    if (entries?.kind !== 'map')
        return out;
    for (const { key, value } of entries.entries) {
        const name = (0,yaml_decode/* scalarText */.ws)(key) ?? '';
        const items = value.kind === 'seq' ? value.items : [];
        for (const item of items) {
            if (item.kind !== 'map')
                continue;
            out.push(listedVersion(name, item));
        }
    }
    return out;
}
function listedVersion(name, item) {
    const versionNode = field(item, 'version');
    // A null version is Go's zero string.
    const version = versionNode && versionNode.kind !== 'null' ? ((0,yaml_decode/* scalarText */.ws)(versionNode) ?? '') : '';
    const urlsNode = field(item, 'urls');
    const urls = urlsNode?.kind === 'seq' ? urlsNode.items.flatMap((u) => (u.kind === 'string' && u.value !== '' ? [u.value] : [])) : [];
    const digestNode = field(item, 'digest');
    const digestText = digestNode?.kind === 'string' ? digestNode.value.trim().toLowerCase() : '';
    const deprecatedNode = field(item, 'deprecated');
    const createdNode = field(item, 'created');
    const createdText = createdNode?.kind === 'string' ? (0,json_hop/* normaliseRfc3339 */.KQ)(createdNode.value) : undefined;
    // Whole seconds: the manifest's `created` has no fraction.
    const createdMs = createdText ? Date.parse(createdText.replace(/\.\d+/, '')) : Number.NaN;
    let problem;
    if (!versionNode)
        problem = 'the index entry has no version';
    else if (versionNode.kind !== 'string') {
        problem = `the index entry's version is a YAML ${versionNode.kind} (${version}), not a string: Helm cannot read this entry`;
    }
    else if (urls.length === 0)
        problem = 'the index entry lists no download URL';
    return {
        name,
        version,
        urls,
        // A digest that is not sha256 hex is no statement we can check against.
        digest: /^[0-9a-f]{64}$/.test(digestText) ? digestText : undefined,
        deprecated: deprecatedNode?.kind === 'bool' && deprecatedNode.value,
        created: Number.isFinite(createdMs) ? Math.floor(createdMs / 1000) : undefined,
        problem,
    };
}
function field(map, key) {
    // go-yaml keeps the last of duplicate keys.
    return map.entries.findLast((e) => e.key.kind === 'string' && e.key.value === key)?.value;
}

;// CONCATENATED MODULE: ./src/migrate/existing-packages.ts







// The largest archive downloaded: above Helm's 100 MiB decompressed-chart limit (\u00a71.14).
const MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;
const MAX_PROVENANCE_BYTES = 4 * 1024 * 1024;
// Popular repositories publish indexes of tens of megabytes (every version ever released).
const MAX_INDEX_BYTES = 256 * 1024 * 1024;
/** Every version index.yaml lists, by chart name and newest first. */
async function repositoryPackages(client, repositoryUrl, logger) {
    const indexUrl = (0,chart_repository.resolveReferenceUrl)(repositoryUrl, 'index.yaml');
    let bytes;
    try {
        bytes = await client.download(indexUrl, repositoryUrl, MAX_INDEX_BYTES);
    }
    catch (error) {
        if (error instanceof chart_repository.RepositoryError && error.status === 404) {
            throw new chart_repository.RepositoryError(`${(0,chart_repository.displayUrl)(repositoryUrl)} is not a Helm chart repository: ${(0,chart_repository.displayUrl)(indexUrl)} answered 404 Not Found; ` +
                'give migrate-from the folder that holds index.yaml', 404, { cause: error });
        }
        throw error;
    }
    logger.info(`Read ${(0,chart_repository.displayUrl)(indexUrl)}: ${bytes.byteLength} bytes`);
    let listed;
    try {
        listed = readRepositoryIndex(new TextDecoder().decode(bytes), (0,chart_repository.displayUrl)(indexUrl));
    }
    catch (error) {
        if (error instanceof IndexError)
            throw new chart_repository.RepositoryError(error.message, undefined, { cause: error });
        throw error;
    }
    return sortedByChart(listed).map((entry) => {
        const first = entry.urls[0] ?? '';
        let url;
        let problem = entry.problem;
        if (!problem) {
            try {
                // Helm downloads the first URL only (pkg/downloader ResolveChartVersion), resolved as Helm does.
                url = (0,chart_repository.resolveReferenceUrl)(repositoryUrl, first);
                const scheme = new URL(url).protocol;
                if (scheme !== 'http:' && scheme !== 'https:')
                    problem = `the download URL ${(0,chart_repository.displayUrl)(first)} is not http(s)`;
            }
            catch {
                problem = `the download URL "${(0,chart_repository.displayUrl)(first)}" is not a URL`;
            }
        }
        const location = url ? (0,chart_repository.displayUrl)(url) : `${(0,chart_repository.displayUrl)(repositoryUrl)} ${entry.name} ${entry.version}`;
        return {
            name: entry.name,
            version: entry.version,
            deprecated: entry.deprecated,
            location,
            ...(url ? { downloadUrl: (0,chart_repository.displayUrl)(url) } : {}),
            ...(entry.digest ? { expectedDigest: entry.digest } : {}),
            ...(entry.created !== undefined ? { created: entry.created } : {}),
            ...(problem ? { problem } : {}),
            archive: () => client.download(url ?? '', repositoryUrl, MAX_ARCHIVE_BYTES),
            provenance: async () => {
                if (!url)
                    return undefined;
                try {
                    return await client.download(provenanceUrl(url), repositoryUrl, MAX_PROVENANCE_BYTES);
                }
                catch (error) {
                    if (error instanceof chart_repository.RepositoryError && error.status === 404)
                        return undefined;
                    throw error;
                }
            },
        };
    });
}
/** By chart name, then newest version first, as `helm repo index` sorts; versions Helm cannot read last. */
function sortedByChart(entries) {
    const parsed = new Map(entries.map((e) => [e, (0,version_constraints/* parseVersion */.ot)(e.version)]));
    return [...entries].sort((a, b) => {
        if (a.name !== b.name)
            return a.name < b.name ? -1 : 1;
        const va = parsed.get(a);
        const vb = parsed.get(b);
        if (va && vb)
            return (0,version_constraints/* newestFirst */.ll)(va, vb);
        return va ? -1 : vb ? 1 : 0;
    });
}
/**
 * `<url>.prov`, where Helm looks for an archive's provenance. Helm appends to the whole URL
 * (after any query); here `.prov` goes on the path, so that a query (an access token) stays one.
 */
function provenanceUrl(archiveUrl) {
    const url = new URL(archiveUrl);
    url.pathname = `${url.pathname}.prov`;
    return url.href;
}
/**
 * The .tgz files of the workspace matching the `packages` globs (`*`, `?`, `**`, `[\u2026]`, `!` to
 * exclude), sorted; a folder stands for the .tgz files directly in it. A glob that matches
 * nothing is an input error: a wrong path must not look like an empty migration.
 */
async function workspacePackages(workspace, patterns) {
    const files = await listFiles(workspace);
    const includes = [];
    const excludes = [];
    for (const raw of patterns) {
        const exclude = raw.startsWith('!');
        const text = external_node_path_.posix.normalize((exclude ? raw.slice(1) : raw).trim().replace(/^\.\//, '')).replace(/\/+$/, '');
        if (text.startsWith('../') || text === '..' || text.startsWith('/')) {
            throw new errors/* InputError */.dz('packages', `"${raw}" is outside the workspace; give a path or glob relative to the repository`);
        }
        const folder = !/[*?[\\]/.test(text) && (await isDirectory((0,external_node_path_.join)(workspace, text)));
        const matches = (0,charts_dir/* compileDirGlob */.fg)(folder ? (text === '.' ? '*' : `${text}/*`) : text);
        if (exclude)
            excludes.push(matches);
        else
            includes.push({ raw, matches });
    }
    if (includes.length === 0)
        throw new errors/* InputError */.dz('packages', 'only excludes ("!\u2026"): give the .tgz files or folders to push, e.g. "dist/*.tgz"');
    const chosen = new Set();
    for (const include of includes) {
        const found = files.filter((f) => f.endsWith('.tgz') && include.matches(f) && !excludes.some((x) => x(f)));
        if (found.length === 0)
            throw new errors/* InputError */.dz('packages', `"${include.raw}" matches no .tgz file in the workspace`);
        for (const f of found)
            chosen.add(f);
    }
    const present = new Set(files);
    return [...chosen].sort().map((path) => {
        const file = (0,external_node_path_.join)(workspace, path);
        return {
            name: '',
            version: '',
            deprecated: false,
            location: path,
            file,
            archive: () => (0,promises_.readFile)(file),
            provenance: async () => (present.has(`${path}.prov`) ? (0,promises_.readFile)(`${file}.prov`) : undefined),
        };
    });
}
/** Workspace-relative `/`-separated paths of every file, without .git and node_modules. */
async function listFiles(workspace) {
    const out = [];
    const walk = async (dir, prefix) => {
        let entries;
        try {
            entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
        }
        catch (error) {
            throw new errors/* DomainError */.Jk(`cannot read ${dir}: ${error.code ?? String(error)}`, { cause: error });
        }
        for (const entry of entries) {
            const path = prefix ? `${prefix}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (entry.name !== '.git' && entry.name !== 'node_modules')
                    await walk((0,external_node_path_.join)(dir, entry.name), path);
            }
            else if (entry.isFile())
                out.push(path);
        }
    };
    await walk(workspace, '');
    return out;
}
async function isDirectory(path) {
    try {
        return (await (0,promises_.stat)(path)).isDirectory();
    }
    catch {
        return false;
    }
}


/***/ })

};

//# sourceMappingURL=414.index.js.map