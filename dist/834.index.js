export const id = 834;
export const ids = [834];
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


/***/ })

};

//# sourceMappingURL=834.index.js.map