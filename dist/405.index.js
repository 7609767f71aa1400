export const id = 405;
export const ids = [405];
export const modules = {

/***/ 86405:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GithubApiError: () => (/* binding */ GithubApiError),
/* harmony export */   createGithubCompare: () => (/* binding */ createGithubCompare)
/* harmony export */ });
/* harmony import */ var _shared_deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(18013);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58382);


/** A GitHub REST call that failed: the status (0 when no answer came) and GitHub's own message. */
class GithubApiError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DomainError */ .Jk {
    status;
    constructor(message, status, options) {
        super(message, options);
        this.name = 'GithubApiError';
        this.status = status;
    }
}
const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
/** GitHub lists at most this many files for a comparison, on the first page only. */
const COMPARE_FILE_LIMIT = 300;
/** Far more than any tag series needs; a guard against a server whose `next` link never ends. */
const MAX_PAGES = 100;
/**
 * Discovery's fallback when the clone cannot fetch what it needs: the compare API
 * (`GET /repos/{owner}/{repo}/compare/{base}...{head}`; one request, `per_page=1` keeps the
 * commit list small and the file list only comes on the first page anyway) and the tags of a
 * series (`GET /repos/{owner}/{repo}/git/matching-refs/tags/{prefix}`, every page).
 *
 * Two REST calls do not need a client library: plain fetch, with the token sent only to the
 * API's own origin (a `next` link elsewhere is not followed; fetch drops the authorization
 * header on a cross-origin redirect).
 */
function createGithubCompare(options) {
    const [owner, repo, extra] = options.repository.split('/');
    if (!owner || !repo || extra !== undefined) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DomainError */ .Jk(`GITHUB_REPOSITORY is "${options.repository}", expected "owner/name" (e.g. octocat/hello-world): ` +
            'the runner sets it so; a workflow or local run that sets it must keep that form.');
    }
    const api = new GithubApi(options);
    const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
    return {
        async compare(base, head) {
            const basehead = `${encodeURIComponent(base)}...${encodeURIComponent(head)}`;
            const { body } = await api.get(api.url(`${repoPath}/compare/${basehead}?per_page=1&page=1`));
            const data = body;
            if (typeof data.merge_base_commit?.sha !== 'string') {
                throw new GithubApiError(`GitHub's comparison ${base}...${head} has no merge_base_commit.sha`, 200);
            }
            const listed = Array.isArray(data.files) ? data.files : [];
            const files = listed.flatMap((file) => {
                const status = STATUS[file.status];
                if (!status)
                    return [];
                return status === 'R' || status === 'C'
                    ? [{ status, path: file.filename, ...(file.previous_filename ? { previousPath: file.previous_filename } : {}) }]
                    : [{ status, path: file.filename }];
            });
            return { mergeBase: data.merge_base_commit.sha, files, complete: listed.length < COMPARE_FILE_LIMIT };
        },
        async tags(prefix) {
            // matching-refs filters by prefix on the server: one page per 100 tags of the series only.
            const ref = `tags/${prefix.split('/').map(encodeURIComponent).join('/')}`;
            const names = [];
            let next = api.url(`${repoPath}/git/matching-refs/${ref}?per_page=100`);
            for (let page = 0; next && page < MAX_PAGES; page++) {
                const { body, link } = await api.get(next);
                if (!Array.isArray(body))
                    throw new GithubApiError(`GitHub's answer for refs/${ref} is not a list`, 200);
                for (const entry of body) {
                    if (typeof entry.ref === 'string')
                        names.push(entry.ref.replace(/^refs\/tags\//, ''));
                }
                next = link;
            }
            return names;
        },
    };
}
class GithubApi {
    options;
    base;
    fetch;
    timeoutMs;
    constructor(options) {
        this.options = options;
        const text = options.apiUrl || DEFAULT_API_URL;
        try {
            this.base = new URL(text.endsWith('/') ? text : `${text}/`);
        }
        catch (error) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DomainError */ .Jk(`GITHUB_API_URL is "${text}", expected an http(s) URL such as ${DEFAULT_API_URL}`, { cause: error });
        }
        this.fetch = options.fetch ?? globalThis.fetch;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    }
    /** `path` is relative to the API root, which may itself have a path (GHES: /api/v3). */
    url(path) {
        return new URL(path.replace(/^\//, ''), this.base);
    }
    async get(url) {
        const what = `GET ${url.pathname}`;
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const deadline = this.options.deadline ?? _shared_deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .noDeadline */ .Wf;
        const signal = AbortSignal.any([deadline.signal, timeout, ...(this.options.signal ? [this.options.signal] : [])]);
        let response;
        let text;
        try {
            // Listed as in flight by its URL without query, as the run's other requests are.
            ({ response, text } = await deadline.track(`GET ${url.origin}${url.pathname}`, async () => {
                const answer = await this.fetch(url, {
                    headers: {
                        accept: 'application/vnd.github+json',
                        authorization: `Bearer ${this.options.token}`,
                        'x-github-api-version': '2022-11-28',
                        'user-agent': 'oci-chart-publish',
                    },
                    signal,
                });
                return { response: answer, text: await answer.text() };
            }));
        }
        catch (error) {
            if (deadline.signal.aborted)
                throw deadline.signal.reason;
            if (timeout.aborted && !this.options.signal?.aborted) {
                throw new GithubApiError(`${what}: no answer from ${url.origin} within ${this.timeoutMs / 1000} s`, 0, { cause: error });
            }
            if (this.options.signal?.aborted)
                throw new GithubApiError(`${what}: stopped (the run was aborted)`, 0, { cause: error });
            const reason = error instanceof Error ? (error.cause?.code ?? error.message) : String(error);
            throw new GithubApiError(`${what}: cannot reach ${url.origin} (${reason})`, 0, { cause: error });
        }
        if (!response.ok) {
            throw new GithubApiError(`${what}: HTTP ${response.status}${githubMessage(text)}`, response.status);
        }
        let body;
        try {
            body = JSON.parse(text);
        }
        catch (error) {
            throw new GithubApiError(`${what}: the answer is not JSON`, response.status, { cause: error });
        }
        return { body, link: this.nextLink(response.headers.get('link')) };
    }
    /** RFC 8288 `Link: <\u2026>; rel="next"`, followed only on the API's own origin (it carries the token). */
    nextLink(header) {
        if (!header)
            return undefined;
        for (const part of header.split(',')) {
            const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
            if (!match || !/\brel="?next"?/.test(match[2] ?? ''))
                continue;
            const next = new URL(match[1] ?? '', this.base);
            return next.origin === this.base.origin ? next : undefined;
        }
        return undefined;
    }
}
/** GitHub's error bodies are `{"message": "...", "documentation_url": "..."}`. */
function githubMessage(text) {
    try {
        const message = JSON.parse(text).message;
        return typeof message === 'string' && message ? `: ${message.slice(0, 300)}` : '';
    }
    catch {
        return '';
    }
}
const STATUS = {
    added: 'A',
    removed: 'D',
    modified: 'M',
    renamed: 'R',
    copied: 'C',
    changed: 'T',
};


/***/ })

};

//# sourceMappingURL=405.index.js.map