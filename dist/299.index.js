export const id = 299;
export const ids = [299];
export const modules = {

/***/ 16216:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ CommitHistory)
/* harmony export */ });
/* harmony import */ var _git_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(924);

/** Depths tried in turn to find a merge-base in a shallow clone. */
const DEEPEN_STEPS = [64, 512, 4096];
/**
 * The commits discovery needs, fetched on demand. actions/checkout clones one commit deep by
 * default; rather than asking users for `fetch-depth: 0` (a full clone of a large chart monorepo
 * on every run), the missing commits are fetched: one commit for a tree comparison, and a
 * bounded, growing history when a merge-base is needed. Once the remote has failed (removed,
 * unreachable, no credentials) it is not asked again; the caller falls back to the compare API.
 */
class CommitHistory {
    git;
    logger;
    remote;
    deepenSteps;
    shallow;
    remoteFailure;
    constructor(options) {
        this.git = options.git;
        this.logger = options.logger;
        this.remote = options.remote ?? 'origin';
        this.deepenSteps = options.deepenSteps ?? DEEPEN_STEPS;
    }
    /** Why the remote could not be used, once it failed. */
    get fetchFailure() {
        return this.remoteFailure;
    }
    async isShallow() {
        this.shallow ??= await (0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .isShallowRepository */ .Hw)(this.git);
        return this.shallow;
    }
    /**
     * The commit `rev` names (a commit id, tag, branch or other revision), fetching it from the
     * remote when the clone lacks it. Undefined when it cannot be had.
     */
    async commit(rev) {
        const local = (await (0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveCommit */ .WL)(this.git, rev)) ?? (await this.remoteTracking(rev));
        if (local)
            return local;
        // A refspec ("a:b", "+x") would make git fetch write local refs: only ids and ref names go.
        if (!FETCHABLE.test(rev))
            return undefined;
        if (!(await this.fetch([rev], `commit ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0)(rev)}`)))
            return undefined;
        return (0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveCommit */ .WL)(this.git, isCommitId(rev) ? rev : 'FETCH_HEAD');
    }
    /** The tip of a branch of the remote: the remote-tracking ref when there is one, else fetched. */
    async branchTip(branch) {
        const tracked = await this.remoteTracking(branch);
        if (tracked)
            return tracked;
        if (!(await this.fetch([`refs/heads/${branch}`], `branch ${branch}`)))
            return undefined;
        return (0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveCommit */ .WL)(this.git, 'FETCH_HEAD');
    }
    /** The merge-base of two commits that are present, deepening a shallow clone as needed. */
    async mergeBase(a, b) {
        const first = await this.localMergeBase(a, b);
        if (first)
            return { kind: 'found', sha: first };
        if (!(await this.isShallow()))
            return { kind: 'none' };
        for (const depth of this.deepenSteps) {
            if (this.remoteFailure)
                break;
            this.logger.info(`Shallow clone: fetching ${depth} commits of history to find the merge-base of ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0)(a)} and ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0)(b)}`);
            if (!(await this.fetch([a, b], `history of ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0)(a)} and ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0)(b)}`, depth)))
                break;
            const found = await this.localMergeBase(a, b);
            if (found)
                return { kind: 'found', sha: found };
            this.shallow = undefined;
            // A depth beyond the start of history leaves nothing shallow: the answer is final.
            if (!(await this.isShallow()))
                return { kind: 'none' };
        }
        return {
            kind: 'unknown',
            why: this.remoteFailure ?? `no merge-base within ${this.deepenSteps.at(-1)} commits of history`,
        };
    }
    /** The names of the remote's tags; undefined when the remote cannot be asked. */
    async remoteTags() {
        if (this.remoteFailure)
            return undefined;
        const result = await this.git.run(['ls-remote', '--tags', '--refs', '--end-of-options', this.remote]);
        if (result.exitCode !== 0) {
            this.failed(`git ls-remote --tags ${this.remote}`, result.stderr);
            return undefined;
        }
        return result.stdout
            .split('\n')
            .map((line) => line.slice(line.indexOf('\t') + 1).replace(/^refs\/tags\//, ''))
            .filter((name) => name !== '');
    }
    /** The names of the local repository's tags. */
    async localTags() {
        const out = await this.git.output(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'], 'listing tags');
        return out.split('\n').filter((name) => name !== '');
    }
    async localMergeBase(a, b) {
        const result = await this.git.run(['merge-base', a, b]);
        return result.exitCode === 0 ? result.stdout.trim() : undefined;
    }
    async remoteTracking(branch) {
        if (isCommitId(branch) || branch.startsWith('refs/'))
            return undefined;
        return (0,_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveCommit */ .WL)(this.git, `refs/remotes/${this.remote}/${branch}`);
    }
    async fetch(revs, what, depth) {
        if (this.remoteFailure)
            return false;
        // In a full clone a --depth would make the repository shallow; fetch whole history there.
        const shallow = await this.isShallow();
        const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];
        if (shallow)
            args.push(`--depth=${depth ?? 1}`);
        args.push('--end-of-options', this.remote, ...revs);
        this.logger.debug(`Fetching ${what}: git ${args.join(' ')}`);
        const result = await this.git.run(args);
        if (result.exitCode === 0)
            return true;
        this.failed(`git fetch ${this.remote} ${revs.map(_git_client_js__WEBPACK_IMPORTED_MODULE_0__/* .short */ .h0).join(' ')}`, result.stderr);
        return false;
    }
    failed(command, stderr) {
        this.remoteFailure = `${command} failed: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`;
        this.logger.info(`Cannot fetch from the remote: ${this.remoteFailure}`);
    }
}
const FETCHABLE = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/;
function isCommitId(rev) {
    return /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(rev);
}


/***/ }),

/***/ 924:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hw: () => (/* binding */ isShallowRepository),
/* harmony export */   WL: () => (/* binding */ resolveCommit),
/* harmony export */   h0: () => (/* binding */ short),
/* harmony export */   is: () => (/* binding */ diffCommits),
/* harmony export */   lD: () => (/* reexport safe */ _shared_git_js__WEBPACK_IMPORTED_MODULE_0__.lD)
/* harmony export */ });
/* unused harmony export parseNameStatus */
/* harmony import */ var _shared_git_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(84025);

/** The commit a revision names, or undefined when it is not in the local repository. */
async function resolveCommit(git, rev) {
    // --end-of-options: a `base` input such as "--output=x" must stay a revision.
    const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
async function isShallowRepository(git) {
    const result = await git.run(['rev-parse', '--is-shallow-repository']);
    return result.exitCode === 0 && result.stdout.trim() === 'true';
}
/**
 * The files that differ between two commits, with rename detection, as one `git diff` call.
 * -z keeps paths verbatim (no quoting of unusual names); the other flags neutralise user
 * configuration (diff.relative, color.diff=always, external diff drivers).
 */
async function diffCommits(git, base, head) {
    const out = await git.output(['diff', '--name-status', '-z', '--no-color', '--no-ext-diff', '--no-relative', '--find-renames', base, head, '--'], `comparing ${base} with ${head}`);
    return parseNameStatus(out);
}
/** Parses `git diff --name-status -z`: "M\0path\0", "R100\0old\0new\0". */
function parseNameStatus(out) {
    const fields = out.split('\0');
    const files = [];
    for (let i = 0; i + 1 < fields.length;) {
        const token = fields[i++];
        if (token === '')
            continue;
        const letter = token[0];
        if (letter === 'R' || letter === 'C') {
            const previousPath = fields[i++];
            const path = fields[i++];
            files.push({ status: letter, path, previousPath });
        }
        else {
            const path = fields[i++];
            files.push({ status: letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M', path });
        }
    }
    return files;
}
/** A short commit id for log lines. */
function short(sha) {
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 12) : sha;
}


/***/ }),

/***/ 52299:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findVersionBumpProblems: () => (/* binding */ findVersionBumpProblems)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _chart_metadata_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(45907);
/* harmony import */ var _chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(95422);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(58382);
/* harmony import */ var _commit_history_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(16216);
/* harmony import */ var _git_client_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(924);
/* harmony import */ var _repo_paths_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(15657);








/**
 * A changed chart that exists on the base commit must carry a greater version (SemVer
 * precedence) than it has there; otherwise publishing would overwrite, or be refused for, a
 * version that is already out. Returns one problem per chart, on its Chart.yaml `version:` line;
 * a chart that is new on this side has nothing to be greater than.
 */
async function findVersionBumpProblems(options) {
    const { workspace, logger } = options;
    const git = (0,_git_client_js__WEBPACK_IMPORTED_MODULE_6__/* .createGit */ .lD)(options.runner, workspace);
    const found = await resolveBase(git, options);
    if (!found)
        return [];
    const { sha: base, prefix } = found;
    const problems = await Promise.all(options.charts.map(async (dir) => {
        const file = (0,_repo_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .joinPath */ .uJ)(dir, 'Chart.yaml');
        const shown = await git.run(['show', `${base}:${prefix}${file}`]);
        if (shown.exitCode !== 0) {
            logger.debug(`${dir}: no Chart.yaml on the base commit ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_6__/* .short */ .h0)(base)}: a new chart, no version to exceed`);
            return undefined;
        }
        return checkBump(file, await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(workspace, file), 'utf8'), shown.stdout, base, logger);
    }));
    return problems.filter((p) => p !== undefined);
}
/** The base commit to read Chart.yaml files from, and the workspace's folder in the repository. */
async function resolveBase(git, options) {
    const { base: given, logger } = options;
    const rev = typeof given === 'string' ? given : (given.tip ?? given.sha);
    // git compared these very commits during discovery: they are in the clone, already resolved.
    if (typeof given !== 'string' && given.via === 'git')
        return { sha: rev, prefix: given.prefix };
    const history = new _commit_history_js__WEBPACK_IMPORTED_MODULE_5__/* .CommitHistory */ .g({ git, logger, ...(options.remote ? { remote: options.remote } : {}) });
    const sha = await history.commit(rev);
    if (!sha) {
        logger.warning(`Cannot check version bumps: the base commit ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_6__/* .short */ .h0)(rev)} is not available (${history.fetchFailure ?? 'not found'})`);
        return undefined;
    }
    const prefix = typeof given === 'string'
        ? (await git.output(['rev-parse', '--show-prefix'], `finding the git repository of ${options.workspace}`)).trim()
        : given.prefix;
    return { sha, prefix };
}
function checkBump(file, headText, baseText, base, logger) {
    let head;
    try {
        head = (0,_chart_metadata_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChartYaml */ .zO)(headText, file);
    }
    catch (error) {
        // Validation reports an unreadable Chart.yaml with its own message.
        logger.debug(`${file}: cannot be read (${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .describeError */ .Uc)(error)}); its version bump is not checked`);
        return undefined;
    }
    let baseVersion;
    try {
        baseVersion = (0,_chart_metadata_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChartYaml */ .zO)(baseText, file).metadata.version;
    }
    catch (error) {
        logger.debug(`${file}: the base commit's Chart.yaml cannot be read (${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .describeError */ .Uc)(error)}); no version to compare with`);
        return undefined;
    }
    // Chart versions as Helm reads them (Masterminds/semver: "1.2" and "v1.2.3" are versions).
    const now = (0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_3__/* .parseVersion */ .ot)(head.metadata.version);
    const before = (0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_3__/* .parseVersion */ .ot)(baseVersion);
    // An invalid version is reported by validation, with its own message; nothing to compare here.
    if (!now || !before)
        return undefined;
    if ((0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_3__/* .compareVersions */ .Zy)(now, before) > 0) {
        logger.debug(`${file}: version ${head.metadata.version} > ${baseVersion} on ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_6__/* .short */ .h0)(base)}`);
        return undefined;
    }
    const next = (0,_chart_go_version_constraints_js__WEBPACK_IMPORTED_MODULE_3__/* .nextPatch */ .W7)(before);
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ChartError */ .DA(`version ${head.metadata.version} must be greater than ${baseVersion}, the version on the base commit ${(0,_git_client_js__WEBPACK_IMPORTED_MODULE_6__/* .short */ .h0)(base)}: ` +
        `the chart changed, so bump it (e.g. to ${next})`, { file, line: head.source.keyLines.get('version') });
}


/***/ })

};

//# sourceMappingURL=299.index.js.map