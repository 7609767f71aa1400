export const id = 593;
export const ids = [593];
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

/***/ 83593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  describeReason: () => (/* binding */ describeReason),
  discoverCharts: () => (/* binding */ discoverCharts)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/chart/metadata.ts + 2 modules
var chart_metadata = __webpack_require__(45907);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/discovery/git-client.ts
var git_client = __webpack_require__(924);
;// CONCATENATED MODULE: ./src/discovery/changed-files.ts


/** `base..head` as trees: two commits are enough, so a shallow clone fetches only `base`. */
async function compareRange(ctx, base, head) {
    const baseSha = await ctx.history.commit(base);
    const headSha = baseSha && (await ctx.history.commit(head));
    if (baseSha && headSha) {
        const files = await (0,git_client/* diffCommits */.is)(ctx.git, baseSha, headSha);
        return diff(ctx, { sha: baseSha, head: headSha, description: `${describeRev(base, baseSha)}..${describeRev(head, headSha)}`, via: 'git' }, files);
    }
    const why = ctx.history.fetchFailure ?? `commit ${(0,git_client/* short */.h0)(baseSha ? head : base)} is not in the repository`;
    // The compare API always compares from the merge-base; for a fast-forward push that is the same.
    return (await viaCompareApi(ctx, base, head, why)) ?? unavailable(`${(0,git_client/* short */.h0)(base)}..${(0,git_client/* short */.h0)(head)}`, why);
}
/** What `head` changed since it left `base`, as GitHub shows a pull request. */
async function compareFromMergeBase(ctx, base, head) {
    const baseSha = await ctx.history.commit(base);
    const headSha = baseSha && (await ctx.history.commit(head));
    let why = ctx.history.fetchFailure ?? `commit ${(0,git_client/* short */.h0)(baseSha ? head : base)} is not in the repository`;
    if (baseSha && headSha) {
        const mergeBase = await ctx.history.mergeBase(baseSha, headSha);
        if (mergeBase.kind === 'found') {
            const files = await (0,git_client/* diffCommits */.is)(ctx.git, mergeBase.sha, headSha);
            const description = `merge-base ${(0,git_client/* short */.h0)(mergeBase.sha)} of ${describeRev(base, baseSha)} and ${describeRev(head, headSha)}`;
            return diff(ctx, { sha: mergeBase.sha, head: headSha, description, via: 'git', tip: baseSha }, files);
        }
        if (mergeBase.kind === 'none') {
            throw new errors/* DomainError */.Jk(`${describeRev(base, baseSha)} and ${describeRev(head, headSha)} have no common history, so there is nothing to compare with`);
        }
        why = mergeBase.why;
    }
    return (await viaCompareApi(ctx, base, head, why)) ?? unavailable(`${(0,git_client/* short */.h0)(base)}...${(0,git_client/* short */.h0)(head)}`, why);
}
/**
 * A new branch: what it changed since it left the default branch. When there is no such point
 * (unrelated history, an empty default branch) or it cannot be found, all charts are selected.
 */
async function compareBranchPoint(ctx, defaultBranch, head) {
    const tip = await ctx.history.branchTip(defaultBranch);
    if (!tip) {
        const why = ctx.history.fetchFailure ?? 'it was not found';
        return ((await viaCompareApi(ctx, defaultBranch, head, why)) ?? {
            kind: 'all',
            why: `the default branch ${defaultBranch} cannot be read (${why})`,
        });
    }
    const headSha = await ctx.history.commit(head);
    if (!headSha) {
        const why = ctx.history.fetchFailure ?? `commit ${(0,git_client/* short */.h0)(head)} is not in the repository`;
        return (await viaCompareApi(ctx, tip, head, why)) ?? unavailable(`${defaultBranch}...${(0,git_client/* short */.h0)(head)}`, why);
    }
    const mergeBase = await ctx.history.mergeBase(tip, headSha);
    if (mergeBase.kind === 'found') {
        const files = await (0,git_client/* diffCommits */.is)(ctx.git, mergeBase.sha, headSha);
        const description = `merge-base ${(0,git_client/* short */.h0)(mergeBase.sha)} of the default branch ${defaultBranch} (${(0,git_client/* short */.h0)(tip)}) and ${(0,git_client/* short */.h0)(headSha)}`;
        return diff(ctx, { sha: mergeBase.sha, head: headSha, description, via: 'git', tip }, files);
    }
    if (mergeBase.kind === 'none')
        return { kind: 'all', why: `the new branch shares no history with the default branch ${defaultBranch}` };
    return ((await viaCompareApi(ctx, tip, headSha, mergeBase.why)) ?? {
        kind: 'all',
        why: `the point where the new branch left ${defaultBranch} cannot be found (${mergeBase.why})`,
    });
}
async function viaCompareApi(ctx, base, head, why) {
    if (!ctx.compareApi)
        return undefined;
    ctx.logger.info(`Asking the GitHub compare API for ${(0,git_client/* short */.h0)(base)}...${(0,git_client/* short */.h0)(head)}, because ${why}`);
    let result;
    try {
        result = await ctx.compareApi.compare(base, head);
    }
    catch (error) {
        throw new errors/* DomainError */.Jk(`Cannot compare ${(0,git_client/* short */.h0)(base)}...${(0,git_client/* short */.h0)(head)}: ${why}, and the GitHub compare API failed: ${(0,errors/* describeError */.Uc)(error)}`, {
            cause: error,
        });
    }
    if (!result.complete) {
        ctx.logger.warning(`The GitHub compare API lists at most 300 changed files and ${(0,git_client/* short */.h0)(base)}...${(0,git_client/* short */.h0)(head)} changes more; selecting all charts`);
        return { kind: 'all', why: 'the comparison changes more files than the GitHub compare API lists' };
    }
    const description = `merge-base ${(0,git_client/* short */.h0)(result.mergeBase)} of ${(0,git_client/* short */.h0)(base)} and ${(0,git_client/* short */.h0)(head)} (GitHub compare API)`;
    return diff(ctx, { sha: result.mergeBase, head, description, via: 'compare-api', tip: base }, result.files);
}
function unavailable(what, why) {
    throw new errors/* DomainError */.Jk(`Cannot compare ${what}: ${why}. Let the action fetch from origin (actions/checkout keeps its credentials by default), ` +
        'or give it "github-token" so that it can ask the GitHub compare API; "fetch-depth: 0" works too.');
}
/** Repository paths \u2192 workspace paths; changes outside the workspace are dropped. */
function diff(ctx, compared, files) {
    const base = { ...compared, prefix: ctx.prefix };
    if (ctx.prefix === '')
        return { kind: 'diff', base, files };
    const inside = (path) => path !== undefined && path.startsWith(ctx.prefix);
    const strip = (path) => path.slice(ctx.prefix.length);
    const mapped = [];
    for (const file of files) {
        if (!inside(file.path) && !inside(file.previousPath))
            continue;
        if (inside(file.path) && file.previousPath !== undefined && inside(file.previousPath)) {
            mapped.push({ ...file, path: strip(file.path), previousPath: strip(file.previousPath) });
        }
        else if (inside(file.path)) {
            // Moved in from outside the workspace: an addition as far as the workspace sees.
            mapped.push({ status: file.previousPath === undefined ? file.status : 'A', path: strip(file.path) });
        }
        else if (file.status === 'R') {
            // Moved out of the workspace: a deletion here. (A copy leaves its source unchanged.)
            mapped.push({ status: 'D', path: strip(file.previousPath) });
        }
    }
    return { kind: 'diff', base, files: mapped };
}
function describeRev(rev, sha) {
    return rev === sha ? (0,git_client/* short */.h0)(sha) : `${rev} (${(0,git_client/* short */.h0)(sha)})`;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/discovery/repo-paths.ts
var repo_paths = __webpack_require__(15657);
;// CONCATENATED MODULE: ./src/discovery/chart-layout.ts



const CHART_FILES = ['Chart.yaml', 'requirements.yaml', '.helmignore'];
/**
 * `untracked`: also count files git does not track but .gitignore does not exclude (a chart
 * generated by an earlier step; never one inside an ignored node_modules/). Only worth its cost
 * (a walk of the whole work tree) when every chart is selected: a comparison of commits can
 * only ever select committed files.
 */
async function readChartLayout(workspace, git, logger, options) {
    // Plain pathspec wildcards (`*` crosses "/") match in half the time of :(glob)**/; the exact
    // base name is checked below.
    const args = ['ls-files', '-z', '--cached', ...(options.untracked ? ['--others', '--exclude-standard'] : [])];
    const result = await git.run([...args, '--', ...CHART_FILES.map((name) => `*${name}`)]);
    if (result.exitCode === 0)
        return fromPaths(result.stdout.split('\0'), 'git');
    logger.debug(`Not a git work tree (${result.stderr.trim()}); looking for charts on disk`);
    return fromPaths(await walk(workspace), 'filesystem');
}
function fromPaths(paths, source) {
    const layout = { chartDirs: new Set(), requirements: new Set(), helmignores: new Set(), source };
    for (const path of paths) {
        if (path === '')
            continue;
        const name = path.slice(path.lastIndexOf('/') + 1);
        const dir = (0,repo_paths/* parentDir */.Qp)(path);
        if (name === 'Chart.yaml')
            layout.chartDirs.add(dir);
        else if (name === 'requirements.yaml')
            layout.requirements.add(dir);
        else if (name === '.helmignore')
            layout.helmignores.add(dir);
    }
    return layout;
}
/** Outside a git work tree (a local run on a plain folder): the chart files found on disk. */
async function walk(workspace) {
    const found = [];
    const visit = async (dir) => {
        const entries = await (0,promises_.readdir)(dir === repo_paths/* ROOT */.Dl ? workspace : (0,external_node_path_.join)(workspace, dir), { withFileTypes: true });
        await Promise.all(entries.map(async (entry) => {
            const path = (0,repo_paths/* joinPath */.uJ)(dir, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== '.git' && entry.name !== 'node_modules')
                    await visit(path);
            }
            else if (CHART_FILES.includes(entry.name))
                found.push(path);
        }));
    };
    await visit(repo_paths/* ROOT */.Dl);
    return found;
}

// EXTERNAL MODULE: ./src/discovery/charts-dir.ts
var charts_dir = __webpack_require__(55659);
;// CONCATENATED MODULE: ./src/discovery/chart-roots.ts



/**
 * Whether a chart directory is a subchart: it lies inside another chart's `charts/` folder,
 * so Helm packages it as part of that chart and it is never published on its own.
 */
function isSubchart(dir, chartDirs) {
    if (dir === repo_paths/* ROOT */.Dl)
        return false;
    const segments = dir.split('/');
    for (let i = 0; i < segments.length; i++) {
        if (segments[i] !== 'charts')
            continue;
        const owner = i === 0 ? repo_paths/* ROOT */.Dl : segments.slice(0, i).join('/');
        if (chartDirs.has(owner))
            return true;
    }
    return false;
}
/** Chart directories that Helm would package on their own (all but subcharts), anywhere in the workspace. */
function packageDirs(layout) {
    return new Set([...layout.chartDirs].filter((dir) => !isSubchart(dir, layout.chartDirs)));
}
/**
 * The chart roots under charts-dir, sorted. Every include entry must find at least one chart:
 * an entry that finds none is a typo or a wrong layout, and failing here is what keeps a run
 * from reporting "nothing to do" for months.
 */
function selectRoots(packages, chartsDir, layout) {
    const roots = [];
    const used = new Set();
    for (const dir of packages) {
        const include = (0,charts_dir/* firstInclude */.ns)(chartsDir, dir);
        if (!include)
            continue;
        roots.push(dir);
        used.add(include);
    }
    // An entry can be shadowed by an earlier one covering the same charts; count it as used too.
    for (const pattern of chartsDir.includes) {
        if (!used.has(pattern) && roots.some((dir) => firstIncludeOf(pattern, chartsDir, dir)))
            used.add(pattern);
    }
    const unused = chartsDir.includes.filter((p) => !used.has(p));
    if (unused.length > 0)
        throw noChartError(unused, chartsDir, packages, layout);
    return roots.sort(repo_paths/* comparePaths */.cD);
}
function firstIncludeOf(pattern, chartsDir, dir) {
    return (0,charts_dir/* firstInclude */.ns)({ includes: [pattern], excludes: chartsDir.excludes }, dir) !== undefined;
}
function noChartError(unused, chartsDir, packages, layout) {
    const entries = unused.map((p) => `"${p.raw}"`).join(', ');
    const elsewhere = [...packages].sort(repo_paths/* comparePaths */.cD);
    const subcharts = [...layout.chartDirs].filter((d) => !packages.has(d));
    const hidden = elsewhere.filter((dir) => (0,charts_dir/* isHiddenFromChartsDir */.ln)({ includes: unused, excludes: chartsDir.excludes }, dir));
    let hint;
    if (hidden.length > 0) {
        const shown = hidden.slice(0, 3).join(', ') + (hidden.length > 3 ? `, \u2026 (${hidden.length} in all)` : '');
        hint = `the charts it covers are in hidden folders (${shown}), which are searched only when an entry names the hidden folder, e.g. "${hiddenFolder(hidden[0])}"`;
    }
    else if (elsewhere.length > 0) {
        const shown = elsewhere.slice(0, 5).join(', ') + (elsewhere.length > 5 ? `, \u2026 (${elsewhere.length} in all)` : '');
        hint = `charts in this workspace: ${shown}`;
    }
    else if (subcharts.length > 0) {
        hint = `the only Chart.yaml files found are subcharts inside another chart's charts/ folder (${subcharts.slice(0, 3).join(', ')})`;
    }
    else {
        hint = `no Chart.yaml was found anywhere in the workspace (looked ${layout.source === 'git' ? 'at the files git knows' : 'on disk'}); is the repository checked out?`;
    }
    return new errors/* InputError */.dz('charts-dir', `${entries} ${unused.length === 1 ? 'matches' : 'match'} no chart (a folder with a Chart.yaml, at any depth, outside other charts' charts/ folders); ${hint}`);
}
/** The path up to and including the first hidden segment: what charts-dir must name. */
function hiddenFolder(dir) {
    const segments = dir.split('/');
    return segments.slice(0, segments.findIndex((s) => s.startsWith('.')) + 1).join('/');
}

// EXTERNAL MODULE: ./src/discovery/commit-history.ts
var commit_history = __webpack_require__(16216);
;// CONCATENATED MODULE: ./src/discovery/file-dependencies.ts





const FILE_SCHEME = 'file://';
/**
 * Reads the dependencies of the given charts. Only files that mention `file://` are parsed, so
 * a thousand charts cost a thousand small reads and little YAML parsing. A chart whose Chart.yaml
 * cannot be read is reported as a warning and left out: its own problems belong to the step
 * that packages it, not to the selection of others.
 */
function readFileDependencies(workspace, charts, layout, logger) {
    const dependents = new Map();
    for (const chart of charts) {
        for (const target of fileTargets(workspace, chart, layout, logger)) {
            const list = dependents.get(target);
            if (list)
                list.push(chart);
            else
                dependents.set(target, [chart]);
        }
    }
    for (const list of dependents.values())
        list.sort();
    return { dependents };
}
function fileTargets(workspace, chart, layout, logger) {
    const chartFile = (0,repo_paths/* joinPath */.uJ)(chart, 'Chart.yaml');
    const requirementsFile = (0,repo_paths/* joinPath */.uJ)(chart, 'requirements.yaml');
    const chartText = readText(workspace, chartFile);
    const requirementsText = layout.requirements.has(chart) ? readText(workspace, requirementsFile) : undefined;
    if (!chartText?.includes(FILE_SCHEME) && !requirementsText?.includes(FILE_SCHEME))
        return [];
    let repositories;
    try {
        const { metadata } = (0,chart_metadata/* parseChartYaml */.zO)(chartText ?? '', chartFile);
        if (requirementsText !== undefined)
            (0,chart_metadata/* mergeRequirements */.Bv)(metadata, requirementsText, requirementsFile);
        repositories = (metadata.dependencies ?? []).flatMap((d) => (d ? [d.repository] : []));
    }
    catch (error) {
        const where = error instanceof errors/* ChartError */.DA ? { file: error.file, ...(error.line === undefined ? {} : { line: error.line }) } : { file: chartFile };
        logger.warning(`Cannot read the dependencies of ${chart}, so changes in its file:// dependencies do not select it: ${(0,errors/* describeError */.Uc)(error)}`, where);
        return [];
    }
    const targets = [];
    for (const repository of repositories) {
        if (!repository.startsWith(FILE_SCHEME))
            continue;
        const target = resolveTarget(workspace, chart, repository.slice(FILE_SCHEME.length));
        if (target === undefined) {
            logger.debug(`${chart}: file:// dependency "${repository}" is outside the workspace; its changes are not tracked`);
        }
        else if (!layout.chartDirs.has(target)) {
            logger.debug(`${chart}: file:// dependency "${repository}" (${target}) has no Chart.yaml; its changes are not tracked`);
        }
        else if (target !== chart)
            targets.push(target);
    }
    return targets;
}
function resolveTarget(workspace, chart, path) {
    let rel;
    if ((0,external_node_path_.isAbsolute)(path)) {
        rel = (0,external_node_path_.relative)(workspace, path).split('\\').join('/');
    }
    else {
        rel = external_node_path_.posix.normalize(external_node_path_.posix.join(chart === repo_paths/* ROOT */.Dl ? '' : chart, path));
    }
    rel = rel.replace(/\/+$/, '');
    if (rel === '' || rel === '.')
        return repo_paths/* ROOT */.Dl;
    if (rel === '..' || rel.startsWith('../') || (0,external_node_path_.isAbsolute)(rel))
        return undefined;
    return rel;
}
// Synchronous on purpose: a thousand small reads cost a third of what the same reads cost
// through the thread pool (measured with bench/discovery.js), and nothing else runs meanwhile.
function readText(workspace, file) {
    try {
        return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(workspace, file), 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}

// EXTERNAL MODULE: ./src/discovery/exclude-rules.ts
var exclude_rules = __webpack_require__(35366);
// EXTERNAL MODULE: ./src/chart/ignore-rules.ts + 1 modules
var ignore_rules = __webpack_require__(63478);
;// CONCATENATED MODULE: ./src/discovery/package-filter.ts





/**
 * Which files a chart's package holds, as far as .helmignore decides it: a changed file that
 * the chart's own .helmignore excludes does not change the package and so does not select the
 * chart. Only the packaged chart's .helmignore applies (with Helm's default rule), also to
 * files under its charts/ folder (../shared/spec/helm-oci.md \u00a71.2\u20131.3). Rules are read once per
 * chart and only for charts that have a changed file.
 */
class PackageFilter {
    rules = new Map();
    workspace;
    helmignores;
    constructor(workspace, helmignores) {
        this.workspace = workspace;
        this.helmignores = helmignores;
    }
    /**
     * The rule that leaves `rel` (a path relative to the chart) out of the package, or undefined
     * when the file is packaged. Helm skips an ignored directory's whole subtree, so every
     * directory on the way down is tested before the file itself.
     */
    async excludedBy(chartDir, rel) {
        // .helmignore decides what else is packaged: editing it can change the package even when
        // it lists itself.
        if (rel === ignore_rules/* HELMIGNORE */.$i)
            return undefined;
        const rules = await this.rulesOf(chartDir);
        const segments = rel.split('/');
        for (let i = 1; i <= segments.length; i++) {
            const isDir = i < segments.length;
            const prefix = segments.slice(0, i).join('/');
            // explain() decides exactly as ignores() does and names the deciding rule: one pass.
            const rule = rules.explain(prefix, isDir);
            if (rule !== undefined)
                return `${rule} of ${(0,repo_paths/* joinPath */.uJ)(chartDir, ignore_rules/* HELMIGNORE */.$i)}${isDir ? ` (directory ${prefix}/)` : ''}`;
        }
        return undefined;
    }
    rulesOf(chartDir) {
        let rules = this.rules.get(chartDir);
        if (!rules) {
            rules = this.load(chartDir);
            this.rules.set(chartDir, rules);
        }
        return rules;
    }
    async load(chartDir) {
        if (!this.helmignores.has(chartDir))
            return ignore_rules/* IgnoreRules */.w0.empty().withDefaults();
        const file = (0,repo_paths/* joinPath */.uJ)(chartDir, ignore_rules/* HELMIGNORE */.$i);
        let text;
        try {
            text = await (0,promises_.readFile)((0,external_node_path_.join)(this.workspace, file));
        }
        catch (error) {
            // Listed by git but gone from the working tree: Helm would package without it.
            if (error.code === 'ENOENT')
                return ignore_rules/* IgnoreRules */.w0.empty().withDefaults();
            throw error;
        }
        try {
            return ignore_rules/* IgnoreRules */.w0.parse(text).withDefaults();
        }
        catch (error) {
            if (error instanceof ignore_rules/* IgnoreRuleError */.tS)
                throw new errors/* ChartError */.DA(error.message, { file, line: error.line }, { cause: error });
            throw error;
        }
    }
}

// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
;// CONCATENATED MODULE: ./src/discovery/tag-pattern.ts

// The prefix is the shortest one (lazy) that leaves a suffix of the form
// [v]MAJOR.MINOR.PATCH[-pre][+build], so the version is the longest such suffix: "x10.0.0" is x at
// 10.0.0, and "app-1.0.0-2.0.0" is app- at 1.0.0-2.0.0 (pre-release 2.0.0). A prefix may contain
// digits and dashes that cannot start a version ("app-2-1.0.0" is app-2- at 1.0.0). Only a tag
// without such a suffix is read with one or two numeric parts ("v1.2", "chart-2"), so that three
// parts win where both readings exist. When the suffix found is not a version Helm accepts
// ("1.2.3-01"), the tag has no version: no shorter one is tried.
const FULL = /^(.*?)(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
const SHORT = /^(.*?)(v?\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
function splitTag(tag) {
    const match = FULL.exec(tag) ?? SHORT.exec(tag);
    if (!match)
        return undefined;
    const [, prefix = '', version = ''] = match;
    const parsed = (0,version_constraints/* parseVersion */.ot)(version);
    return parsed ? { tag, prefix, version, parsed } : undefined;
}
/**
 * The highest tag of the same series below `current` in SemVer precedence, or undefined when
 * `current` opens the series. Pre-releases count: after `v2.0.0-rc.1`, `v2.0.0` compares with it.
 */
function previousTag(current, tags) {
    let best;
    for (const name of tags) {
        const candidate = splitTag(name);
        if (!candidate || candidate.prefix !== current.prefix)
            continue;
        if ((0,version_constraints/* compareVersions */.Zy)(candidate.parsed, current.parsed) >= 0)
            continue;
        if (!best || (0,version_constraints/* compareVersions */.Zy)(candidate.parsed, best.parsed) > 0)
            best = candidate;
    }
    return best;
}
/** The chart name a `<name>-<version>` tag carries, if its prefix has that form. */
function chartNameOf(tag) {
    return tag.prefix.length > 1 && tag.prefix.endsWith('-') ? tag.prefix.slice(0, -1) : undefined;
}

;// CONCATENATED MODULE: ./src/discovery/discover-charts.ts
















/** Files listed per reason in log lines before "and N more". */
const LISTED_FILES = 5;
async function discoverCharts(options) {
    const { workspace, request, logger } = options;
    const chartsDir = (0,charts_dir/* parseChartsDir */.kZ)(options.chartsDir, workspace);
    const exclude = (0,exclude_rules/* parseExclude */.Eg)(options.exclude ?? [], workspace);
    const git = (0,git_client/* createGit */.lD)(options.runner, workspace);
    const layout = await readChartLayout(workspace, git, logger, { untracked: request.kind === 'all' });
    const packages = packageDirs(layout);
    const roots = selectRoots(packages, chartsDir, layout);
    logger.info(`charts-dir ${chartsDir.includes.map((p) => `"${p.raw}"`).join(', ')}: ${roots.length} chart${roots.length === 1 ? '' : 's'}`);
    const hidden = [...packages].filter((dir) => (0,charts_dir/* isHiddenFromChartsDir */.ln)(chartsDir, dir)).sort(repo_paths/* comparePaths */.cD);
    if (hidden.length > 0) {
        logger.info(`Skipped ${hidden.length} chart${hidden.length === 1 ? '' : 's'} in hidden folders (${listed(hidden)}): ` +
            'a hidden folder is searched only when a charts-dir entry names it, e.g. ".github/fixtures"');
    }
    const run = { options, git, layout, chartsDir, packages, roots };
    let discovery;
    switch (request.kind) {
        case 'none':
            discovery = { charts: [], deleted: [], roots, base: undefined, explanation: request.reason };
            break;
        case 'all':
            discovery = selectAll(run, request.reason);
            break;
        case 'tag':
            discovery = await discoverTag(run, request.tag, request.head, request.reason);
            break;
        default:
            discovery = await fromChanges(run, await collectChanges(run, request), request.reason);
    }
    discovery = (0,exclude_rules/* excludeCharts */.En)(discovery, exclude, logger);
    report(discovery, logger);
    return discovery;
}
async function changeContext(run) {
    const prefix = await run.git.output(['rev-parse', '--show-prefix'], `finding the git repository of ${run.options.workspace}`);
    const history = new commit_history/* CommitHistory */.g({
        git: run.git,
        logger: run.options.logger,
        ...(run.options.remote ? { remote: run.options.remote } : {}),
    });
    return { git: run.git, history, logger: run.options.logger, compareApi: run.options.compareApi, prefix: prefix.trim() };
}
async function collectChanges(run, request) {
    const ctx = await changeContext(run);
    switch (request.kind) {
        case 'range':
            return compareRange(ctx, request.base, request.head);
        case 'merge-base':
            return compareFromMergeBase(ctx, request.base, request.head);
        case 'branch-point':
            return compareBranchPoint(ctx, request.defaultBranch, request.head);
    }
}
function selectAll(run, why) {
    return {
        charts: run.roots.map((dir) => ({ dir, reasons: [{ kind: 'all', why }] })),
        deleted: [],
        roots: run.roots,
        base: undefined,
        explanation: `all charts: ${why}`,
    };
}
// ---------------------------------------------------------------------------------------------
// Tags
async function discoverTag(run, tag, head, reason) {
    const { logger, ...options } = run.options;
    const version = splitTag(tag);
    if (!version)
        return selectAll(run, `${reason}; tag ${tag} carries no version, so no earlier tag of its series can be found`);
    const name = chartNameOf(version);
    if (name !== undefined) {
        const named = chartsNamed(run, name);
        if (named.length > 1) {
            throw new errors/* DomainError */.Jk(`Tag ${tag} names chart "${name}", but ${named.length} charts under charts-dir have that name: ${named.map((c) => c.dir).join(', ')}`);
        }
        const chart = named[0];
        const override = options.versionOverride;
        if (chart) {
            if (override !== undefined) {
                // The version published is the input's (helm package --version), not Chart.yaml's.
                const overridden = (0,version_constraints/* parseVersion */.ot)(override);
                if (!overridden || !(0,version_constraints/* sameVersion */.r1)(overridden, version.parsed)) {
                    throw new errors/* InputError */.dz('version', `"${override}" disagrees with tag ${tag}, which releases ${name} ${version.version}: give ${version.version}, or leave version empty to publish the chart's own version`);
                }
            }
            else {
                const written = (0,version_constraints/* parseVersion */.ot)(chart.version);
                if (!written || !(0,version_constraints/* sameVersion */.r1)(written, version.parsed)) {
                    throw new errors/* ChartError */.DA(`tag ${tag} releases ${name} ${version.version}, but the chart's version is "${chart.version}": set version: ${version.version} in Chart.yaml, or tag ${name}-${chart.version}`, { file: chart.file, line: chart.versionLine });
                }
            }
            logger.info(`Tag ${tag} names chart ${name} (${chart.dir}) at version ${version.version}: publishing it alone`);
            return {
                charts: [{ dir: chart.dir, reasons: [{ kind: 'tag', tag, version: version.version }] }],
                deleted: [],
                roots: run.roots,
                base: undefined,
                explanation: `tag ${tag} names chart ${chart.dir}`,
            };
        }
    }
    const ctx = await changeContext(run);
    const tags = await seriesTags(ctx, version.prefix);
    const previous = previousTag(version, tags);
    // The series holds `v1.2.3` and `1.2.3` alike; the label follows the tag pushed.
    const series = `${version.prefix}${version.version.startsWith('v') ? 'v' : ''}<version>`;
    if (!previous)
        return selectAll(run, `${reason}; ${tag} is the first tag of the series ${series}`);
    logger.info(`Previous tag of the series ${series}: ${previous.tag} (SemVer order, ${tags.size} tag(s) considered)`);
    // The bare name: git fetch and the compare API both resolve it to the tag.
    const changes = await compareRange(ctx, previous.tag, head);
    if (changes.kind === 'diff')
        changes.base.description = `previous tag ${previous.tag} (${(0,git_client/* short */.h0)(changes.base.sha)}) of the series ${series}..${(0,git_client/* short */.h0)(changes.base.head)}`;
    return fromChanges(run, changes, reason);
}
/**
 * The tags that could precede one with this prefix. A shallow clone holds at most the pushed
 * tag; the remote lists the rest without a fetch, and the GitHub API when the remote cannot.
 */
async function seriesTags(ctx, prefix) {
    const { history, logger, compareApi } = ctx;
    const tags = new Set(await history.localTags());
    if (!(await history.isShallow()))
        return tags;
    const remote = await history.remoteTags();
    if (remote) {
        for (const name of remote)
            tags.add(name);
    }
    else if (compareApi) {
        logger.info(`Listing tags ${prefix}* with the GitHub API, because ${history.fetchFailure}`);
        for (const name of await compareApi.tags(prefix))
            tags.add(name);
    }
    else {
        logger.warning(`Cannot list the remote's tags (${history.fetchFailure}); only the ${tags.size} tag(s) of the clone are considered`);
    }
    return tags;
}
/** The charts under charts-dir whose Chart.yaml `name` is `name`; only files that mention it are parsed. */
function chartsNamed(run, name) {
    const found = [];
    for (const dir of run.roots) {
        const file = (0,repo_paths/* joinPath */.uJ)(dir, 'Chart.yaml');
        // Synchronous for the reason given in file-dependencies.ts: many small files.
        const text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(run.options.workspace, file), 'utf8');
        if (!text.includes(name))
            continue;
        const { metadata, source } = (0,chart_metadata/* parseChartYaml */.zO)(text, file);
        if (metadata.name === name)
            found.push({ dir, file, version: metadata.version, versionLine: source.keyLines.get('version') });
    }
    return found;
}
// ---------------------------------------------------------------------------------------------
// Changed files \u2192 charts
async function fromChanges(run, changes, reason) {
    if (changes.kind === 'all')
        return selectAll(run, `${reason}; ${changes.why}`);
    const { options, layout, chartsDir, packages, roots } = run;
    const { logger, workspace } = options;
    const { base, files } = changes;
    logger.info(`Base: ${base.description}; ${files.length} changed file${files.length === 1 ? '' : 's'}`);
    const dependencies = readFileDependencies(workspace, packages, layout, logger);
    // A chart's package holds its own files; a file:// dependency is packaged from its own folder.
    const owners = new Set([...packages, ...dependencies.dependents.keys()]);
    const filter = new PackageFilter(workspace, layout.helmignores);
    const changedOwners = new Map();
    const unowned = [];
    const excluded = [];
    for (const path of changedPaths(files)) {
        let owned = false;
        for (const dir of (0,repo_paths/* ancestorDirs */.cR)(path)) {
            if (!owners.has(dir))
                continue;
            owned = true;
            const rule = await filter.excludedBy(dir, (0,repo_paths/* relativeTo */.Mf)(path, dir));
            if (rule) {
                excluded.push(path);
                logger.debug(`${path}: not packaged in ${dir} (excluded by ${rule})`);
                continue;
            }
            const list = changedOwners.get(dir);
            if (list)
                list.push(path);
            else
                changedOwners.set(dir, [path]);
        }
        if (!owned)
            unowned.push(path);
    }
    // Dependents, transitively; the chain says through which charts the change arrives.
    const chains = new Map();
    const queue = [...changedOwners.keys()];
    while (queue.length > 0) {
        const dependency = queue.shift();
        for (const dependent of dependencies.dependents.get(dependency) ?? []) {
            if (chains.has(dependent) || dependent === dependency)
                continue;
            chains.set(dependent, [dependency, ...(changedOwners.has(dependency) ? [] : (chains.get(dependency) ?? []))]);
            queue.push(dependent);
        }
    }
    const charts = [];
    for (const dir of roots) {
        const reasons = [];
        const own = changedOwners.get(dir);
        if (own)
            reasons.push({ kind: 'changed', files: own.sort(repo_paths/* comparePaths */.cD) });
        const chain = chains.get(dir);
        if (chain)
            reasons.push({ kind: 'dependency', chain });
        if (reasons.length > 0)
            charts.push({ dir, reasons });
    }
    const deleted = deletedCharts(files, layout, chartsDir);
    checkUnselected(run, { charts, deleted, unowned, excluded });
    return {
        charts,
        deleted,
        roots,
        base,
        explanation: `${reason}; compared with ${base.description}`,
    };
}
/** Every path a change touches: both sides of a rename (a copy leaves its source as it was). */
function changedPaths(files) {
    const paths = new Set();
    for (const file of files) {
        paths.add(file.path);
        if (file.status === 'R' && file.previousPath !== undefined)
            paths.add(file.previousPath);
    }
    return [...paths].sort(repo_paths/* comparePaths */.cD);
}
/** Chart folders under charts-dir whose Chart.yaml was removed (or moved) and that are gone now. */
function deletedCharts(files, layout, chartsDir) {
    const removed = new Map();
    for (const file of files) {
        const gone = file.status === 'D' ? file.path : file.status === 'R' ? file.previousPath : undefined;
        if (gone === undefined || !isChartYaml(gone))
            continue;
        const dir = (0,repo_paths/* parentDir */.Qp)(gone);
        if (layout.chartDirs.has(dir) || !(0,charts_dir/* coversDir */.mc)(chartsDir, dir))
            continue;
        removed.set(dir, file.status === 'R' && isChartYaml(file.path) ? { dir, movedTo: (0,repo_paths/* parentDir */.Qp)(file.path) } : { dir });
    }
    // A subchart removed with (or from) its parent is part of the parent's story, not its own.
    const all = new Set([...layout.chartDirs, ...removed.keys()]);
    return [...removed.values()].filter((d) => !isSubchart(d.dir, all)).sort((a, b) => (0,repo_paths/* comparePaths */.cD)(a.dir, b.dir));
}
function isChartYaml(path) {
    return path === 'Chart.yaml' || path.endsWith('/Chart.yaml');
}
/**
 * Nothing selected although files under charts-dir changed. When a changed file looks like
 * chart content but belongs to no chart (a Chart.yml, a chart.yaml, a templates/ folder without
 * Chart.yaml), the layout or charts-dir is wrong: fail and say which files. Other files outside
 * every chart (a README beside the charts, workflow files under "."), or files that a
 * .helmignore excludes, are a normal reason for nothing to publish and are reported in the log.
 */
function checkUnselected(run, found) {
    const { logger } = run.options;
    const deletedDirs = found.deleted.map((d) => d.dir);
    const stray = found.unowned.filter((path) => (0,charts_dir/* coversDir */.mc)(run.chartsDir, (0,repo_paths/* parentDir */.Qp)(path)) && !deletedDirs.some((dir) => (0,repo_paths/* isWithin */.UO)(path, dir)));
    const chartLike = stray.filter(looksLikeChartContent);
    if (found.charts.length === 0 && found.deleted.length === 0 && chartLike.length > 0) {
        throw new errors/* InputError */.dz('charts-dir', `files under charts-dir changed but no chart was selected: ${listed(chartLike)} ${chartLike.length === 1 ? 'is' : 'are'} chart content outside any chart ` +
            '(no folder above it has a Chart.yaml, spelled exactly so). Add or rename the Chart.yaml, or point charts-dir at the folders that hold the charts.');
    }
    if (chartLike.length > 0) {
        logger.warning(`${listed(chartLike)} look${chartLike.length === 1 ? 's' : ''} like chart content but belong${chartLike.length === 1 ? 's' : ''} to no chart (no Chart.yaml above); not published`);
    }
    if (found.charts.length === 0 && found.deleted.length === 0) {
        if (stray.length > 0)
            logger.info(`No chart selected: the changed files under charts-dir belong to no chart (${listed(stray)})`);
        if (found.excluded.length > 0)
            logger.info(`No chart selected: ${listed(found.excluded)} ${found.excluded.length === 1 ? 'is' : 'are'} excluded from packaging by .helmignore (see the debug log for the rules)`);
        if (stray.length === 0 && found.excluded.length === 0)
            logger.info('No chart selected: no file under charts-dir changed');
    }
}
const CHART_FILE_NAMES = new Set([
    'Chart.yml',
    'chart.yaml',
    'chart.yml',
    'Chart.lock',
    'values.yaml',
    'values.yml',
    'values.schema.json',
    'requirements.yaml',
    'requirements.lock',
    '.helmignore',
]);
function looksLikeChartContent(path) {
    const segments = path.split('/');
    const name = segments.at(-1);
    return CHART_FILE_NAMES.has(name) || segments.slice(0, -1).some((s) => s === 'templates' || s === 'crds');
}
function listed(paths) {
    const shown = paths.slice(0, LISTED_FILES).join(', ');
    return paths.length > LISTED_FILES ? `${shown} and ${paths.length - LISTED_FILES} more` : shown;
}
// ---------------------------------------------------------------------------------------------
// Log
/** One reason in words, as the log and the job summary show it. */
function describeReason(reason) {
    switch (reason.kind) {
        case 'changed':
            return `changed: ${listed(reason.files)}`;
        case 'dependency':
            return `depends (file://) on ${reason.chain.join(', which depends on ')}, which changed`;
        case 'all':
            return reason.why;
        case 'tag':
            return `tag ${reason.tag} releases version ${reason.version}`;
        case 'explicit':
            return 'listed in the "charts" input';
    }
}
function report(discovery, logger) {
    logger.info(`Selection: ${discovery.explanation}`);
    // "all charts" has one reason for every chart: say it once, list the charts in the debug log.
    const everyChart = discovery.charts.every((c) => c.reasons.length === 1 && c.reasons[0]?.kind === 'all');
    for (const chart of discovery.charts) {
        const line = `  ${chart.dir}: ${chart.reasons.map(describeReason).join('; ')}`;
        if (everyChart)
            logger.debug(line);
        else
            logger.info(line);
    }
    for (const chart of discovery.deleted) {
        logger.info(`  ${chart.dir}: deleted${chart.movedTo ? ` (moved to ${chart.movedTo})` : ''}; not published`);
    }
    logger.info(`${discovery.charts.length} of ${discovery.roots.length} chart${discovery.roots.length === 1 ? '' : 's'} selected`);
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


/***/ })

};

//# sourceMappingURL=593.index.js.map