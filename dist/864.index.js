export const id = 864;
export const ids = [864];
export const modules = {

/***/ 69996:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F8: () => (/* binding */ stripBom),
/* harmony export */   di: () => (/* binding */ ArchiveError),
/* harmony export */   hR: () => (/* binding */ readChartArchive),
/* harmony export */   w3: () => (/* binding */ MAX_FILE_SIZE)
/* harmony export */ });
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58382);


/**
 * Reads a chart archive the way Helm's archive loader does whenever it loads a .tgz (a subchart
 * in charts/, a downloaded dependency): ../shared/spec/helm-oci.md \u00a71.14. The first path segment
 * is stripped whatever its name; absolute paths, `..` escapes and drive letters are refused; a
 * Chart.yaml at the archive root is refused; 100 MiB of file data in all and 5 MiB per file;
 * BOMs stripped; directory and PAX header entries skipped.
 */
/** \u00a71.14 MaxDecompressedChartSize. */
const MAX_CHART_SIZE = 100 * 1024 * 1024;
/** \u00a71.14 MaxDecompressedFileSize; the directory loader applies the same limit per file. */
const MAX_FILE_SIZE = 5 * 1024 * 1024;
/**
 * Bound on the decompressed tar stream (file data plus headers), so that a gzip bomb cannot
 * exhaust memory before the per-file accounting sees it.
 */
const MAX_TAR_STREAM = 2 * MAX_CHART_SIZE;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
class ArchiveError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DomainError */ .Jk {
}
/**
 * The files of a chart archive (a downloaded dependency, a published chart layer). The tar
 * reader is loaded on the first call: a run that reads no archive does not compile it.
 */
async function readChartArchive(bytes) {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (input.length < 3 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 0x08) {
        const looksYaml = /^\s*(apiVersion|name|version|---)/.test(input.subarray(0, 200).toString('utf8'));
        throw new ArchiveError(looksYaml
            ? 'the file seems to be a YAML file, but a gzipped chart archive was expected'
            : 'not a gzipped chart archive (expected a .tgz made by `helm package`)');
    }
    let tarStream;
    try {
        tarStream = (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.gunzipSync)(input, { maxOutputLength: MAX_TAR_STREAM });
    }
    catch (error) {
        if (error instanceof RangeError) {
            throw new ArchiveError(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
        }
        throw new ArchiveError(`the archive is not valid gzip data: ${error.message}`, { cause: error });
    }
    const files = [];
    let remaining = MAX_CHART_SIZE;
    let failure;
    const { Parser } = await __webpack_require__.e(/* import() */ 697).then(__webpack_require__.bind(__webpack_require__, 98697));
    const parser = new Parser({ strict: true });
    parser.on('warn', (_code, message) => {
        failure ??= new ArchiveError(`the archive is not a valid tar stream: ${String(message)}`);
    });
    parser.on('entry', (entry) => {
        const reject = (message) => {
            failure ??= new ArchiveError(message);
            entry.resume();
        };
        if (failure || entry.type === 'Directory' || entry.type === 'ExtendedHeader' || entry.type === 'GlobalExtendedHeader') {
            entry.resume();
            return;
        }
        const name = archiveEntryName(entry.path);
        if (typeof name !== 'string')
            return reject(name.error);
        const size = entry.size ?? 0;
        if (size > remaining)
            return reject(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
        if (size > MAX_FILE_SIZE) {
            return reject(`decompressed chart file "${entry.path}" is larger than the maximum file size ${MAX_FILE_SIZE}`);
        }
        const chunks = [];
        entry.on('data', (chunk) => chunks.push(chunk));
        entry.on('end', () => {
            const data = Buffer.concat(chunks);
            remaining -= data.length;
            if (data.length < size || remaining <= 0) {
                failure ??= new ArchiveError(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
                return;
            }
            files.push({ name, data: stripBom(data) });
        });
    });
    try {
        parser.write(tarStream);
        parser.end();
    }
    catch (error) {
        throw new ArchiveError(`the archive is not a valid tar stream: ${error.message}`, { cause: error });
    }
    if (failure)
        throw failure;
    if (files.length === 0)
        throw new ArchiveError('no files in chart archive');
    return files;
}
/** Helm's per-entry path rules; returns the chart-relative name or why it is refused. */
function archiveEntryName(raw) {
    // Archives made on Windows may use backslashes.
    const delimiter = raw.includes('\\') ? '\\' : '/';
    const parts = raw.split(delimiter);
    const rest = parts.slice(1).join('/');
    if (rest.startsWith('/'))
        return { error: 'chart illegally contains absolute paths' };
    const cleaned = cleanPath(rest);
    if (cleaned === '.')
        return { error: `chart illegally contains content outside the base directory: "${raw}"` };
    if (cleaned.startsWith('..'))
        return { error: 'chart illegally references parent directory' };
    if (/^[a-zA-Z]:\//.test(cleaned))
        return { error: 'chart contains illegally named files' };
    if (parts[0] === 'Chart.yaml')
        return { error: 'chart yaml not in base directory' };
    return cleaned;
}
/** Go's path.Clean. */
function cleanPath(p) {
    if (p === '')
        return '.';
    const rooted = p.startsWith('/');
    const out = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            if (out.length > 0 && out[out.length - 1] !== '..')
                out.pop();
            else if (!rooted)
                out.push('..');
        }
        else {
            out.push(part);
        }
    }
    const joined = out.join('/');
    return rooted ? `/${joined}` : joined || '.';
}
function stripBom(data) {
    return data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
}


/***/ }),

/***/ 96858:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PP: () => (/* binding */ readChartFile),
/* harmony export */   Pg: () => (/* binding */ loadChartArchive),
/* harmony export */   Ty: () => (/* binding */ loadChart),
/* harmony export */   kc: () => (/* binding */ missingDependencies),
/* harmony export */   sQ: () => (/* binding */ hasValuesSchema)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(58382);
/* harmony import */ var _shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(44806);
/* harmony import */ var _archive_reader_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(69996);
/* harmony import */ var _ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(63478);
/* harmony import */ var _shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(87371);
/* harmony import */ var _go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(68657);
/* harmony import */ var _go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(83167);
/* harmony import */ var _metadata_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(45907);










/** Loads the chart in chartDir (absolute, or relative to the workspace). */
async function loadChart(chartDir, options) {
    const workspace = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(options.workspace);
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace, chartDir);
    const location = toPosix((0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, root)) || '.';
    const label = (name) => (location === '.' ? name : `${location}/${name}`);
    let rules = _ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .IgnoreRules */ .w0.empty();
    const ignoreFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, _ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .HELMIGNORE */ .$i);
    if (await exists(ignoreFile)) {
        try {
            rules = _ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .IgnoreRules */ .w0.parse(await readRegularFile(ignoreFile, label(_ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .HELMIGNORE */ .$i)));
        }
        catch (error) {
            if (error instanceof _ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .IgnoreRuleError */ .tS) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(error.message, { file: label(_ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .HELMIGNORE */ .$i), line: error.line });
            }
            throw error;
        }
    }
    rules = rules.withDefaults();
    await checkChartDir(root, location);
    const walker = new Walker(root, await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(workspace), rules, label, options.logger);
    const files = await walker.walk();
    const ignoredBy = rules.explain('Chart.yaml', false);
    if (ignoredBy && !files.some((f) => f.name === 'Chart.yaml') && (await exists((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, 'Chart.yaml')))) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`Chart.yaml file is missing: .helmignore rule ${ignoredBy} excludes it`, { file: label(_ignore_rules_js__WEBPACK_IMPORTED_MODULE_5__/* .HELMIGNORE */ .$i) });
    }
    return loadFiles(files, { location, label, logger: options.logger });
}
/**
 * Loads a chart from .tgz bytes (a downloaded dependency) with the archive rules of \u00a71.14, as
 * a .tgz in charts/ is loaded. `label` (e.g. the URL it came from) is its location in messages.
 * Throws ArchiveError for a malformed archive, ChartError for a malformed chart in it.
 */
async function loadChartArchive(bytes, label, logger) {
    return loadFiles(await (0,_archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .readChartArchive */ .hR)(bytes), { location: label, label: (name) => `${label}:${name}`, logger });
}
/** A chart location that is missing, a file, or unreadable is the user's to fix, not a crash. */
async function checkChartDir(root, location) {
    let info;
    try {
        info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(root);
    }
    catch (error) {
        const problem = (0,_shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__/* .fileSystemError */ .u)(error, 'read the chart folder', location);
        if (problem instanceof _shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__/* .FileSystemError */ .i)
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(problem.message, { file: location }, { cause: error });
        throw problem;
    }
    if (!info.isDirectory()) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`${location} is not a folder: a chart is a folder holding Chart.yaml`, { file: location });
    }
}
/**
 * Reads a file's content as Helm stores it: BOM stripped, at most 5 MiB. Only regular files
 * are read (a FIFO would block the read forever); a file-system error names the file.
 */
async function readChartFile(file) {
    if (file.data)
        return file.data;
    if (!file.diskPath)
        throw new Error(`chart file ${file.name} has no content`);
    const data = await readRegularFile(file.diskPath, file.diskPath);
    if (data.length > _archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_FILE_SIZE */ .w3) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DomainError */ .Jk(`chart file "${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(file.diskPath)}" is larger than the maximum file size ${_archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_FILE_SIZE */ .w3}`);
    }
    return (0,_archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .stripBom */ .F8)(data);
}
/** Reads a regular file only: a FIFO or device would block or never end. */
async function readRegularFile(path, shownAs) {
    try {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)(path));
        if (!info.isFile()) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DomainError */ .Jk(`${shownAs} is not a regular file (a folder, FIFO, socket or device): remove it or add it to .helmignore`);
        }
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)(path));
    }
    catch (error) {
        throw (0,_shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__/* .fileSystemError */ .u)(error, 'read', shownAs);
    }
}
async function loadFiles(files, ctx) {
    const chartYaml = files.find((f) => f.name === 'Chart.yaml');
    if (!chartYaml)
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA('Chart.yaml file is missing', { file: ctx.label('Chart.yaml') });
    const { metadata, source } = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .parseChartYaml */ .zO)(await text(chartYaml), ctx.label('Chart.yaml'));
    const chart = {
        metadata,
        source,
        lock: null,
        values: null,
        schema: null,
        templates: [],
        files: [],
        dependencies: [],
        location: ctx.location,
    };
    const subcharts = new Map();
    for (const file of files) {
        const name = file.name;
        if (name === 'Chart.yaml')
            continue;
        if (name === 'Chart.lock') {
            chart.lock = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .parseLock */ .PG)(await text(file), ctx.label(name));
        }
        else if (name === 'values.yaml') {
            const data = await readChartFile(file);
            checkValuesYaml(data, ctx.label(name));
            chart.values = { name, data };
        }
        else if (name === 'values.schema.json') {
            const data = await readChartFile(file);
            checkJson(data, ctx.label(name));
            chart.schema = { name, data };
        }
        else if (name === 'requirements.yaml') {
            if (metadata.apiVersion !== 'v1') {
                ctx.logger.warning('Dependencies are handled in Chart.yaml since apiVersion "v2"; requirements.yaml is read but not packaged. Move its dependencies into Chart.yaml.', { file: ctx.label(name) });
            }
            (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .mergeRequirements */ .Bv)(metadata, await text(file), ctx.label(name));
            if (metadata.apiVersion === 'v1')
                chart.files.push(file);
        }
        else if (name === 'requirements.lock') {
            if (metadata.apiVersion !== 'v1') {
                ctx.logger.warning('Dependency locking is handled in Chart.lock since apiVersion "v2"; requirements.lock is read but not packaged.', { file: ctx.label(name) });
            }
            chart.lock = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .parseLock */ .PG)(await text(file), ctx.label(name));
            if (metadata.apiVersion === 'v1')
                chart.files.push(file);
        }
        else if (name.startsWith('templates/')) {
            chart.templates.push(file);
        }
        else if (name.startsWith('charts/')) {
            if (name.endsWith('.prov')) {
                chart.files.push(file);
                continue;
            }
            const rest = name.slice('charts/'.length);
            const slash = rest.indexOf('/');
            const entry = slash < 0 ? rest : rest.slice(0, slash);
            const group = subcharts.get(entry) ?? [];
            group.push({ ...file, name: rest });
            subcharts.set(entry, group);
        }
        else {
            chart.files.push(file);
        }
    }
    (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .validateMetadata */ .aR)(metadata, source);
    const loaded = [];
    for (const [entry, group] of subcharts) {
        if (entry.startsWith('_') || entry.startsWith('.')) {
            ctx.logger.debug(`${ctx.label(`charts/${entry}`)}: skipped, Helm ignores charts/ entries starting with "_" or "."`);
            continue;
        }
        const where = ctx.label(`charts/${entry}`);
        try {
            loaded.push({ entry, chart: await loadSubchart(entry, group, where, ctx) });
        }
        catch (error) {
            const prefix = `error unpacking subchart ${entry} in ${metadata.name}`;
            if (error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`${prefix}: ${error.message}`, { file: error.file, line: error.line }, { cause: error });
            }
            if (error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DomainError */ .Jk)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`${prefix}: ${error.message}`, { file: where }, { cause: error });
            throw error;
        }
    }
    // Helm iterates a Go map here, so its order is random (helm/helm#3612); name order makes the
    // archive reproducible.
    loaded.sort((a, b) => (0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .compareRawNames */ .uD)(a.chart.metadata.name, b.chart.metadata.name) || (0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .compareRawNames */ .uD)(a.entry, b.entry));
    chart.dependencies = loaded.map((l) => l.chart);
    return chart;
}
async function loadSubchart(entry, group, where, ctx) {
    if (entry.endsWith('.tgz')) {
        const file = group[0];
        if (file.name !== entry) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`error unpacking subchart tar: expected ${entry}, got ${file.name}`, { file: where });
        }
        try {
            return await loadChartArchive(await readChartFile(file), where, ctx.logger);
        }
        catch (error) {
            if (error instanceof _archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .di)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(error.message, { file: where }, { cause: error });
            throw error;
        }
    }
    // Files directly at charts/<entry> (a plain file that is not a .tgz) are not a chart.
    const inner = group.filter((f) => f.name.includes('/')).map((f) => ({ ...f, name: f.name.slice(entry.length + 1) }));
    return loadFiles(inner, { location: where, label: (name) => `${where}/${name}`, logger: ctx.logger });
}
/** A values.schema.json in the chart or any of its subcharts. */
function hasValuesSchema(chart) {
    return chart.schema !== null || chart.dependencies.some(hasValuesSchema);
}
/**
 * Declared dependencies must be present in charts/ by name (Helm's CheckDependencies, run by
 * `helm package`); versions and aliases are not compared.
 */
function missingDependencies(chart) {
    const present = new Set(chart.dependencies.map((d) => d.metadata.name));
    return (chart.metadata.dependencies ?? []).flatMap((d) => (d && !present.has(d.name) ? [d.name] : []));
}
/** The bytes of a YAML file: decoding (and refusing invalid UTF-8) is the YAML decoder's job. */
async function text(file) {
    return readChartFile(file);
}
/** Helm parses values.yaml (every document must be a mapping) and refuses to load otherwise. */
function checkValuesYaml(data, file) {
    let docs;
    try {
        docs = (0,_go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_7__/* .decodeYamlDocuments */ .OJ)(data);
    }
    catch (error) {
        if (error instanceof _go_yaml_decode_js__WEBPACK_IMPORTED_MODULE_7__/* .YamlSyntaxError */ .nN) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`cannot load values.yaml: ${error.message}`, { file, line: error.line, column: error.column });
        }
        throw error;
    }
    for (const doc of docs) {
        if (doc && doc.kind !== 'map' && doc.kind !== 'null') {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA('cannot load values.yaml: every YAML document in it must be a mapping of keys to values', {
                file,
                line: doc.pos.line,
            });
        }
    }
}
function checkJson(data, file) {
    const text = data.toString('utf8');
    try {
        JSON.parse(text);
    }
    catch (error) {
        const at = (0,_shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_6__/* .jsonSyntaxErrorPosition */ .X)(text);
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`invalid JSON in values.schema.json: ${error.message}`, { file, line: at?.line, column: at?.column });
    }
}
/**
 * Helm's directory walk (internal/sympath): depth first, names in byte order within each
 * directory, symlinks followed (ignore rules see the link path with the target's kind).
 */
class Walker {
    root;
    realWorkspace;
    rules;
    label;
    logger;
    files = [];
    activeDirs = [];
    constructor(root, realWorkspace, rules, label, logger) {
        this.root = root;
        this.realWorkspace = realWorkspace;
        this.rules = rules;
        this.label = label;
        this.logger = logger;
    }
    async walk() {
        const realRoot = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(this.root);
        this.activeDirs.push(realRoot);
        await this.visit(this.root, '', realRoot);
        return this.files;
    }
    async visit(dir, relDir, realDir) {
        // Names as bytes: one that is not valid UTF-8 is packaged as Helm packages it (raw-name.ts).
        const entries = await this.fs(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)(dir), { encoding: 'buffer' }), 'list the folder', relDir);
        const names = entries.map(_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .decodeRawName */ .wL).sort(_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .compareRawNames */ .uD);
        const infos = await Promise.all(names.map((name) => this.fs(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name))), 'read', relDir === '' ? name : `${relDir}/${name}`)));
        for (let i = 0; i < names.length; i++) {
            const name = names[i];
            const rel = relDir === '' ? name : `${relDir}/${name}`;
            const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name);
            let info = infos[i];
            let real = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(realDir, name);
            if (real === (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.realWorkspace, '.git')) {
                // A chart at the repository root would carry the checkout's .git, with the token
                // actions/checkout persists in .git/config. Helm packages it; we never do.
                this.logger.info(`${this.label(rel)}: the repository's own .git is never packaged`);
                continue;
            }
            if (info.isSymbolicLink()) {
                // Helm resolves a link before it consults the ignore rules, so a dangling link fails
                // packaging even when .helmignore lists it.
                try {
                    real = (0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .decodeRawName */ .wL)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)(abs), { encoding: 'buffer' }));
                    info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)((0,_go_raw_name_js__WEBPACK_IMPORTED_MODULE_9__/* .fsPath */ .Jk)(real));
                }
                catch (error) {
                    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`error evaluating symlink ${this.label(rel)}: its target does not exist (${error.code ?? 'unreadable'})`, { file: this.label(rel) });
                }
                const inside = real === this.realWorkspace || real.startsWith(this.realWorkspace + node_path__WEBPACK_IMPORTED_MODULE_1__.sep);
                // The repository's .git holds the token actions/checkout persists: never package it.
                const gitDir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.realWorkspace, '.git');
                const intoGit = real === gitDir || real.startsWith(gitDir + node_path__WEBPACK_IMPORTED_MODULE_1__.sep);
                if (!inside || intoGit) {
                    if (this.rules.ignores(rel, info.isDirectory()))
                        continue;
                    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`symbolic link ${this.label(rel)} points ${intoGit ? "into the repository's .git folder" : 'outside the workspace'} (${real}); ` +
                        'a chart must not carry files from outside the repository or from git: replace the link with the file, or add it to .helmignore', { file: this.label(rel) });
                }
                this.logger.info(`found symbolic link in path: ${this.label(rel)} \u2192 ${toPosix((0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(this.realWorkspace, real))}; its contents are included unless .helmignore leaves it out`);
            }
            if (info.isDirectory()) {
                if (this.rules.ignores(rel, true)) {
                    this.debugIgnored(rel, true);
                    continue;
                }
                if (this.activeDirs.includes(real)) {
                    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`symbolic link loop: ${this.label(rel)} leads back to a directory that contains it`, {
                        file: this.label(rel),
                    });
                }
                this.activeDirs.push(real);
                await this.visit(abs, rel, real);
                this.activeDirs.pop();
                continue;
            }
            if (this.rules.ignores(rel, false)) {
                this.debugIgnored(rel, false);
                continue;
            }
            if (!info.isFile()) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`cannot load irregular file ${this.label(rel)} as it has file mode type bits set (a FIFO, socket or device): ` +
                    'remove it or add it to .helmignore', { file: this.label(rel) });
            }
            if (info.size > _archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_FILE_SIZE */ .w3) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(`chart file "${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(real)}" is larger than the maximum file size ${_archive_reader_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_FILE_SIZE */ .w3} (5 MiB) that Helm accepts: ` +
                    'add it to .helmignore or make it smaller', { file: this.label(rel) });
            }
            this.files.push({ name: rel, diskPath: abs });
        }
    }
    /** Runs a file-system call; its error becomes a ChartError naming the file and what to do. */
    async fs(op, doing, rel) {
        try {
            return await op();
        }
        catch (error) {
            const file = rel === '' ? this.label('.').replace(/\/\.$/, '') : this.label(rel);
            const problem = (0,_shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__/* .fileSystemError */ .u)(error, doing, file);
            if (problem instanceof _shared_file_system_error_js__WEBPACK_IMPORTED_MODULE_3__/* .FileSystemError */ .i)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ChartError */ .DA(problem.message, { file }, { cause: error });
            throw problem;
        }
    }
    debugIgnored(rel, isDir) {
        if (this.logger.isDebug()) {
            this.logger.debug(`${this.label(rel)}${isDir ? '/' : ''}: left out by .helmignore ${this.rules.explain(rel, isDir) ?? ''}`);
        }
    }
}
async function exists(path) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path);
        return true;
    }
    catch {
        return false;
    }
}
function toPosix(p) {
    return p.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/');
}


/***/ }),

/***/ 15444:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ goJsonString)
/* harmony export */ });
/**
 * A JSON string as Go's encoding/json writes it (escapeHTML on, as json.Marshal does):
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX / \u20XX, \b \f \n \r \t short forms,
 * other control characters as \u00XX with lowercase hex, lone surrogates as U+FFFD.
 * Helm's OCI config blob is encoding/json output (../shared/spec/helm-oci.md \u00a73.2).
 */
function goJsonString(s) {
    let out = '"';
    for (const ch of s.toWellFormed()) {
        const c = ch.codePointAt(0);
        switch (ch) {
            case '"':
                out += '\\"';
                continue;
            case '\\':
                out += '\\\\';
                continue;
            case '\b':
                out += '\\b';
                continue;
            case '\f':
                out += '\\f';
                continue;
            case '\n':
                out += '\\n';
                continue;
            case '\r':
                out += '\\r';
                continue;
            case '\t':
                out += '\\t';
                continue;
        }
        if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
            out += `\\u${c.toString(16).padStart(4, '0')}`;
        }
        else {
            out += ch;
        }
    }
    return `${out}"`;
}


/***/ }),

/***/ 95369:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ goTrimSpace),
/* harmony export */   x: () => (/* binding */ sanitizeString)
/* harmony export */ });
/**
 * Go's unicode.IsSpace / unicode.IsPrint and the helpers Helm builds on them. JavaScript's
 * `\s` differs (it includes U+FEFF and lacks U+0085), so the classes are spelled out.
 */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE = new RegExp(`[${GO_SPACE}]`, 'u');
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'gu');
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINT = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
function goIsSpace(ch) {
    return SPACE.test(ch);
}
function goIsPrint(ch) {
    return PRINT.test(ch);
}
/** strings.TrimSpace. */
function goTrimSpace(s) {
    return s.replace(TRIM, '');
}
/**
 * Helm's sanitizeString (pkg/chart/v2/metadata.go, ../shared/spec/helm-oci.md \u00a71.6): every
 * Unicode space becomes " ", every other non-printable character is dropped.
 */
function sanitizeString(s) {
    let out = '';
    for (const ch of s) {
        if (goIsSpace(ch))
            out += ' ';
        else if (goIsPrint(ch))
            out += ch;
    }
    return out;
}


/***/ }),

/***/ 63055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   An: () => (/* binding */ STRING),
/* harmony export */   E4: () => (/* binding */ zeroStruct),
/* harmony export */   HX: () => (/* binding */ BOOL),
/* harmony export */   KQ: () => (/* binding */ normaliseRfc3339),
/* harmony export */   q$: () => (/* binding */ HopError),
/* harmony export */   yZ: () => (/* binding */ decodeStruct)
/* harmony export */ });
/* unused harmony export describe */
/* harmony import */ var _yaml_emit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(97110);
/* harmony import */ var _shared_byte_order_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(17302);


/** A value that cannot go into its field; carries the position of the offending YAML node. */
class HopError extends Error {
    pos;
    constructor(message, pos) {
        super(message);
        this.name = 'HopError';
        this.pos = pos;
    }
}
const STRING = { kind: 'string' };
const BOOL = { kind: 'bool' };
/**
 * Decodes node into target (which starts as the struct's zero value, or an existing value to
 * merge into, as Helm does with requirements.yaml). A null or missing document is a no-op.
 */
function decodeStruct(node, schema, target, report) {
    if (node === undefined || node.kind === 'null')
        return target;
    if (node.kind !== 'map') {
        throw new HopError(`expected a mapping of keys to values, found ${describe(node)}`, node.pos);
    }
    for (const { key, jsonKey, value } of jsonOrder(node)) {
        const field = findField(schema, jsonKey);
        if (!field) {
            report?.unknownKeys.push({ key: jsonKey, pos: key.pos });
            continue;
        }
        const [name, type] = field;
        if (report) {
            if (!report.keyPositions.has(name))
                report.keyPositions.set(name, key.pos);
            report.valueKinds.set(name, value.kind);
        }
        const decoded = decodeValue(value, type, `${schema.goName}.${name}`, target[name]);
        if (decoded !== UNCHANGED)
            target[name] = decoded;
    }
    return target;
}
/** The zero value of a struct: "" for strings, false for bools, null for lists and maps. */
function zeroStruct(schema) {
    const out = {};
    for (const [name, type] of schema.fields)
        out[name] = zeroOf(type);
    return out;
}
function zeroOf(type) {
    switch (type.kind) {
        case 'string':
            return '';
        case 'bool':
            return false;
        case 'time':
            return '0001-01-01T00:00:00Z';
        default:
            return null;
    }
}
const UNCHANGED = Symbol('unchanged');
function decodeValue(node, type, path, existing) {
    switch (type.kind) {
        case 'string':
            if (node.kind === 'null')
                return UNCHANGED;
            if (node.kind === 'string')
                return node.value;
            if (node.kind === 'int')
                return node.value.toString();
            if (node.kind === 'float')
                return (0,_yaml_emit_js__WEBPACK_IMPORTED_MODULE_0__/* .formatFloat32 */ .Pp)(node.value);
            if (node.kind === 'bool')
                return node.value ? 'true' : 'false';
            throw mismatch(node, path, 'string');
        case 'bool':
            if (node.kind === 'null')
                return UNCHANGED;
            if (node.kind === 'bool')
                return node.value;
            throw mismatch(node, path, 'bool');
        case 'time':
            if (node.kind === 'null')
                return UNCHANGED;
            if (node.kind === 'string') {
                const normalised = normaliseRfc3339(node.value);
                if (normalised === undefined) {
                    throw new HopError(`"${node.value}" is not an RFC 3339 timestamp (e.g. 2024-01-02T15:04:05Z)`, node.pos);
                }
                return normalised;
            }
            throw mismatch(node, path, 'time.Time');
        case 'any':
            return toJsonValue(node);
        case 'list':
            if (node.kind === 'null')
                return null;
            if (node.kind !== 'seq')
                throw mismatch(node, path, `[]${goTypeName(type.of)}`);
            return node.items.map((item) => {
                if (item.kind === 'null')
                    return type.of.kind === 'struct' ? null : zeroOf(type.of);
                const value = decodeValue(item, type.of, path, undefined);
                return value === UNCHANGED ? zeroOf(type.of) : value;
            });
        case 'string-map': {
            if (node.kind === 'null')
                return null;
            if (node.kind !== 'map')
                throw mismatch(node, path, 'map[string]string');
            // encoding/json decodes into an existing map by adding keys.
            const out = existing instanceof Map ? new Map(existing) : new Map();
            for (const { jsonKey, value } of jsonOrder(node)) {
                const decoded = decodeValue(value, STRING, path, undefined);
                out.set(jsonKey, decoded === UNCHANGED ? '' : decoded);
            }
            return out;
        }
        case 'struct':
            if (node.kind === 'null')
                return null;
            if (node.kind !== 'map')
                throw mismatch(node, path, type.schema.goName);
            return decodeStruct(node, type.schema, zeroStruct(type.schema));
    }
}
/**
 * Keys as JSON sees them: converted to strings, a later duplicate replacing an earlier one
 * (go-yaml fills a Go map), then in byte order (encoding/json writes map keys sorted, and
 * decoding assigns fields in that order, so the last of `Version`/`version` wins).
 */
function jsonOrder(node) {
    const byKey = new Map();
    for (const { key, value } of node.entries) {
        const jsonKey = keyString(key);
        byKey.set(jsonKey, { key, jsonKey, value });
    }
    return [...byKey.values()].sort((a, b) => (0,_shared_byte_order_js__WEBPACK_IMPORTED_MODULE_1__/* .compareBytewise */ .G)(a.jsonKey, b.jsonKey));
}
function keyString(key) {
    switch (key.kind) {
        case 'string':
            return key.value;
        case 'int':
            return key.value.toString();
        case 'float': {
            const s = (0,_yaml_emit_js__WEBPACK_IMPORTED_MODULE_0__/* .formatFloat32 */ .Pp)(key.value);
            return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
        }
        case 'bool':
            return key.value ? 'true' : 'false';
        default:
            throw new HopError(`a mapping key must be a scalar, found ${describe(key)}`, key.pos);
    }
}
function findField(schema, key) {
    const exact = schema.fields.find(([name]) => name === key);
    if (exact)
        return exact;
    const folded = key.toLowerCase();
    return schema.fields.find(([name]) => name.toLowerCase() === folded);
}
/** A YAML value as the Go `any` it becomes after the JSON hop (numbers are float64). */
function toJsonValue(node) {
    switch (node.kind) {
        case 'null':
            return null;
        case 'bool':
            return node.value;
        case 'string':
            return node.value;
        case 'int':
        case 'float': {
            const f = Number(node.value);
            if (!Number.isFinite(f))
                throw new HopError(`${describe(node)} cannot be represented in JSON`, node.pos);
            // Go's encoder writes integral float64 values below 1e21 without a fraction, and go-yaml
            // reads those back as integers.
            return Number.isInteger(f) && Math.abs(f) < 1e21 ? new _yaml_emit_js__WEBPACK_IMPORTED_MODULE_0__/* .GoInt */ .ov(BigInt(f)) : new _yaml_emit_js__WEBPACK_IMPORTED_MODULE_0__/* .GoFloat */ .LK(f);
        }
        case 'seq':
            return node.items.map(toJsonValue);
        case 'map': {
            const out = new Map();
            for (const { jsonKey, value } of jsonOrder(node))
                out.set(jsonKey, toJsonValue(value));
            return out;
        }
    }
}
function mismatch(node, path, goType) {
    return new HopError(`cannot use ${describe(node)} as ${path} (Go type ${goType})`, node.pos);
}
function goTypeName(type) {
    switch (type.kind) {
        case 'struct':
            return `*${type.schema.goName}`;
        case 'list':
            return `[]${goTypeName(type.of)}`;
        case 'string-map':
            return 'map[string]string';
        case 'any':
            return 'interface{}';
        case 'time':
            return 'time.Time';
        default:
            return type.kind;
    }
}
function describe(node) {
    switch (node.kind) {
        case 'seq':
            return 'a list';
        case 'map':
            return 'a mapping';
        case 'null':
            return 'null';
        case 'string':
            return `the string "${node.value}"`;
        case 'bool':
            return `the boolean ${node.value}`;
        case 'int':
            return `the number ${node.value}`;
        case 'float':
            return `the number ${node.value}`;
    }
}
/**
 * time.Time's JSON round trip: parse strict RFC 3339, write RFC 3339 with nanoseconds and
 * trailing zeros trimmed; a zero offset is written as Z.
 */
function normaliseRfc3339(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(s);
    if (!m)
        return undefined;
    const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = m;
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (date.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) {
        return undefined;
    }
    const fraction = frac.replace(/0+$/, '');
    const offset = zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
    return `${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction === '.' ? '' : fraction}${offset}`;
}


/***/ }),

/***/ 68657:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G6: () => (/* binding */ encodeRawName),
/* harmony export */   Jk: () => (/* binding */ fsPath),
/* harmony export */   uD: () => (/* binding */ compareRawNames),
/* harmony export */   vg: () => (/* binding */ utf8SequenceLength),
/* harmony export */   wL: () => (/* binding */ decodeRawName)
/* harmony export */ });
/**
 * File names as bytes. Linux file names are bytes, not text; Helm (Go) walks and archives them
 * as they are, so a name that is not valid UTF-8 is packaged with its raw bytes in the tar
 * header. Node decodes names as UTF-8 and replaces invalid bytes, after which the file cannot
 * even be opened. Names here are strings in which each byte that is not part of valid UTF-8 is
 * kept as one lone surrogate U+DC80\u2013U+DCFF (Python's "surrogateescape"): the string works with
 * every path and ignore-rule operation, and converts back to the exact bytes at the edges (file
 * system calls, tar headers).
 */
const ESCAPE_BASE = 0xdc00;
/** A directory entry's bytes as a name string; valid UTF-8 decodes as usual. */
function decodeRawName(bytes) {
    const text = bytes.toString('utf8');
    if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes))
        return text;
    let out = '';
    let i = 0;
    while (i < bytes.length) {
        const length = utf8SequenceLength(bytes, i);
        if (length > 0) {
            out += bytes.subarray(i, i + length).toString('utf8');
            i += length;
        }
        else {
            out += String.fromCharCode(ESCAPE_BASE + bytes[i]);
            i += 1;
        }
    }
    return out;
}
/** The bytes a name stands for. */
function encodeRawName(name) {
    if (!hasEscapes(name))
        return Buffer.from(name, 'utf8');
    const parts = [];
    let run = '';
    for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        const high = i > 0 ? name.charCodeAt(i - 1) : 0;
        if (c >= 0xdc80 && c <= 0xdcff && !(high >= 0xd800 && high <= 0xdbff)) {
            parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - ESCAPE_BASE]));
            run = '';
        }
        else {
            run += name[i];
        }
    }
    parts.push(Buffer.from(run, 'utf8'));
    return Buffer.concat(parts);
}
/** A path for a file-system call: the string itself, or its bytes when it holds raw bytes. */
function fsPath(path) {
    return hasEscapes(path) ? encodeRawName(path) : path;
}
/** Byte order of the names as stored (Go compares strings bytewise). */
function compareRawNames(a, b) {
    return Buffer.compare(encodeRawName(a), encodeRawName(b));
}
function hasEscapes(name) {
    return /[\udc80-\udcff]/.test(name);
}
/**
 * Length of the valid UTF-8 sequence starting at i, or 0 if the byte there starts none (as Go's
 * utf8.DecodeRune judges: no overlong forms, surrogates or code points above U+10FFFF).
 */
function utf8SequenceLength(bytes, i) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0)
        return 0;
    for (let k = 1; k <= need; k++) {
        const c = bytes[i + k];
        if (c === undefined || (c & 0xc0) !== 0x80)
            return 0;
    }
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f))
        return 0;
    return need + 1;
}


/***/ }),

/***/ 95422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FJ: () => (/* binding */ parseConstraint),
/* harmony export */   W7: () => (/* binding */ nextPatch),
/* harmony export */   YB: () => (/* binding */ ConstraintError),
/* harmony export */   Zy: () => (/* binding */ compareVersions),
/* harmony export */   ll: () => (/* binding */ newestFirst),
/* harmony export */   ot: () => (/* binding */ parseVersion),
/* harmony export */   r1: () => (/* binding */ sameVersion),
/* harmony export */   tD: () => (/* binding */ parseStrictVersion)
/* harmony export */ });
/**
 * Versions and version ranges the way Helm reads them: Masterminds/semver v3 (v3.5.0 in Helm's
 * go.mod; ../shared/spec/helm-oci.md \u00a70 and \u00a71.6.3), not npm's semver. Part of the chart format:
 * a chart's own version and its dependencies' versions and ranges. Versions are parsed in
 * Masterminds' coercing mode (`1`, `1.2`, `v1.2.3` are versions). Ranges follow Masterminds'
 * grammar and its check rules, which differ from npm's in ways charts rely on:
 * `>= 1.0, < 2.0` (comma AND), `=>`/`=<`, `!=`, `2.x.x`/`1.42.*` wildcards, and pre-release
 * ranges that are not confined to one `major.minor.patch` as npm confines them.
 */
class ConstraintError extends Error {
}
const UINT64_MAX = (1n << 64n) - 1n;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const NUMERIC = /^[0-9]+$/;
// Masterminds' loose version pattern (CoerceNewVersion, which Helm never turns off).
const LOOSE_VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
/**
 * Masterminds `NewVersion` (coerceNewVersion): undefined exactly when Helm would not read `text` as
 * a version (\u00a71.6.3): an optional `v`, one to three numeric parts (leading zeros allowed, each at
 * most 2^64-1), a pre-release of non-empty `[0-9A-Za-z-]` identifiers without leading zeros in
 * numeric ones, build metadata of non-empty `[0-9A-Za-z-]` identifiers; nothing else, no spaces.
 */
function parseVersion(text) {
    const m = LOOSE_VERSION.exec(text);
    if (!m)
        return undefined;
    const part = (s) => (s ? BigInt(s.replace(/^\./, '')) : 0n);
    const [major, minor, patch] = [part(m[1]), part(m[2]), part(m[3])];
    if (major > UINT64_MAX || minor > UINT64_MAX || patch > UINT64_MAX)
        return undefined;
    const prerelease = m[5] ?? '';
    const metadata = m[8] ?? '';
    if (prerelease && !validPrerelease(prerelease))
        return undefined;
    if (metadata && !metadata.split('.').every((id) => IDENTIFIER.test(id)))
        return undefined;
    return { major, minor, patch, prerelease, metadata, original: text };
}
function validPrerelease(pre) {
    return pre.split('.').every((id) => IDENTIFIER.test(id) && !(NUMERIC.test(id) && id.length > 1 && id.startsWith('0')));
}
/** Masterminds `StrictNewVersion`: exactly MAJOR.MINOR.PATCH, no `v`, no leading zeros. */
function parseStrictVersion(text) {
    const parts = text.split('.');
    if (parts.length < 3)
        return undefined;
    const rest = parts.slice(2).join('.');
    const plus = rest.indexOf('+');
    const beforeBuild = plus < 0 ? rest : rest.slice(0, plus);
    const metadata = plus < 0 ? '' : rest.slice(plus + 1);
    const dash = beforeBuild.indexOf('-');
    const patch = dash < 0 ? beforeBuild : beforeBuild.slice(0, dash);
    const prerelease = dash < 0 ? '' : beforeBuild.slice(dash + 1);
    if (plus >= 0 && !metadata.split('.').every((id) => IDENTIFIER.test(id)))
        return undefined;
    if (dash >= 0 && !validPrerelease(prerelease))
        return undefined;
    const numbers = [parts[0] ?? '', parts[1] ?? '', patch];
    if (!numbers.every((n) => NUMERIC.test(n) && !(n.length > 1 && n.startsWith('0'))))
        return undefined;
    const [major, minor, patchNumber] = numbers.map((n) => BigInt(n));
    if (major > UINT64_MAX || minor > UINT64_MAX || patchNumber > UINT64_MAX)
        return undefined;
    return { major, minor, patch: patchNumber, prerelease, metadata, original: text };
}
/**
 * Whether two texts are the same version once read as Helm reads them (`v1.2.3`, `1.2.3` and
 * `01.2.3` are; `1.2.3+a` and `1.2.3+b` are not: their tags differ).
 */
function sameVersion(a, b) {
    return compareVersions(a, b) === 0 && a.metadata === b.metadata;
}
/**
 * The smallest release above `version`, written the way it is (a `v` prefix kept): the patch
 * incremented, or for a pre-release the release it leads to (Masterminds `IncPatch`).
 */
function nextPatch(version) {
    const patch = version.prerelease !== '' ? version.patch : version.patch + 1n;
    return `${version.original.startsWith('v') ? 'v' : ''}${version.major}.${version.minor}.${patch}`;
}
/** Precedence as Masterminds computes it: build metadata ignored. */
function compareVersions(a, b) {
    for (const [x, y] of [
        [a.major, b.major],
        [a.minor, b.minor],
        [a.patch, b.patch],
    ]) {
        if (x !== y)
            return x < y ? -1 : 1;
    }
    if (a.prerelease === b.prerelease)
        return 0;
    if (a.prerelease === '')
        return 1;
    if (b.prerelease === '')
        return -1;
    return comparePrerelease(a.prerelease, b.prerelease);
}
function comparePrerelease(a, b) {
    const as = a.split('.');
    const bs = b.split('.');
    for (let i = 0; i < Math.max(as.length, bs.length); i++) {
        const d = comparePrereleasePart(as[i] ?? '', bs[i] ?? '');
        if (d !== 0)
            return d;
    }
    return 0;
}
function comparePrereleasePart(s, o) {
    if (s === o)
        return 0;
    if (s === '')
        return -1;
    if (o === '')
        return 1;
    const sn = asUint64(s);
    const on = asUint64(o);
    if (sn === undefined && on === undefined)
        return s > o ? 1 : -1;
    if (on === undefined)
        return -1;
    if (sn === undefined)
        return 1;
    return sn > on ? 1 : -1;
}
function asUint64(s) {
    if (!NUMERIC.test(s))
        return undefined;
    const n = BigInt(s);
    return n > UINT64_MAX ? undefined : n;
}
/** Newest first, as Helm sorts index entries and tags. */
function newestFirst(a, b) {
    return compareVersions(b, a);
}
// ---------------------------------------------------------------------------------------------
// Ranges (Masterminds constraints.go). Go's RE2 and JavaScript both pick the leftmost-first
// alternative, so the same patterns split the same way; only `\s` is spelled out, as RE2's.
const S = '[\\t\\n\\f\\r ]';
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
    '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
    '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const ONE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const HYPHEN_RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
const VALID_GROUP = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);
/** Masterminds `NewConstraint`; throws ConstraintError with Masterminds' reason. */
function parseConstraint(text) {
    const rewritten = rewriteHyphenRanges(text);
    const groups = [];
    for (const group of rewritten.split('||')) {
        if (!VALID_GROUP.test(group))
            throw new ConstraintError(`improper constraint: ${JSON.stringify(group)}`);
        const found = [...group.matchAll(FIND)].map((m) => m[0]);
        const comparisons = (found.length > 0 ? found : [group]).map(parseComparison);
        groups.push({ comparisons, includePrerelease: comparisons.some((c) => c.version.prerelease !== '') });
    }
    return {
        text,
        check(version) {
            // A pre-release only matches a group that names a pre-release itself.
            return groups.some((g) => g.comparisons.every((c) => checkComparison(version, c, g.includePrerelease)));
        },
    };
}
function rewriteHyphenRanges(text) {
    let out = text;
    for (const m of text.matchAll(HYPHEN_RANGE)) {
        const replacement = `>= ${m[1]}, <= ${m[11]} `;
        out = out.replace(m[0], () => replacement);
    }
    return out;
}
function isWildcard(s) {
    return s === 'x' || s === 'X' || s === '*';
}
function parseComparison(text) {
    const m = ONE.exec(text);
    if (!m)
        throw new ConstraintError(`improper constraint: ${JSON.stringify(text)}`);
    const op = (m[1] ?? '');
    const whole = m[2] ?? '';
    const major = m[3] ?? '';
    const minor = m[4] ?? '';
    const patch = m[5] ?? '';
    const pre = m[6] ?? '';
    let dirty = false;
    let minorDirty = false;
    let patchDirty = false;
    let text2 = whole;
    if (isWildcard(major) || major === '') {
        dirty = true;
        text2 = `0.0.0${pre}`;
    }
    else if (isWildcard(minor.replace(/^\./, '')) || minor === '') {
        dirty = minorDirty = true;
        text2 = `${major}.0.0${pre}`;
    }
    else if (isWildcard(patch.replace(/^\./, '')) || patch === '') {
        dirty = patchDirty = true;
        text2 = `${major}${minor}.0${pre}`;
    }
    const version = parseVersion(text2);
    if (!version)
        throw new ConstraintError(`improper constraint: ${JSON.stringify(text)} (${JSON.stringify(whole)} is not a version)`);
    return { op, version, dirty, minorDirty, patchDirty };
}
function checkComparison(v, c, includePrerelease) {
    if (v.prerelease !== '' && !includePrerelease)
        return false;
    const con = c.version;
    switch (c.op) {
        case '':
        case '=':
            return c.dirty ? tilde(v, c) : compareVersions(v, con) === 0;
        case '!=':
            return notEqual(v, c);
        case '>':
            if (!c.dirty)
                return compareVersions(v, con) > 0;
            if (v.major !== con.major)
                return v.major > con.major;
            if (c.minorDirty)
                return false;
            if (c.patchDirty)
                return v.minor > con.minor;
            return compareVersions(v, con) > 0;
        case '<':
            return compareVersions(v, con) < 0;
        case '>=':
        case '=>':
            return compareVersions(v, con) >= 0;
        case '<=':
        case '=<':
            if (!c.dirty)
                return compareVersions(v, con) <= 0;
            if (v.major > con.major)
                return false;
            return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
        case '~':
        case '~>':
            return tilde(v, c);
        case '^':
            return caret(v, c);
    }
}
function tilde(v, c) {
    const con = c.version;
    if (compareVersions(v, con) < 0)
        return false;
    // ~0.0.0 accepts everything.
    if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty)
        return true;
    if (v.major !== con.major)
        return false;
    return v.minor === con.minor || c.minorDirty;
}
function caret(v, c) {
    const con = c.version;
    if (compareVersions(v, con) < 0)
        return false;
    if (con.major > 0n || c.minorDirty)
        return v.major === con.major;
    if (v.major > 0n)
        return false;
    if (con.minor > 0n || c.patchDirty)
        return v.minor === con.minor;
    if (v.minor > 0n)
        return false;
    return v.patch === con.patch;
}
function notEqual(v, c) {
    const con = c.version;
    if (c.dirty) {
        if (con.major !== v.major)
            return true;
        if (con.minor !== v.minor && !c.minorDirty)
            return true;
        if (c.minorDirty)
            return false;
        if (con.patch !== v.patch && !c.patchDirty)
            return true;
        if (c.patchDirty) {
            if (v.prerelease !== '' || con.prerelease !== '')
                return comparePrerelease(v.prerelease, con.prerelease) !== 0;
            return false;
        }
    }
    return compareVersions(v, con) !== 0;
}


/***/ }),

/***/ 83167:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fx: () => (/* binding */ isTimestamp),
/* harmony export */   LV: () => (/* binding */ yamlToPlain),
/* harmony export */   OJ: () => (/* binding */ decodeYamlDocuments),
/* harmony export */   SE: () => (/* binding */ decodeYaml),
/* harmony export */   T: () => (/* binding */ resolveScalar),
/* harmony export */   nN: () => (/* binding */ YamlSyntaxError),
/* harmony export */   pS: () => (/* binding */ yamlText),
/* harmony export */   ws: () => (/* binding */ scalarText)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38815);
/* harmony import */ var _raw_name_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(68657);


class YamlSyntaxError extends Error {
    line;
    column;
    constructor(message, pos) {
        super(message);
        this.name = 'YamlSyntaxError';
        this.line = pos.line;
        this.column = pos.column;
    }
}
const TAG_PREFIX = 'tag:yaml.org,2002:';
const RESOLVABLE_TAGS = new Set(['', 'str', 'bool', 'int', 'float', 'null', 'timestamp']);
/** Nesting limit; deeper documents are refused rather than risk the stack (go-yaml stops at 10000). */
const MAX_DEPTH = 1000;
/**
 * go-yaml v2 decode.go `allowedAliasRatio`: the share of decoded nodes that may come from alias
 * expansion, 99% for documents up to 400,000 nodes, falling to 10% at 4,000,000.
 */
function allowedAliasRatio(decodeCount) {
    const low = 400_000;
    const high = 4_000_000;
    if (decodeCount <= low)
        return 0.99;
    if (decodeCount >= high)
        return 0.1;
    return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}
/**
 * Decodes the first YAML document (go-yaml v2's Unmarshal reads only the first one).
 * Returns undefined for an empty document. Throws YamlSyntaxError with the line.
 * Bytes are checked as go-yaml's reader checks them (valid UTF-8, no control characters).
 */
function decodeYaml(source) {
    return decode(source, false)[0];
}
/** Decodes every document of a stream (values.yaml); an empty document is undefined. */
function decodeYamlDocuments(source) {
    return decode(source, true);
}
function decode(source, all) {
    const text = yamlText(source);
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const docs = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseAllDocuments */ .hR)(text, {
        schema: 'failsafe',
        version: '1.1',
        uniqueKeys: false,
        merge: false,
        lineCounter,
        prettyErrors: false,
    });
    // parseAllDocuments returns an EmptyStream (not an array) for a stream without documents.
    const list = Array.isArray(docs) ? docs : [];
    const results = [];
    for (const doc of all ? list : list.slice(0, 1)) {
        const error = doc.errors[0];
        if (error) {
            const at = lineCounter.linePos(error.pos[0]);
            throw new YamlSyntaxError(libraryMessage(error.message), { line: at.line, column: at.col });
        }
        const contents = doc.contents;
        results.push(contents === null ? undefined : new Converter(doc, lineCounter).convert(contents, 0));
    }
    return results;
}
/**
 * The text go-yaml's reader accepts (yaml_parser_update_buffer): valid UTF-8 and only the
 * printable characters of YAML 1.1 \u00a75.1. Helm fails on anything else ("invalid leading UTF-8
 * octet", "control characters are not allowed"); replacing the bytes would publish a chart Helm
 * cannot load.
 */
function yamlText(source) {
    let text;
    if (typeof source === 'string') {
        text = source;
    }
    else {
        try {
            text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(source);
        }
        catch {
            const offset = invalidUtf8Offset(source);
            const line = lineOfByte(source, offset);
            throw new YamlSyntaxError(`invalid UTF-8 byte 0x${(source[offset] ?? 0).toString(16).padStart(2, '0')}: YAML must be UTF-8 text (Helm refuses it: "invalid leading UTF-8 octet")`, { line, column: 1 });
        }
    }
    const bad = NOT_PRINTABLE.exec(text);
    if (bad) {
        const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
        const before = text.slice(0, bad.index);
        const line = before.split('\n').length;
        throw new YamlSyntaxError(`control character U+${code} is not allowed in YAML (Helm refuses it: "control characters are not allowed")`, {
            line,
            column: bad.index - before.lastIndexOf('\n'),
        });
    }
    return text;
}
/** Everything go-yaml's reader refuses: YAML 1.1 c-printable, with the BOM allowed. */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
function invalidUtf8Offset(bytes) {
    let i = 0;
    while (i < bytes.length) {
        const length = (0,_raw_name_js__WEBPACK_IMPORTED_MODULE_1__/* .utf8SequenceLength */ .vg)(bytes, i);
        if (length === 0)
            return i;
        i += length;
    }
    return Math.min(i, bytes.length - 1);
}
function lineOfByte(bytes, offset) {
    let line = 1;
    for (let i = 0; i < offset; i++)
        if (bytes[i] === 0x0a)
            line++;
    return line;
}
function libraryMessage(message) {
    // The library appends a source excerpt after the first line; we print our own location.
    const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
    // The library's recursive parser reports nesting beyond the stack as a stack overflow.
    return first.includes('Maximum call stack size exceeded') ? 'document nests too deeply' : first;
}
class Converter {
    lines;
    /** go-yaml v2's decodeCount/aliasCount: every node decoded, and those decoded inside an alias. */
    decodeCount = 0;
    aliasCount = 0;
    aliasDepth = 0;
    /** Anchors whose expansion is in progress: an alias to one of them is a cycle. */
    expanding = new Set();
    /** Each alias's target, found in one pass in document order ("the last anchor before it"). */
    targets = new Map();
    constructor(doc, lines) {
        this.lines = lines;
        const anchors = new Map();
        (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .visit */ .YR)(doc, {
            Node: (_key, node) => {
                if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node)) {
                    const target = anchors.get(node.source);
                    if (target)
                        this.targets.set(node, target);
                }
                else if (node.anchor) {
                    anchors.set(node.anchor, node);
                }
            },
        });
    }
    pos(node) {
        const offset = node.range?.[0] ?? 0;
        const at = this.lines.linePos(offset);
        return { line: at.line, column: at.col };
    }
    convert(node, depth) {
        if (depth > MAX_DEPTH)
            throw new YamlSyntaxError(`document nests too deeply (more than ${MAX_DEPTH} levels)`, this.pos(node));
        this.decodeCount++;
        if (this.aliasDepth > 0)
            this.aliasCount++;
        if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
            // go-yaml v2's own words, so that the message matches what Helm prints.
            throw new YamlSyntaxError('document contains excessive aliasing', this.pos(node));
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node)) {
            const target = this.targets.get(node);
            if (!target)
                throw new YamlSyntaxError(`unknown anchor "${node.source}" referenced`, this.pos(node));
            if (this.expanding.has(target))
                throw new YamlSyntaxError(`anchor "${node.source}" value contains itself`, this.pos(node));
            this.expanding.add(target);
            this.aliasDepth++;
            try {
                return this.convert(target, depth + 1);
            }
            finally {
                this.aliasDepth--;
                this.expanding.delete(target);
            }
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node)) {
            const text = typeof node.value === 'string' ? node.value : node.value == null ? '' : JSON.stringify(node.value);
            const plain = node.type === 'PLAIN';
            const tag = node.tag?.startsWith(TAG_PREFIX) ? node.tag.slice(TAG_PREFIX.length) : (node.tag ?? '');
            // A quoted or block scalar without a tag is a string; go-yaml resolves only plain ones.
            if (!plain && tag === '')
                return { kind: 'string', value: text, pos: this.pos(node) };
            return resolveScalar(text, tag, this.pos(node));
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node)) {
            return {
                kind: 'seq',
                items: node.items.map((item) => this.convert(item, depth + 1)),
                pos: this.pos(node),
            };
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node)) {
            const entries = [];
            for (const pair of node.items) {
                const keyNode = pair.key;
                const key = keyNode ? this.convert(keyNode, depth + 1) : { kind: 'null', pos: this.pos(node) };
                const valueNode = pair.value;
                const value = valueNode
                    ? this.convert(valueNode, depth + 1)
                    : { kind: 'null', pos: keyNode ? this.pos(keyNode) : this.pos(node) };
                if (key.kind === 'string' && key.value === '<<' && keyNode && (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(keyNode) && keyNode.type === 'PLAIN') {
                    // YAML 1.1 merge key: go-yaml copies the merged mapping(s) in place.
                    for (const merged of value.kind === 'seq' ? value.items : [value]) {
                        if (merged.kind !== 'map') {
                            throw new YamlSyntaxError('map merge requires map or sequence of maps as the value', value.pos);
                        }
                        // One by one: a spread of an unbounded list into push() overflows the stack.
                        for (const entry of merged.entries)
                            entries.push(entry);
                    }
                    continue;
                }
                entries.push({ key, value });
            }
            return { kind: 'map', entries, pos: this.pos(node) };
        }
        throw new YamlSyntaxError('unsupported YAML node', this.pos(node));
    }
}
/**
 * A decoded document as plain JSON-like values, as sigs.k8s.io/yaml hands it to Go's
 * encoding/json: keys become strings, integers numbers (large ones strings of their digits).
 */
function yamlToPlain(node) {
    if (!node)
        return null;
    switch (node.kind) {
        case 'null':
            return null;
        case 'bool':
        case 'float':
        case 'string':
            return node.value;
        case 'int':
            return Number.isSafeInteger(Number(node.value)) ? Number(node.value) : node.value.toString();
        case 'seq':
            return node.items.map(yamlToPlain);
        case 'map': {
            const out = Object.create(null);
            for (const { key, value } of node.entries)
                out[plainKey(key)] = yamlToPlain(value);
            return out;
        }
    }
}
/**
 * A scalar as the text it becomes as a map key when sigs.k8s.io/yaml converts YAML to JSON for
 * Go (`~` becomes "null"); undefined for a sequence or mapping.
 */
function scalarText(node) {
    switch (node.kind) {
        case 'null':
            return 'null';
        case 'string':
            return node.value;
        case 'bool':
        case 'float':
        case 'int':
            return String(node.value);
        default:
            return undefined;
    }
}
function plainKey(key) {
    const text = scalarText(key);
    if (text === undefined)
        throw new YamlSyntaxError('a mapping key must be a scalar', key.pos);
    return text;
}
/** go-yaml v2 `resolve(tag, in)`: the value a plain (or explicitly tagged) scalar denotes. */
function resolveScalar(text, tag, pos) {
    if (!RESOLVABLE_TAGS.has(tag))
        return { kind: 'string', value: text, pos };
    const resolved = tag === 'str' ? { kind: 'string', value: text, pos } : resolveImplicit(text, pos);
    if (tag === '' || tag === 'str')
        return resolved;
    const got = resolved.kind === 'string' && isTimestamp(text) ? 'timestamp' : resolved.kind;
    if (got === tag)
        return resolved;
    if (tag === 'float' && resolved.kind === 'int')
        return { kind: 'float', value: Number(resolved.value), pos };
    if (tag === 'timestamp' && got === 'timestamp')
        return resolved;
    throw new YamlSyntaxError(`cannot decode !!${got === 'string' ? 'str' : got} \`${text}\` as a !!${tag}`, pos);
}
const BOOLS = new Map();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
    BOOLS.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
    BOOLS.set(s, false);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map([
    ['.nan', NaN],
    ['.NaN', NaN],
    ['.NAN', NaN],
    ['.inf', Infinity],
    ['.Inf', Infinity],
    ['.INF', Infinity],
    ['+.inf', Infinity],
    ['+.Inf', Infinity],
    ['+.INF', Infinity],
    ['-.inf', -Infinity],
    ['-.Inf', -Infinity],
    ['-.INF', -Infinity],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
function resolveImplicit(text, pos) {
    const bool = BOOLS.get(text);
    if (bool !== undefined)
        return { kind: 'bool', value: bool, pos };
    if (NULLS.has(text))
        return { kind: 'null', pos };
    const special = SPECIAL_FLOATS.get(text);
    if (special !== undefined)
        return { kind: 'float', value: special, pos };
    const first = text[0] ?? '';
    if (first === '.') {
        const f = goParseFloat(text);
        if (f !== undefined)
            return { kind: 'float', value: f, pos };
    }
    else if (/[-+0-9]/.test(first)) {
        // Timestamps stay strings when decoded into interface{} (go-yaml v2 decode.go).
        if (isTimestamp(text))
            return { kind: 'string', value: text, pos };
        const plain = text.replaceAll('_', '');
        const int = goParseInt(plain);
        if (int !== undefined)
            return { kind: 'int', value: int, pos };
        if (YAML_STYLE_FLOAT.test(plain)) {
            const f = goParseFloat(plain);
            if (f !== undefined)
                return { kind: 'float', value: f, pos };
        }
        if (plain.startsWith('-0b')) {
            const b = goParseInt(`-0b${plain.slice(3)}`);
            if (b !== undefined)
                return { kind: 'int', value: b, pos };
        }
    }
    return { kind: 'string', value: text, pos };
}
/**
 * strconv.ParseInt(s, 0, 64), falling back to ParseUint for values above int64: base prefixes
 * 0x, 0o, 0b and a bare leading 0 for octal.
 */
function goParseInt(s) {
    let rest = s;
    let negative = false;
    if (rest.startsWith('+') || rest.startsWith('-')) {
        negative = rest.startsWith('-');
        rest = rest.slice(1);
    }
    let base = 10;
    if (rest.length > 1 && rest[0] === '0') {
        const p = rest[1]?.toLowerCase();
        if (p === 'x')
            [base, rest] = [16, rest.slice(2)];
        else if (p === 'b')
            [base, rest] = [2, rest.slice(2)];
        else if (p === 'o')
            [base, rest] = [8, rest.slice(2)];
        else
            [base, rest] = [8, rest.slice(1)];
    }
    const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
    if (!digits.test(rest))
        return undefined;
    const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
    const magnitude = BigInt(prefix + rest);
    const value = negative ? -magnitude : magnitude;
    if (value >= INT64_MIN && value <= INT64_MAX)
        return value;
    // ParseUint accepts no sign at all.
    if (!negative && !s.startsWith('+') && value <= UINT64_MAX)
        return value;
    return undefined;
}
/** strconv.ParseFloat(s, 64) for the decimal forms YAML produces; out of range is an error. */
function goParseFloat(s) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s))
        return undefined;
    const f = Number(s);
    return Number.isFinite(f) ? f : undefined;
}
const TIMESTAMP_FORMATS = [
    // 2006-1-2T15:4:5.999999999Z07:00 (and lower-case t)
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    // 2006-1-2 15:4:5.999999999
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
    // 2006-1-2
    /^\d{4}-\d{1,2}-\d{1,2}$/,
];
/** go-yaml v2 parseTimestamp: the accepted layouts, with time.Parse's range checks. */
function isTimestamp(s) {
    if (!/^\d{4}-/.test(s))
        return false;
    if (!TIMESTAMP_FORMATS.some((re) => re.test(s)))
        return false;
    const [date = '', time = ''] = s.split(/[Tt ]/);
    const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year))
        return false;
    if (time) {
        const clock = time.replace(/(Z|[+-]\d{2}:\d{2})$/, '');
        const [h = 0, m = 0, sec = 0] = clock.split(':').map((x) => Number.parseFloat(x));
        if (h > 23 || m > 59 || sec >= 60)
            return false;
    }
    return true;
}
function daysIn(month, year) {
    if (month === 2)
        return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
}


/***/ }),

/***/ 97110:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LK: () => (/* binding */ GoFloat),
/* harmony export */   Pp: () => (/* binding */ formatFloat32),
/* harmony export */   _D: () => (/* binding */ marshalYaml),
/* harmony export */   ov: () => (/* binding */ GoInt)
/* harmony export */ });
/* harmony import */ var _yaml_decode_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83167);

/**
 * A YAML writer that produces the bytes go-yaml v2's `yaml.Marshal` produces for the values
 * Helm serialises (Chart.yaml, Chart.lock, the .prov body; ../shared/spec/helm-oci.md \u00a71.10):
 * map keys sorted with go-yaml's key order, 2-space indentation, sequences not indented under
 * their key, plain scalars unless they would resolve to another type (then double-quoted) or
 * cannot be plain (then single-quoted), multi-line strings as literal blocks, and long scalars
 * folded at a space once the line passes column 80 (go-yaml v2 keeps its default width).
 * Byte equality here decides the .tgz digest, the .prov and the OCI digests.
 */
/** An integer as go-yaml sees one (from JSON numbers inside import-values). */
class GoInt {
    value;
    constructor(value) {
        this.value = value;
    }
}
/** A float64 as go-yaml sees one. */
class GoFloat {
    value;
    constructor(value) {
        this.value = value;
    }
}
/** yaml.Marshal(value) as go-yaml v2 writes it. */
function marshalYaml(value) {
    const events = [];
    toEvents(value, events);
    return new Emitter(events).run();
}
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
function toEvents(value, out) {
    if (value === null) {
        out.push(scalar('null', 'plain'));
    }
    else if (typeof value === 'boolean') {
        out.push(scalar(value ? 'true' : 'false', 'plain'));
    }
    else if (typeof value === 'string') {
        out.push(stringEvent(value));
    }
    else if (value instanceof GoInt) {
        out.push(scalar(value.value.toString(), 'plain'));
    }
    else if (value instanceof GoFloat) {
        out.push(scalar(formatFloat64(value.value), 'plain'));
    }
    else if (Array.isArray(value)) {
        out.push({ type: 'seq-start' });
        for (const item of value)
            toEvents(item, out);
        out.push({ type: 'seq-end' });
    }
    else {
        out.push({ type: 'map-start' });
        for (const key of [...value.keys()].sort(compareKeys)) {
            out.push(stringEvent(key));
            toEvents(value.get(key), out);
        }
        out.push({ type: 'map-end' });
    }
}
function scalar(text, style) {
    return { type: 'scalar', value: Buffer.from(text, 'utf8'), style };
}
/** encoder.stringv: quote a string that would read back as another type. */
function stringEvent(s) {
    if (s.includes('\n'))
        return scalar(s, 'literal');
    const resolved = (0,_yaml_decode_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveScalar */ .T)(s, '', { line: 0, column: 0 });
    const plainReadsBack = resolved.kind === 'string' && !(0,_yaml_decode_js__WEBPACK_IMPORTED_MODULE_0__/* .isTimestamp */ .Fx)(s) && !isBase60Float(s);
    return scalar(s, plainReadsBack ? 'plain' : 'double');
}
function isBase60Float(s) {
    const c = s[0];
    if (c === undefined || !(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':'))
        return false;
    return BASE60_FLOAT.test(s);
}
/** strconv.FormatFloat(f, 'g', -1, 64) with YAML's spellings of the specials. */
function formatFloat64(f) {
    if (Number.isNaN(f))
        return '.nan';
    if (f === Infinity)
        return '.inf';
    if (f === -Infinity)
        return '-.inf';
    return goFormatG(f, shortestDigits(f, 17, (x) => x));
}
/**
 * strconv.FormatFloat(f, 'g', -1, 32): what sigs.k8s.io/yaml does when a YAML float lands in a
 * string field (`version: 1.10` becomes "1.1").
 */
function formatFloat32(f) {
    if (Number.isNaN(f))
        return 'NaN';
    const v = Math.fround(f);
    if (v === Infinity)
        return '+Inf';
    if (v === -Infinity)
        return '-Inf';
    return goFormatG(v, shortestDigits(v, 9, Math.fround));
}
/** Shortest decimal digits (and decimal exponent) that round-trip at the given precision. */
function shortestDigits(v, maxDigits, round) {
    if (v === 0)
        return { digits: '0', exp: 1 };
    for (let p = 1; p <= maxDigits; p++) {
        const text = Math.abs(v).toExponential(p - 1);
        if (round(Number(text)) === Math.abs(v)) {
            const [mantissa = '', e = '0'] = text.split('e');
            const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
            return { digits, exp: Number(e) + 1 };
        }
    }
    const text = Math.abs(v).toExponential(maxDigits - 1);
    const [mantissa = '', e = '0'] = text.split('e');
    return { digits: mantissa.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) + 1 };
}
/**
 * strconv's 'g' layout at shortest precision (strconv/ftoa.go): %e when the decimal exponent
 * is below -4 or at least 6 (shortest formatting decides with precision 6), else %f.
 */
function goFormatG(v, { digits, exp }) {
    const sign = v < 0 || Object.is(v, -0) ? '-' : '';
    const x = exp - 1;
    if (x < -4 || x >= 6) {
        const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        const magnitude = String(Math.abs(x)).padStart(2, '0');
        return `${sign}${mantissa}e${x < 0 ? '-' : '+'}${magnitude}`;
    }
    if (exp <= 0)
        return `${sign}0.${'0'.repeat(-exp)}${digits}`;
    if (exp >= digits.length)
        return `${sign}${digits}${'0'.repeat(exp - digits.length)}`;
    return `${sign}${digits.slice(0, exp)}.${digits.slice(exp)}`;
}
/**
 * go-yaml v2 keyList.Less for string keys: letters compare by code point, a non-letter sorts
 * before a letter, and runs of digits compare numerically.
 */
function compareKeys(a, b) {
    return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
}
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
function keyLess(a, b) {
    const ar = [...a];
    const br = [...b];
    for (let i = 0; i < ar.length && i < br.length; i++) {
        const ac = ar[i];
        const bc = br[i];
        if (ac === bc)
            continue;
        const al = LETTER.test(ac);
        const bl = LETTER.test(bc);
        if (al && bl)
            return ac.codePointAt(0) < bc.codePointAt(0);
        if (al || bl)
            return bl;
        let an = 0n;
        let bn = 0n;
        if (ac === '0' || bc === '0') {
            for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]); j--) {
                if (ar[j] !== '0') {
                    an = 1n;
                    bn = 1n;
                    break;
                }
            }
        }
        let ai = i;
        for (; ai < ar.length && DIGIT.test(ar[ai]); ai++)
            an = an * 10n + BigInt(digitValue(ar[ai]));
        let bi = i;
        for (; bi < br.length && DIGIT.test(br[bi]); bi++)
            bn = bn * 10n + BigInt(digitValue(br[bi]));
        if (an !== bn)
            return an < bn;
        if (ai !== bi)
            return ai < bi;
        return ac.codePointAt(0) < bc.codePointAt(0);
    }
    return ar.length < br.length;
}
/** Go computes `rune - '0'`, even for non-ASCII digits. */
function digitValue(ch) {
    return ch.codePointAt(0) - 0x30;
}
// ---------------------------------------------------------------------------------------------
// Emitter: events \u2192 text (libyaml's emitter as ported in go-yaml v2 emitterc.go)
const BEST_INDENT = 2;
const BEST_WIDTH = 80;
class Emitter {
    events;
    out = [];
    pending = [];
    head = 0;
    state = 'document-start';
    states = [];
    indent = -1;
    indents = [];
    flowLevel = 0;
    column = 0;
    whitespace = true;
    indention = true;
    openEnded = false;
    rootContext = false;
    mappingContext = false;
    simpleKeyContext = false;
    analysis;
    scalarStyle = 'plain';
    constructor(events) {
        this.events = events;
    }
    run() {
        // Document start (implicit): no "---".
        this.state = 'document-content';
        while (this.head < this.events.length) {
            const event = this.events[this.head];
            this.analysis = event.type === 'scalar' ? analyzeScalar(event.value) : undefined;
            this.dispatch(event);
            this.head++;
        }
        // Document end (implicit): finish the last line.
        this.writeIndent();
        if (this.openEnded) {
            // Stream end after an open-ended document (a root plain scalar, or a `|+` block).
            this.writeIndicator('...', true, false, false);
            this.writeIndent();
        }
        this.flushPending();
        return Buffer.concat(this.out).toString('utf8');
    }
    dispatch(event) {
        switch (this.state) {
            case 'document-content':
                this.states.push('document-end');
                this.emitNode(event, true, false, false, false);
                return;
            case 'flow-seq-first':
                this.emitFlowSequenceItem(event, true);
                return;
            case 'flow-seq-item':
                this.emitFlowSequenceItem(event, false);
                return;
            case 'flow-map-first':
                this.emitFlowMappingKey(event, true);
                return;
            case 'flow-map-key':
                this.emitFlowMappingKey(event, false);
                return;
            case 'flow-map-simple-value':
                this.emitFlowMappingValue(event, true);
                return;
            case 'flow-map-value':
                this.emitFlowMappingValue(event, false);
                return;
            case 'block-seq-first':
                this.emitBlockSequenceItem(event, true);
                return;
            case 'block-seq-item':
                this.emitBlockSequenceItem(event, false);
                return;
            case 'block-map-first':
                this.emitBlockMappingKey(event, true);
                return;
            case 'block-map-key':
                this.emitBlockMappingKey(event, false);
                return;
            case 'block-map-simple-value':
                this.emitBlockMappingValue(event, true);
                return;
            case 'block-map-value':
                this.emitBlockMappingValue(event, false);
                return;
            default:
                throw new Error(`YAML emitter: unexpected event in state ${this.state}`);
        }
    }
    popState() {
        this.state = this.states.pop() ?? 'end';
    }
    popIndent() {
        this.indent = this.indents.pop() ?? -1;
    }
    increaseIndent(flow, indentless) {
        this.indents.push(this.indent);
        if (this.indent < 0)
            this.indent = flow ? BEST_INDENT : 0;
        else if (!indentless)
            this.indent += BEST_INDENT;
    }
    emitFlowSequenceItem(event, first) {
        if (first) {
            this.writeIndicator('[', true, true, false);
            this.increaseIndent(true, false);
            this.flowLevel++;
        }
        if (event.type === 'seq-end') {
            this.flowLevel--;
            this.popIndent();
            this.writeIndicator(']', false, false, false);
            this.popState();
            return;
        }
        if (!first)
            this.writeIndicator(',', false, false, false);
        if (this.column > BEST_WIDTH)
            this.writeIndent();
        this.states.push('flow-seq-item');
        this.emitNode(event, false, true, false, false);
    }
    emitFlowMappingKey(event, first) {
        if (first) {
            this.writeIndicator('{', true, true, false);
            this.increaseIndent(true, false);
            this.flowLevel++;
        }
        if (event.type === 'map-end') {
            this.flowLevel--;
            this.popIndent();
            this.writeIndicator('}', false, false, false);
            this.popState();
            return;
        }
        if (!first)
            this.writeIndicator(',', false, false, false);
        if (this.column > BEST_WIDTH)
            this.writeIndent();
        if (this.checkSimpleKey()) {
            this.states.push('flow-map-simple-value');
            this.emitNode(event, false, false, true, true);
            return;
        }
        this.writeIndicator('?', true, false, false);
        this.states.push('flow-map-value');
        this.emitNode(event, false, false, true, false);
    }
    emitFlowMappingValue(event, simple) {
        if (simple) {
            this.writeIndicator(':', false, false, false);
        }
        else {
            if (this.column > BEST_WIDTH)
                this.writeIndent();
            this.writeIndicator(':', true, false, false);
        }
        this.states.push('flow-map-key');
        this.emitNode(event, false, false, true, false);
    }
    emitBlockSequenceItem(event, first) {
        if (first)
            this.increaseIndent(false, this.mappingContext && !this.indention);
        if (event.type === 'seq-end') {
            this.popIndent();
            this.popState();
            return;
        }
        this.writeIndent();
        this.writeIndicator('-', true, false, true);
        this.states.push('block-seq-item');
        this.emitNode(event, false, true, false, false);
    }
    emitBlockMappingKey(event, first) {
        if (first)
            this.increaseIndent(false, false);
        if (event.type === 'map-end') {
            this.popIndent();
            this.popState();
            return;
        }
        this.writeIndent();
        if (this.checkSimpleKey()) {
            this.states.push('block-map-simple-value');
            this.emitNode(event, false, false, true, true);
            return;
        }
        this.writeIndicator('?', true, false, true);
        this.states.push('block-map-value');
        this.emitNode(event, false, false, true, false);
    }
    emitBlockMappingValue(event, simple) {
        if (simple) {
            this.writeIndicator(':', false, false, false);
        }
        else {
            this.writeIndent();
            this.writeIndicator(':', true, false, true);
        }
        this.states.push('block-map-key');
        this.emitNode(event, false, false, true, false);
    }
    // The sequence context is part of libyaml's emitter signature, but nothing it writes depends on it.
    emitNode(event, root, _sequence, mapping, simpleKey) {
        this.rootContext = root;
        this.mappingContext = mapping;
        this.simpleKeyContext = simpleKey;
        switch (event.type) {
            case 'scalar':
                this.emitScalar(event);
                return;
            case 'seq-start':
                this.state = this.flowLevel > 0 || this.nextIs('seq-end') ? 'flow-seq-first' : 'block-seq-first';
                return;
            case 'map-start':
                this.state = this.flowLevel > 0 || this.nextIs('map-end') ? 'flow-map-first' : 'block-map-first';
                return;
            default:
                throw new Error(`YAML emitter: unexpected ${event.type}`);
        }
    }
    /** The collection that starts at the current event is empty. */
    nextIs(type) {
        return this.events[this.head + 1]?.type === type;
    }
    checkSimpleKey() {
        const event = this.events[this.head];
        if (event.type === 'scalar') {
            if (this.analysis?.multiline)
                return false;
            return event.value.length <= 128;
        }
        if (event.type === 'seq-start')
            return this.nextIs('seq-end');
        if (event.type === 'map-start')
            return this.nextIs('map-end');
        return false;
    }
    emitScalar(event) {
        this.selectScalarStyle(event);
        this.increaseIndent(true, false);
        const allowBreaks = !this.simpleKeyContext;
        switch (this.scalarStyle) {
            case 'plain':
                this.writePlain(event.value, allowBreaks);
                break;
            case 'single':
                this.writeSingleQuoted(event.value, allowBreaks);
                break;
            case 'double':
                this.writeDoubleQuoted(event.value, allowBreaks);
                break;
            case 'literal':
                this.writeLiteral(event.value);
                break;
        }
        this.popIndent();
        this.popState();
    }
    selectScalarStyle(event) {
        const a = this.analysis;
        let style = event.style;
        if (this.simpleKeyContext && a.multiline)
            style = 'double';
        if (style === 'plain') {
            if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) {
                style = 'single';
            }
            if (event.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext))
                style = 'single';
        }
        if (style === 'single' && !a.singleQuotedAllowed)
            style = 'double';
        if (style === 'literal' && (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext))
            style = 'double';
        this.scalarStyle = style;
    }
    // -- writers ---------------------------------------------------------------------------------
    put(byte) {
        this.pending.push(byte);
        this.column++;
    }
    putBreak() {
        this.pending.push(0x0a);
        this.column = 0;
    }
    /** Copies one UTF-8 character; the column advances by one character. */
    write(s, i) {
        const w = width(s[i]);
        for (let k = 0; k < w; k++)
            this.pending.push(s[i + k]);
        this.column++;
        return i + w;
    }
    writeAll(text) {
        const b = Buffer.from(text, 'utf8');
        for (let i = 0; i < b.length;)
            i = this.write(b, i);
    }
    writeBreak(s, i) {
        if (s[i] === 0x0a) {
            this.putBreak();
            return i + 1;
        }
        const next = this.write(s, i);
        this.column = 0;
        return next;
    }
    flushPending() {
        if (this.pending.length > 0) {
            this.out.push(Buffer.from(this.pending));
            this.pending = [];
        }
    }
    writeIndent() {
        const indent = Math.max(this.indent, 0);
        if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
            this.putBreak();
        while (this.column < indent)
            this.put(0x20);
        this.whitespace = true;
        this.indention = true;
    }
    writeIndicator(indicator, needWhitespace, isWhitespace, isIndention) {
        if (needWhitespace && !this.whitespace)
            this.put(0x20);
        this.writeAll(indicator);
        this.whitespace = isWhitespace;
        this.indention = this.indention && isIndention;
        this.openEnded = false;
    }
    writePlain(value, allowBreaks) {
        if (!this.whitespace)
            this.put(0x20);
        let spaces = false;
        let breaks = false;
        for (let i = 0; i < value.length;) {
            if (value[i] === 0x20) {
                if (allowBreaks && !spaces && this.column > BEST_WIDTH && value[i + 1] !== 0x20) {
                    this.writeIndent();
                    i += 1;
                }
                else {
                    i = this.write(value, i);
                }
                spaces = true;
            }
            else if (isBreak(value, i)) {
                if (!breaks && value[i] === 0x0a)
                    this.putBreak();
                i = this.writeBreak(value, i);
                this.indention = true;
                breaks = true;
            }
            else {
                if (breaks)
                    this.writeIndent();
                i = this.write(value, i);
                this.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        this.whitespace = false;
        this.indention = false;
        if (this.rootContext)
            this.openEnded = true;
    }
    writeSingleQuoted(value, allowBreaks) {
        this.writeIndicator("'", true, false, false);
        let spaces = false;
        let breaks = false;
        for (let i = 0; i < value.length;) {
            if (value[i] === 0x20) {
                if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1 && value[i + 1] !== 0x20) {
                    this.writeIndent();
                    i += 1;
                }
                else {
                    i = this.write(value, i);
                }
                spaces = true;
            }
            else if (isBreak(value, i)) {
                if (!breaks && value[i] === 0x0a)
                    this.putBreak();
                i = this.writeBreak(value, i);
                this.indention = true;
                breaks = true;
            }
            else {
                if (breaks)
                    this.writeIndent();
                if (value[i] === 0x27)
                    this.put(0x27);
                i = this.write(value, i);
                this.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        this.writeIndicator("'", false, false, false);
        this.whitespace = false;
        this.indention = false;
    }
    writeDoubleQuoted(value, allowBreaks) {
        let spaces = false;
        this.writeIndicator('"', true, false, false);
        for (let i = 0; i < value.length;) {
            const c = value[i];
            if (!isPrintable(value, i) || isBom(value) || isBreak(value, i) || c === 0x22 || c === 0x5c) {
                const w = width(c);
                let v = w === 1 ? c & 0x7f : w === 2 ? c & 0x1f : w === 3 ? c & 0x0f : c & 0x07;
                for (let k = 1; k < w; k++)
                    v = (v << 6) + (value[i + k] & 0x3f);
                i += w;
                this.put(0x5c);
                const short = ESCAPES.get(v);
                if (short !== undefined) {
                    this.put(short.charCodeAt(0));
                }
                else {
                    const [letter, digits] = v <= 0xff ? ['x', 2] : v <= 0xffff ? ['u', 4] : ['U', 8];
                    this.put(letter.charCodeAt(0));
                    for (const ch of v.toString(16).toUpperCase().padStart(digits, '0'))
                        this.put(ch.charCodeAt(0));
                }
                spaces = false;
            }
            else if (c === 0x20) {
                if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
                    this.writeIndent();
                    if (value[i + 1] === 0x20)
                        this.put(0x5c);
                    i += 1;
                }
                else {
                    i = this.write(value, i);
                }
                spaces = true;
            }
            else {
                i = this.write(value, i);
                spaces = false;
            }
        }
        this.writeIndicator('"', false, false, false);
        this.whitespace = false;
        this.indention = false;
    }
    writeLiteral(value) {
        this.writeIndicator('|', true, false, false);
        this.writeBlockScalarHints(value);
        this.putBreak();
        this.indention = true;
        this.whitespace = true;
        let breaks = true;
        for (let i = 0; i < value.length;) {
            if (isBreak(value, i)) {
                i = this.writeBreak(value, i);
                this.indention = true;
                breaks = true;
            }
            else {
                if (breaks)
                    this.writeIndent();
                i = this.write(value, i);
                this.indention = false;
                breaks = false;
            }
        }
    }
    writeBlockScalarHints(value) {
        if (value[0] === 0x20 || isBreak(value, 0))
            this.writeIndicator(String(BEST_INDENT), false, false, false);
        this.openEnded = false;
        let chomp = '';
        if (value.length === 0) {
            chomp = '-';
        }
        else {
            let i = value.length - 1;
            while ((value[i] & 0xc0) === 0x80)
                i--;
            if (!isBreak(value, i)) {
                chomp = '-';
            }
            else if (i === 0) {
                chomp = '+';
                this.openEnded = true;
            }
            else {
                i--;
                while ((value[i] & 0xc0) === 0x80)
                    i--;
                if (isBreak(value, i)) {
                    chomp = '+';
                    this.openEnded = true;
                }
            }
        }
        if (chomp)
            this.writeIndicator(chomp, false, false, false);
    }
}
const ESCAPES = new Map([
    [0x00, '0'],
    [0x07, 'a'],
    [0x08, 'b'],
    [0x09, 't'],
    [0x0a, 'n'],
    [0x0b, 'v'],
    [0x0c, 'f'],
    [0x0d, 'r'],
    [0x1b, 'e'],
    [0x22, '"'],
    [0x5c, '\\'],
    [0x85, 'N'],
    [0xa0, '_'],
    [0x2028, 'L'],
    [0x2029, 'P'],
]);
/** Bytes in the UTF-8 sequence that starts with this byte. */
function width(b) {
    if ((b & 0x80) === 0)
        return 1;
    if ((b & 0xe0) === 0xc0)
        return 2;
    if ((b & 0xf0) === 0xe0)
        return 3;
    if ((b & 0xf8) === 0xf0)
        return 4;
    return 0;
}
function isBreak(b, i) {
    const c = b[i];
    return (c === 0x0d ||
        c === 0x0a ||
        (c === 0xc2 && b[i + 1] === 0x85) ||
        (c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9)));
}
/** go-yaml v2 is_printable: note that TAB and every 4-byte character count as non-printable. */
function isPrintable(b, i) {
    const c = b[i];
    const c1 = b[i + 1] ?? 0;
    const c2 = b[i + 2] ?? 0;
    return (c === 0x0a ||
        (c >= 0x20 && c <= 0x7e) ||
        (c === 0xc2 && c1 >= 0xa0) ||
        (c > 0xc2 && c < 0xed) ||
        (c === 0xed && c1 < 0xa0) ||
        c === 0xee ||
        (c === 0xef && !(c1 === 0xbb && c2 === 0xbf) && !(c1 === 0xbf && (c2 === 0xbe || c2 === 0xbf))));
}
/** go-yaml v2 is_bom looks at the start of the value, whatever the index (a quirk kept as is). */
function isBom(b) {
    return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}
function isBlank(b, i) {
    return b[i] === 0x20 || b[i] === 0x09;
}
function analyzeScalar(value) {
    if (value.length === 0) {
        return {
            multiline: false,
            flowPlainAllowed: false,
            blockPlainAllowed: true,
            singleQuotedAllowed: true,
            blockAllowed: false,
        };
    }
    let blockIndicators = false;
    let flowIndicators = false;
    let lineBreaks = false;
    let specialCharacters = false;
    let leadingSpace = false;
    let leadingBreak = false;
    let trailingSpace = false;
    let trailingBreak = false;
    let breakSpace = false;
    let spaceBreak = false;
    let previousSpace = false;
    let previousBreak = false;
    const startsWith3 = (ch) => value.length >= 3 && value[0] === ch && value[1] === ch && value[2] === ch;
    if (startsWith3(0x2d) || startsWith3(0x2e)) {
        blockIndicators = true;
        flowIndicators = true;
    }
    let precededByWhitespace = true;
    for (let i = 0; i < value.length;) {
        const c = value[i];
        const w = width(c);
        const followedByWhitespace = i + w >= value.length || isBlank(value, i + w);
        if (i === 0) {
            if ('#,[]{}&*!|>\'"%@`'.includes(String.fromCharCode(c))) {
                flowIndicators = true;
                blockIndicators = true;
            }
            else if (c === 0x3f || c === 0x3a) {
                flowIndicators = true;
                if (followedByWhitespace)
                    blockIndicators = true;
            }
            else if (c === 0x2d && followedByWhitespace) {
                flowIndicators = true;
                blockIndicators = true;
            }
        }
        else if (',?[]{}'.includes(String.fromCharCode(c))) {
            flowIndicators = true;
        }
        else if (c === 0x3a) {
            flowIndicators = true;
            if (followedByWhitespace)
                blockIndicators = true;
        }
        else if (c === 0x23 && precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
        }
        if (!isPrintable(value, i))
            specialCharacters = true;
        if (c === 0x20) {
            if (i === 0)
                leadingSpace = true;
            if (i + w === value.length)
                trailingSpace = true;
            if (previousBreak)
                breakSpace = true;
            previousSpace = true;
            previousBreak = false;
        }
        else if (isBreak(value, i)) {
            lineBreaks = true;
            if (i === 0)
                leadingBreak = true;
            if (i + w === value.length)
                trailingBreak = true;
            if (previousSpace)
                spaceBreak = true;
            previousSpace = false;
            previousBreak = true;
        }
        else {
            previousSpace = false;
            previousBreak = false;
        }
        precededByWhitespace = isBlank(value, i) || isBreak(value, i) || c === 0;
        i += w || 1;
    }
    const a = {
        multiline: lineBreaks,
        flowPlainAllowed: true,
        blockPlainAllowed: true,
        singleQuotedAllowed: true,
        blockAllowed: true,
    };
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
        a.flowPlainAllowed = false;
        a.blockPlainAllowed = false;
    }
    if (trailingSpace)
        a.blockAllowed = false;
    if (breakSpace) {
        a.flowPlainAllowed = false;
        a.blockPlainAllowed = false;
        a.singleQuotedAllowed = false;
    }
    if (spaceBreak || specialCharacters) {
        a.flowPlainAllowed = false;
        a.blockPlainAllowed = false;
        a.singleQuotedAllowed = false;
        a.blockAllowed = false;
    }
    if (lineBreaks) {
        a.flowPlainAllowed = false;
        a.blockPlainAllowed = false;
    }
    if (flowIndicators)
        a.flowPlainAllowed = false;
    if (blockIndicators)
        a.blockPlainAllowed = false;
    return a;
}


/***/ }),

/***/ 51206:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ readHelmManifest)
/* harmony export */ });
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61312);

/**
 * Reads a manifest's Helm parts the way `helm pull` picks them: of several layers of one media
 * type, the last wins (\u00a73.6). Throws a SyntaxError when the bytes are not JSON.
 */
function readHelmManifest(bytes) {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
    const manifest = isObject(parsed) ? parsed : {};
    const layers = (Array.isArray(manifest.layers) ? manifest.layers : []).flatMap((entry) => {
        if (!isObject(entry) || typeof entry.mediaType !== 'string')
            return [];
        return [
            {
                mediaType: entry.mediaType,
                ...(typeof entry.digest === 'string' ? { digest: entry.digest } : {}),
                ...(typeof entry.size === 'number' ? { size: entry.size } : {}),
            },
        ];
    });
    const last = (...types) => layers.filter((l) => types.includes(l.mediaType)).at(-1);
    return {
        configMediaType: isObject(manifest.config) ? manifest.config.mediaType : undefined,
        chart: last(_oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__/* .HELM_CHART_MEDIA_TYPE */ .y$, _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__/* .LEGACY_CHART_MEDIA_TYPE */ .TY),
        provenance: last(_oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__/* .HELM_PROVENANCE_MEDIA_TYPE */ .Rz),
    };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/***/ }),

/***/ 63478:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  $i: () => (/* binding */ HELMIGNORE),
  tS: () => (/* binding */ IgnoreRuleError),
  w0: () => (/* binding */ IgnoreRules)
});

;// CONCATENATED MODULE: ./src/chart/go/go-glob.ts
/**
 * Go's `path/filepath.Match` on Unix, which `.helmignore` rules are evaluated with
 * (../shared/spec/helm-oci.md \u00a71.3): `*` and `?` never match `/`, classes `[...]` negated with
 * `[^...]`, `\` escapes, no `**`, no braces. Works on UTF-8 bytes as Go does, so that
 * multi-byte names behave exactly like Helm's.
 */
const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;
class GlobSyntaxError extends Error {
    constructor() {
        super('syntax error in pattern');
        this.name = 'GlobSyntaxError';
    }
}
/** Reports whether name matches the shell pattern; throws GlobSyntaxError for a malformed pattern. */
function goMatch(pattern, name) {
    return matchBytes(Buffer.from(pattern, 'utf8'), Buffer.from(name, 'utf8'));
}
/** Throws GlobSyntaxError when the pattern is malformed (Helm test-compiles every rule). */
function checkGlob(pattern) {
    goMatch(pattern, 'abc');
}
function matchBytes(pattern, name) {
    let p = pattern;
    let n = name;
    pattern: while (p.length > 0) {
        const { star, chunk, rest } = scanChunk(p);
        p = rest;
        if (star && chunk.length === 0) {
            // A trailing star matches the rest of the name unless it crosses a separator.
            return !n.includes(SLASH);
        }
        const here = matchChunk(chunk, n);
        if (here !== undefined && (here.length === 0 || p.length > 0)) {
            n = here;
            continue;
        }
        if (star) {
            // Let the star swallow i+1 bytes, never a separator.
            for (let i = 0; i < n.length && n[i] !== SLASH; i++) {
                const t = matchChunk(chunk, n.subarray(i + 1));
                if (t !== undefined) {
                    if (p.length === 0 && t.length > 0)
                        continue;
                    n = t;
                    continue pattern;
                }
            }
        }
        // Go reports a malformed remainder even when the match already failed.
        while (p.length > 0) {
            const next = scanChunk(p);
            p = next.rest;
            matchChunk(next.chunk, Buffer.alloc(0));
        }
        return false;
    }
    return n.length === 0;
}
function scanChunk(pattern) {
    let start = 0;
    let star = false;
    while (start < pattern.length && pattern[start] === STAR) {
        start++;
        star = true;
    }
    let inRange = false;
    let i = start;
    scan: for (; i < pattern.length; i++) {
        switch (pattern[i]) {
            case BACKSLASH:
                if (i + 1 < pattern.length)
                    i++;
                break;
            case OPEN:
                inRange = true;
                break;
            case CLOSE:
                inRange = false;
                break;
            case STAR:
                if (!inRange)
                    break scan;
                break;
        }
    }
    return { star, chunk: pattern.subarray(start, i), rest: pattern.subarray(i) };
}
/**
 * Matches chunk against the start of s and returns the unmatched rest, or undefined.
 * Like Go, it keeps scanning the chunk after a failed match so that syntax errors surface.
 */
function matchChunk(chunkIn, sIn) {
    let chunk = chunkIn;
    let s = sIn;
    let failed = false;
    while (chunk.length > 0) {
        if (!failed && s.length === 0)
            failed = true;
        const c = chunk[0];
        if (c === OPEN) {
            let r = 0;
            if (!failed) {
                const decoded = decodeRune(s);
                r = decoded.rune;
                s = s.subarray(decoded.size);
            }
            chunk = chunk.subarray(1);
            let negated = false;
            if (chunk.length > 0 && chunk[0] === CARET) {
                negated = true;
                chunk = chunk.subarray(1);
            }
            let matched = false;
            let ranges = 0;
            for (;;) {
                if (chunk.length > 0 && chunk[0] === CLOSE && ranges > 0) {
                    chunk = chunk.subarray(1);
                    break;
                }
                const lo = getEscaped(chunk);
                chunk = lo.rest;
                let hi = lo.rune;
                if (chunk[0] === DASH) {
                    const high = getEscaped(chunk.subarray(1));
                    chunk = high.rest;
                    hi = high.rune;
                }
                if (lo.rune <= r && r <= hi)
                    matched = true;
                ranges++;
            }
            if (matched === negated)
                failed = true;
        }
        else if (c === QUESTION) {
            if (!failed) {
                if (s[0] === SLASH)
                    failed = true;
                s = s.subarray(decodeRune(s).size);
            }
            chunk = chunk.subarray(1);
        }
        else {
            if (c === BACKSLASH) {
                chunk = chunk.subarray(1);
                if (chunk.length === 0)
                    throw new GlobSyntaxError();
            }
            if (!failed) {
                if (chunk[0] !== s[0])
                    failed = true;
                s = s.subarray(1);
            }
            chunk = chunk.subarray(1);
        }
    }
    return failed ? undefined : s;
}
function getEscaped(chunkIn) {
    let chunk = chunkIn;
    if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === CLOSE)
        throw new GlobSyntaxError();
    if (chunk[0] === BACKSLASH) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0)
            throw new GlobSyntaxError();
    }
    const { rune, size, invalid } = decodeRune(chunk);
    const rest = chunk.subarray(size);
    if (invalid || rest.length === 0)
        throw new GlobSyntaxError();
    return { rune, rest };
}
/** utf8.DecodeRuneInString: an invalid or truncated sequence is U+FFFD of size 1. */
function decodeRune(b) {
    const b0 = b[0];
    if (b0 === undefined)
        return { rune: 0xfffd, size: 0, invalid: true };
    if (b0 < 0x80)
        return { rune: b0, size: 1, invalid: false };
    const need = b0 >= 0xf0 && b0 <= 0xf4 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : -1;
    if (need < 0 || b.length <= need)
        return { rune: 0xfffd, size: 1, invalid: true };
    let rune = b0 & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
        const cont = b[k] ?? 0;
        if ((cont & 0xc0) !== 0x80)
            return { rune: 0xfffd, size: 1, invalid: true };
        rune = (rune << 6) | (cont & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) {
        return { rune: 0xfffd, size: 1, invalid: true };
    }
    return { rune, size: need + 1, invalid: false };
}

// EXTERNAL MODULE: ./src/chart/go/go-text.ts
var go_text = __webpack_require__(95369);
;// CONCATENATED MODULE: ./src/chart/ignore-rules.ts


/**
 * `.helmignore` exactly as Helm evaluates it (../shared/spec/helm-oci.md \u00a71.3), quirks included:
 * the first decisive rule wins, a `!pattern` rule ignores everything that reaches it and does not
 * match, a rule with a slash is matched against the whole relative path, a rule without one
 * against the base name only, and a trailing `/` restricts a rule to directories.
 */
const HELMIGNORE = '.helmignore';
/** Helm appends this rule after the user's rules: dotfiles directly under templates/. */
const DEFAULT_RULE = 'templates/.?*';
class IgnoreRuleError extends Error {
    line;
    constructor(message, line) {
        super(message);
        this.name = 'IgnoreRuleError';
        this.line = line;
    }
}
class IgnoreRules {
    rules;
    constructor(rules) {
        this.rules = rules;
    }
    /** Parses .helmignore text; throws IgnoreRuleError naming the line for `**` or a bad glob. */
    static parse(text) {
        let source = typeof text === 'string' ? text : text.toString('utf8');
        // Helm strips a BOM on the first line only; bufio.Scanner drops the CR of CRLF lines.
        if (source.startsWith('\uFEFF'))
            source = source.slice(1);
        const rules = [];
        source.split('\n').forEach((rawLine, index) => {
            const rule = parseRule(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine, index + 1);
            if (rule)
                rules.push(rule);
        });
        return new IgnoreRules(rules);
    }
    /** Rules for a chart without a .helmignore. */
    static empty() {
        return new IgnoreRules([]);
    }
    /** A copy with Helm's default rule appended, as the directory loader does. */
    withDefaults() {
        const rule = parseRule(DEFAULT_RULE, 0);
        return new IgnoreRules(rule ? [...this.rules, rule] : [...this.rules]);
    }
    /**
     * Whether the `/`-separated path relative to the chart root is ignored. isDir is the kind of
     * the entry (for a symlink: of its target, as Helm stats through links).
     */
    ignores(path, isDir) {
        return this.decidingRule(path, isDir) !== undefined;
    }
    /** The rule that leaves the path out (undefined when it is kept), for log lines that explain why. */
    explain(path, isDir) {
        const rule = this.decidingRule(path, isDir);
        return rule && `"${rule.raw}" (${rule.line === 0 ? 'default rule' : `line ${rule.line}`})`;
    }
    decidingRule(path, isDir) {
        // Helm never ignores the chart root itself (helm/helm#1776).
        if (path === '' || path === '.' || path === './')
            return undefined;
        for (const rule of this.rules) {
            if (rule.negate) {
                if ((rule.mustDir && !isDir) || !matches(rule, path))
                    return rule;
                continue;
            }
            if (rule.mustDir && !isDir)
                continue;
            if (matches(rule, path))
                return rule;
        }
        return undefined;
    }
}
function parseRule(line, lineNumber) {
    const raw = (0,go_text/* goTrimSpace */.h)(line);
    if (raw === '' || raw.startsWith('#'))
        return undefined;
    if (raw.includes('**')) {
        throw new IgnoreRuleError(`double-star (**) syntax is not supported in rule "${raw}": .helmignore rules use Go's filepath.Match, where * never crosses "/"`, lineNumber);
    }
    try {
        checkGlob(raw);
    }
    catch (error) {
        if (error instanceof GlobSyntaxError) {
            throw new IgnoreRuleError(`syntax error in pattern "${raw}"`, lineNumber);
        }
        throw error;
    }
    let pattern = raw;
    const negate = pattern.startsWith('!');
    if (negate)
        pattern = pattern.slice(1);
    const mustDir = pattern.endsWith('/');
    if (mustDir)
        pattern = pattern.slice(0, -1);
    let fullPath = pattern.includes('/');
    if (pattern.startsWith('/')) {
        pattern = pattern.slice(1);
        fullPath = true;
    }
    return { raw, line: lineNumber, negate, mustDir, fullPath, pattern };
}
function matches(rule, path) {
    try {
        return goMatch(rule.pattern, rule.fullPath ? path : goBase(path));
    }
    catch {
        // Helm logs a compile failure and treats it as "no match"; parse already rejected bad globs.
        return false;
    }
}
/** Go's filepath.Base for `/`-separated paths. */
function goBase(path) {
    if (path === '')
        return '.';
    let p = path;
    while (p.length > 0 && p.endsWith('/'))
        p = p.slice(0, -1);
    if (p === '')
        return '/';
    const slash = p.lastIndexOf('/');
    return slash >= 0 ? p.slice(slash + 1) : p;
}


/***/ }),

/***/ 45907:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MQ: () => (/* binding */ dependencyJson),
  iS: () => (/* binding */ isStrictSemver),
  iU: () => (/* binding */ marshalChartYaml),
  A2: () => (/* binding */ marshalLock),
  VX: () => (/* binding */ marshalMetadataYaml),
  Bv: () => (/* binding */ mergeRequirements),
  YE: () => (/* binding */ metadataJson),
  w0: () => (/* binding */ nonStrictVersionProblem),
  uR: () => (/* binding */ ociTag),
  zO: () => (/* binding */ parseChartYaml),
  PG: () => (/* binding */ parseLock),
  _: () => (/* binding */ publishingProblems),
  aR: () => (/* binding */ validateMetadata)
});

// UNUSED EXPORTS: isLooseSemver

// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
// EXTERNAL MODULE: ./src/chart/go/go-json.ts
var go_json = __webpack_require__(15444);
// EXTERNAL MODULE: ./src/chart/go/go-text.ts
var go_text = __webpack_require__(95369);
// EXTERNAL MODULE: ./src/chart/go/json-hop.ts
var json_hop = __webpack_require__(63055);
// EXTERNAL MODULE: ./src/chart/go/yaml-emit.ts
var yaml_emit = __webpack_require__(97110);
// EXTERNAL MODULE: ./src/shared/byte-order.ts
var byte_order = __webpack_require__(17302);
;// CONCATENATED MODULE: ./src/chart/field-table.ts





function defineStruct(goName, fields) {
    // Object key order is insertion order for non-numeric keys: the table's order is Go's.
    const keys = Object.keys(fields);
    return { goName, fields, keys, schema: { goName, fields: keys.map((key) => [key, fields[key].type]) } };
}
function stringField(options = {}) {
    return {
        type: json_hop/* STRING */.An,
        omitEmpty: options.always !== true,
        isEmpty: (v) => v === '',
        yaml: (v) => v,
        json: go_json/* goJsonString */.A,
        sanitize: options.sanitize === true ? go_text/* sanitizeString */.x : undefined,
    };
}
/** time.Time, held as its RFC 3339 text (json-hop normalises it on decoding). */
function timeField(options = {}) {
    return { ...stringField(options), type: { kind: 'time' } };
}
function boolField() {
    return { type: json_hop/* BOOL */.HX, omitEmpty: true, isEmpty: (v) => !v, yaml: (v) => v, json: (v) => (v ? 'true' : 'false'), sanitize: undefined };
}
function stringListField(options = {}) {
    return {
        type: { kind: 'list', of: json_hop/* STRING */.An },
        omitEmpty: options.always !== true,
        isEmpty: isEmptyList,
        yaml: (v) => v,
        json: (v) => (v === null ? 'null' : `[${v.map(go_json/* goJsonString */.A).join(',')}]`),
        sanitize: options.sanitize === true ? (v) => (v === null ? v : v.map(go_text/* sanitizeString */.x)) : undefined,
    };
}
/** map[string]string: encoding/json writes the keys sorted. */
function stringMapField() {
    return {
        type: { kind: 'string-map' },
        omitEmpty: true,
        isEmpty: (v) => v === null || v.size === 0,
        yaml: (v) => (v === null ? null : new Map(v)),
        json: (v) => {
            if (v === null)
                return 'null';
            const keys = [...v.keys()].sort(byte_order/* compareBytewise */.G);
            return `{${keys.map((k) => `${(0,go_json/* goJsonString */.A)(k)}:${(0,go_json/* goJsonString */.A)(v.get(k) ?? '')}`).join(',')}}`;
        },
        sanitize: undefined,
    };
}
/** []interface{} (e.g. `import-values`), as it comes out of the YAML\u2192JSON hop. */
function anyListField() {
    return {
        type: { kind: 'list', of: { kind: 'any' } },
        omitEmpty: true,
        isEmpty: isEmptyList,
        yaml: (v) => v,
        json: (v) => (v === null ? 'null' : `[${v.map(anyJson).join(',')}]`),
        sanitize: undefined,
    };
}
/**
 * []*Struct: a null item stays null. Items are sanitised where Validate checks them for null,
 * not through this field, so `sanitize` is left empty.
 */
function structListField(table, options = {}) {
    return {
        type: { kind: 'list', of: { kind: 'struct', schema: table.schema } },
        omitEmpty: options.always !== true,
        isEmpty: isEmptyList,
        yaml: (v) => (v === null ? null : v.map((item) => (item === null ? null : structYaml(table, item)))),
        json: (v) => (v === null ? 'null' : `[${v.map((item) => (item === null ? 'null' : structJson(table, item))).join(',')}]`),
        sanitize: undefined,
    };
}
/** The struct as yaml.Marshal sees it: its non-omitted fields, in table order. */
function structYaml(table, value) {
    const out = new Map();
    for (const key of table.keys) {
        const field = table.fields[key];
        const v = value[key];
        if (field.omitEmpty && field.isEmpty(v))
            continue;
        out.set(key, field.yaml(v));
    }
    return out;
}
/** encoding/json of the struct: table order, omitempty, Go's escaping. */
function structJson(table, value) {
    const parts = [];
    for (const key of table.keys) {
        const field = table.fields[key];
        const v = value[key];
        if (field.omitEmpty && field.isEmpty(v))
            continue;
        parts.push(`${(0,go_json/* goJsonString */.A)(key)}:${field.json(v)}`);
    }
    return `{${parts.join(',')}}`;
}
/** Applies each field's sanitiser in place, as Helm's Validate does (it changes what is written). */
function sanitizeStruct(table, value) {
    for (const key of table.keys) {
        const sanitize = table.fields[key].sanitize;
        if (sanitize)
            value[key] = sanitize(value[key]);
    }
}
function isEmptyList(v) {
    return v === null || v.length === 0;
}
/**
 * An `any` value as Helm holds it after the YAML\u2192JSON hop: numbers are float64 (whose
 * shortest form JavaScript's Number#toString matches), maps have their keys sorted.
 */
function anyJson(v) {
    if (v === null)
        return 'null';
    if (typeof v === 'boolean')
        return v ? 'true' : 'false';
    if (typeof v === 'string')
        return (0,go_json/* goJsonString */.A)(v);
    if (v instanceof yaml_emit/* GoInt */.ov)
        return v.value.toString();
    if (v instanceof yaml_emit/* GoFloat */.LK)
        return String(v.value);
    if (Array.isArray(v))
        return `[${v.map(anyJson).join(',')}]`;
    const keys = [...v.keys()].sort(byte_order/* compareBytewise */.G);
    return `{${keys.map((k) => `${(0,go_json/* goJsonString */.A)(k)}:${anyJson(v.get(k))}`).join(',')}}`;
}

;// CONCATENATED MODULE: ./src/chart/chart-fields.ts

const MAINTAINER = defineStruct('Maintainer', {
    name: stringField({ sanitize: true }),
    email: stringField({ sanitize: true }),
    url: stringField({ sanitize: true }),
});
const DEPENDENCY = defineStruct('Dependency', {
    name: stringField({ always: true, sanitize: true }),
    version: stringField({ sanitize: true }),
    repository: stringField({ always: true, sanitize: true }),
    condition: stringField({ sanitize: true }),
    tags: stringListField({ sanitize: true }),
    enabled: boolField(),
    'import-values': anyListField(),
    // Helm validates the alias's characters but does not sanitise it.
    alias: stringField(),
});
const METADATA = defineStruct('Metadata', {
    name: stringField({ sanitize: true }),
    home: stringField({ sanitize: true }),
    sources: stringListField({ sanitize: true }),
    version: stringField(),
    description: stringField({ sanitize: true }),
    keywords: stringListField({ sanitize: true }),
    maintainers: structListField(MAINTAINER),
    icon: stringField({ sanitize: true }),
    apiVersion: stringField(),
    condition: stringField({ sanitize: true }),
    tags: stringField({ sanitize: true }),
    appVersion: stringField({ sanitize: true }),
    deprecated: boolField(),
    annotations: stringMapField(),
    kubeVersion: stringField({ sanitize: true }),
    dependencies: structListField(DEPENDENCY),
    type: stringField(),
});
const LOCK = defineStruct('Lock', {
    generated: timeField({ always: true }),
    digest: stringField({ always: true }),
    dependencies: structListField(DEPENDENCY, { always: true }),
});

// EXTERNAL MODULE: ./src/chart/go/yaml-decode.ts
var yaml_decode = __webpack_require__(83167);
;// CONCATENATED MODULE: ./src/chart/metadata.ts







/** Parses Chart.yaml as Helm does. Errors name the file and line. */
function parseChartYaml(text, file) {
    const report = { unknownKeys: [], keyPositions: new Map(), valueKinds: new Map() };
    const metadata = decodeWith(text, file, METADATA.schema, (0,json_hop/* zeroStruct */.E4)(METADATA.schema), report);
    // Helm 2 charts had no apiVersion; the loader reads them as v1.
    if (metadata.apiVersion === '')
        metadata.apiVersion = 'v1';
    return {
        metadata,
        source: {
            file,
            keyLines: new Map([...report.keyPositions].map(([k, p]) => [k, p.line])),
            valueKinds: report.valueKinds,
            unknownKeys: report.unknownKeys.map(({ key, pos }) => ({ key, line: pos.line })),
        },
    };
}
/**
 * requirements.yaml (apiVersion v1): Helm unmarshals it over the already loaded metadata,
 * so its `dependencies` (and any other Chart.yaml key it happens to contain) win.
 */
function mergeRequirements(metadata, text, file) {
    decodeWith(text, file, METADATA.schema, metadata);
}
function parseLock(text, file) {
    return decodeWith(text, file, LOCK.schema, (0,json_hop/* zeroStruct */.E4)(LOCK.schema));
}
function decodeWith(text, file, schema, target, report) {
    let node;
    try {
        node = (0,yaml_decode/* decodeYaml */.SE)(text);
    }
    catch (error) {
        if (error instanceof yaml_decode/* YamlSyntaxError */.nN) {
            throw new errors/* ChartError */.DA(`${file} is not valid YAML: ${error.message}`, { file, line: error.line, column: error.column });
        }
        throw error;
    }
    try {
        return (0,json_hop/* decodeStruct */.yZ)(node, schema, target, report);
    }
    catch (error) {
        if (error instanceof json_hop/* HopError */.q$) {
            throw new errors/* ChartError */.DA(`cannot load ${baseName(file)}: ${error.message}`, {
                file,
                line: error.pos.line,
                column: error.pos.column,
            });
        }
        throw error;
    }
}
// ---------------------------------------------------------------------------------------------
// Validation
const ALIAS_FORMAT = /^[a-zA-Z0-9_-]+$/;
/**
 * Helm's Metadata.Validate: sanitises the free-text fields (mutating the metadata, as Helm
 * does, which changes what is written) and checks the rest, with Helm's messages.
 */
function validateMetadata(md, source) {
    sanitizeStruct(METADATA, md);
    const fail = (message, key) => {
        throw new errors/* ChartError */.DA(`validation: ${message}`, { file: source.file, line: key ? lineOf(source, key) : undefined });
    };
    if (md.apiVersion === '')
        fail('chart.metadata.apiVersion is required', 'apiVersion');
    if (md.name === '')
        fail('chart.metadata.name is required: add `name: <chart name>` to Chart.yaml', 'name');
    if (md.name === '.' || md.name === '..')
        fail(`chart.metadata.name "${md.name}" is not allowed`, 'name');
    if (md.name.includes('/'))
        fail(`chart.metadata.name "${md.name}" is invalid: it must not contain "/"`, 'name');
    if (md.version === '')
        fail('chart.metadata.version is required: add `version: <semver>` to Chart.yaml', 'version');
    if (!isLooseSemver(md.version)) {
        fail(`chart.metadata.version "${md.version}" is invalid: it must be a semantic version such as 1.2.3`, 'version');
    }
    if (!['', 'application', 'library'].includes(md.type)) {
        fail('chart.metadata.type must be application or library', 'type');
    }
    for (const m of md.maintainers ?? []) {
        if (m === null)
            fail('maintainers must not contain empty or null nodes', 'maintainers');
        else
            sanitizeStruct(MAINTAINER, m);
    }
    const seen = new Set();
    for (const d of md.dependencies ?? []) {
        if (d === null) {
            fail('dependencies must not contain empty or null nodes', 'dependencies');
            continue;
        }
        sanitizeStruct(DEPENDENCY, d);
        if (d.alias !== '' && !ALIAS_FORMAT.test(d.alias)) {
            fail(`dependency "${d.name}" has disallowed characters in the alias`, 'dependencies');
        }
        const key = d.alias !== '' ? d.alias : d.name;
        if (seen.has(key))
            fail(`more than one dependency with name or alias "${key}"`, 'dependencies');
        seen.add(key);
    }
}
/** Masterminds/semver NewVersion (loose, coercing): what Helm accepts as a chart version (\u00a71.6.3). */
function isLooseSemver(v) {
    return (0,version_constraints/* parseVersion */.ot)(v) !== undefined;
}
/** Masterminds/semver StrictNewVersion: SemVer 2 exactly, the only tags `helm pull` can find (\u00a73.6). */
function isStrictSemver(v) {
    return (0,version_constraints/* parseStrictVersion */.tD)(v) !== undefined;
}
/** One path component of an OCI repository name (distribution-spec; helm-oci.md \u00a73.5). */
const OCI_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
/** The OCI tag Helm pushes a version under (\u00a73.5): `+` becomes `_`. */
function ociTag(version) {
    return version.replaceAll('+', '_');
}
/**
 * What publishing additionally requires (HIP-6, ../shared/spec/helm-oci.md \u00a74.2 DECIDE, \u00a75):
 * checks Helm only trips over at push time, or never, but which make a chart unpublishable or
 * unfindable. Returns the problems found, each pointing at its Chart.yaml line.
 */
function publishingProblems(md, source) {
    const problems = [];
    const at = (key) => ({ file: source.file, line: lineOf(source, key) });
    const versionKind = source.valueKinds.get('version');
    if (versionKind === 'int' || versionKind === 'float') {
        problems.push(new errors/* ChartError */.DA(`version is written as a YAML number, which Helm reads as "${md.version}"; quote it, e.g. version: "${md.version}"` +
            (versionKind === 'float' ? ' (a float such as 1.10 reads as 1.1)' : ''), at('version')));
    }
    else if (ociTag(md.version).length > 128) {
        problems.push(new errors/* ChartError */.DA(`version "${md.version}" is longer than the 128 characters an OCI tag allows`, at('version')));
    }
    const appVersionKind = source.valueKinds.get('appVersion');
    if (appVersionKind === 'int' || appVersionKind === 'float' || appVersionKind === 'bool') {
        problems.push(new errors/* ChartError */.DA(`appVersion is written as a YAML ${appVersionKind === 'bool' ? 'boolean' : 'number'}, which Helm reads as "${md.appVersion}"; ` +
            `quote it, e.g. appVersion: "${md.appVersion}"`, at('appVersion')));
    }
    if (!OCI_PATH_COMPONENT.test(md.name)) {
        problems.push(new errors/* ChartError */.DA(`chart name "${md.name}" cannot be an OCI repository name: use lowercase letters and digits, ` +
            'separated by single ".", "_", "__" or runs of "-" (e.g. "my-chart")', at('name')));
    }
    if (md.apiVersion !== 'v1' && md.apiVersion !== 'v2') {
        problems.push(new errors/* ChartError */.DA(`apiVersion "${md.apiVersion}" is not supported: Helm packages only apiVersion v1 and v2 charts`, at('apiVersion')));
    }
    if (md.type !== '' && md.apiVersion !== 'v2') {
        problems.push(new errors/* ChartError */.DA(`chart type is not valid in apiVersion '${md.apiVersion}'. It is valid in apiVersion 'v2'`, at('type')));
    }
    return problems;
}
/**
 * A version Helm packages and pushes but that is not strict SemVer 2 (`v1.2.3`, `1.2`, `01.2.3`):
 * the tag is the version as written, which an exact `--version` finds, while range and "latest"
 * resolution list only strict SemVer tags (../shared/spec/helm-oci.md \u00a73.6, \u00a76 rows 2 and 3).
 * Returned as a problem for the caller to warn about, or refuse under `strict-versions`;
 * undefined for a strict version, and for one validation refuses anyway.
 */
function nonStrictVersionProblem(md, source, from) {
    if (isStrictSemver(md.version) || !isLooseSemver(md.version))
        return undefined;
    const version = md.version;
    return new errors/* ChartError */.DA(`version "${version}"${from ? ` (from ${from})` : ''} is not strict SemVer 2 (MAJOR.MINOR.PATCH, no "v" prefix, no leading zeros). ` +
        `It is published as tag ${ociTag(version)}, and an exact \`--version ${version}\` finds it; but version ranges ` +
        '(`--version "^1.0.0"`), dependency constraints in other charts and "latest" (no --version) never select it, ' +
        "and Helm 4's `helm lint` warns about it", { file: source.file, line: lineOf(source, 'version') });
}
function lineOf(source, key) {
    return source.keyLines.get(key);
}
function baseName(file) {
    return file.slice(file.lastIndexOf('/') + 1);
}
// ---------------------------------------------------------------------------------------------
// Serialisation
/**
 * Chart.yaml as Helm writes it into the archive (yaml.Marshal of the metadata). For apiVersion
 * v1 the dependencies live in requirements.yaml and are left out.
 */
function marshalChartYaml(md) {
    return (0,yaml_emit/* marshalYaml */._D)(metadataValue(md, md.apiVersion === 'v1'));
}
/** The metadata as Helm marshals it for the .prov body: dependencies included even for v1. */
function marshalMetadataYaml(md) {
    return (0,yaml_emit/* marshalYaml */._D)(metadataValue(md, false));
}
function marshalLock(lock) {
    return (0,yaml_emit/* marshalYaml */._D)(structYaml(LOCK, lock));
}
function metadataValue(md, omitDependencies) {
    const out = structYaml(METADATA, md);
    if (omitDependencies)
        out.delete('dependencies');
    return out;
}
/**
 * encoding/json of the metadata (Go struct field order, omitempty, Go's escaping): Helm's OCI
 * config blob (../shared/spec/helm-oci.md \u00a73.2).
 */
function metadataJson(md) {
    return structJson(METADATA, md);
}
/**
 * encoding/json of chart.Dependency (field order and omitempty from its struct tags): part of
 * the config blob, and what Helm's Chart.lock digest is computed over.
 */
function dependencyJson(d) {
    return d === null ? 'null' : structJson(DEPENDENCY, d);
}


/***/ }),

/***/ 61312:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A5: () => (/* binding */ HELM_CONFIG_MEDIA_TYPE),
/* harmony export */   Rz: () => (/* binding */ HELM_PROVENANCE_MEDIA_TYPE),
/* harmony export */   TY: () => (/* binding */ LEGACY_CHART_MEDIA_TYPE),
/* harmony export */   y$: () => (/* binding */ HELM_CHART_MEDIA_TYPE)
/* harmony export */ });
/**
 * The media types a Helm chart has in an OCI registry (HIP-6; ../shared/spec/helm-oci.md \u00a73.1):
 * part of the chart format, used to push charts and to pull dependencies.
 */
const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
const HELM_CHART_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const HELM_PROVENANCE_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** The chart layer type before HIP-6; Helm still accepts it on pull, with a warning. */
const LEGACY_CHART_MEDIA_TYPE = 'application/tar+gzip';


/***/ }),

/***/ 55659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mn: () => (/* binding */ normaliseDirEntry),
/* harmony export */   fg: () => (/* binding */ compileDirGlob),
/* harmony export */   kZ: () => (/* binding */ parseChartsDir),
/* harmony export */   ln: () => (/* binding */ isHiddenFromChartsDir),
/* harmony export */   mc: () => (/* binding */ coversDir),
/* harmony export */   ns: () => (/* binding */ firstInclude)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58382);
/* harmony import */ var _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(15657);



const INPUT = 'charts-dir';
function parseChartsDir(entries, workspace) {
    const includes = [];
    const excludes = [];
    for (const entry of entries) {
        const raw = entry.trim();
        if (raw === '')
            continue;
        const exclude = raw.startsWith('!');
        const pattern = normaliseDirEntry(exclude ? raw.slice(1).trim() : raw, raw, workspace, INPUT);
        (exclude ? excludes : includes).push({ raw, pattern, matches: compileDirGlob(pattern) });
    }
    if (includes.length === 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, 'names no folder; give one or more folders or globs, e.g. "charts" or "." for the repository root');
    }
    return { includes, excludes };
}
/** Whether a directory is under charts-dir: an include covers it (or a parent) and no exclude does. */
function coversDir(chartsDir, dir) {
    return firstInclude(chartsDir, dir) !== undefined;
}
/** The include entry that covers dir, if dir is not excluded. */
function firstInclude(chartsDir, dir) {
    return coveringIncludes(chartsDir, dir).find((p) => namesHiddenSegments(p, dir));
}
/** A directory that an include would cover but for a hidden folder on its path, which no entry names. */
function isHiddenFromChartsDir(chartsDir, dir) {
    return firstInclude(chartsDir, dir) === undefined && coveringIncludes(chartsDir, dir).length > 0;
}
function coveringIncludes(chartsDir, dir) {
    const chain = [dir, ...(dir === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl ? [] : (0,_repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ancestorDirs */ .cR)(dir))];
    if (chartsDir.excludes.some((p) => chain.some((d) => p.matches(d))))
        return [];
    return chartsDir.includes.filter((p) => chain.some((d) => p.matches(d)));
}
/** Every hidden segment of dir is spelled by a segment of the pattern that starts with "." too. */
function namesHiddenSegments(pattern, dir) {
    if (dir === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl)
        return true;
    const hidden = dir.split('/').filter((s) => s.startsWith('.'));
    if (hidden.length === 0)
        return true;
    const named = pattern.pattern
        .split('/')
        .filter((s) => s.startsWith('.') && s !== '.')
        .map((s) => new RegExp(`^${segmentSource(s)}$`));
    return hidden.every((segment) => named.some((r) => r.test(segment)));
}
/**
 * A folder or glob entry of a path-list input (charts-dir, exclude), workspace-relative and
 * normalised; "." for the workspace itself. Errors name the input.
 */
function normaliseDirEntry(value, raw, workspace, input) {
    let path = value;
    if ((0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(path)) {
        const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.relative)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(workspace), (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(path));
        if (rel.startsWith('..') || (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(rel)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, `"${raw}" is outside the workspace ${workspace}; give a path relative to the repository`);
        }
        path = rel.split('\\').join('/');
    }
    const normalised = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.normalize(path).replace(/\/+$/, '');
    if (normalised === '..' || normalised.startsWith('../')) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(input, `"${raw}" leads outside the workspace; give a path relative to the repository`);
    }
    // "Chart.yaml" at the end names the chart folder; accept it rather than match nothing.
    const folder = normalised.replace(/(^|\/)Chart\.yaml$/, '');
    return folder === '' ? _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl : folder;
}
/** Compiles a `/`-separated glob into a matcher of workspace-relative directories ("." = root). */
function compileDirGlob(pattern) {
    if (pattern === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl)
        return (dir) => dir === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl;
    if (!/[*?[\\]/.test(pattern))
        return (dir) => dir === pattern;
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    let source = '';
    segments.forEach((segment, i) => {
        const last = i === segments.length - 1;
        const afterGlobstar = i > 0 && segments[i - 1] === '**';
        if (segment === '**') {
            if (i === 0 && last)
                source += '(?:[^/]+(?:/[^/]+)*)?';
            else if (last)
                source += '(?:/[^/]+)*';
            else
                source += `${i > 0 ? '/' : ''}(?:[^/]+/)*`;
            return;
        }
        if (i > 0 && !afterGlobstar)
            source += '/';
        source += segmentSource(segment);
    });
    const regex = new RegExp(`^${source}$`);
    // The root directory is "." to callers but "" to a pattern such as "**".
    return (dir) => regex.test(dir === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl ? '' : dir);
}
function segmentSource(segment) {
    let out = '';
    for (let i = 0; i < segment.length; i++) {
        const c = segment[i];
        if (c === '*')
            out += '[^/]*';
        else if (c === '?')
            out += '[^/]';
        else if (c === '\\' && i + 1 < segment.length)
            out += escapeRegex(segment[++i]);
        else if (c === '[') {
            const close = segment.indexOf(']', i + 2);
            if (close < 0) {
                out += '\\[';
                continue;
            }
            let body = segment.slice(i + 1, close);
            const negate = body.startsWith('!') || body.startsWith('^');
            if (negate)
                body = body.slice(1);
            out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
            i = close;
        }
        else
            out += escapeRegex(c);
    }
    return out;
}
function escapeRegex(c) {
    return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}


/***/ }),

/***/ 35366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eg: () => (/* binding */ parseExclude),
/* harmony export */   En: () => (/* binding */ excludeCharts)
/* harmony export */ });
/* unused harmony export excludedBy */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);
/* harmony import */ var _charts_dir_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55659);
/* harmony import */ var _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(15657);



const INPUT = 'exclude';
function parseExclude(entries, workspace) {
    return entries
        .map((entry) => entry.trim())
        .filter((raw) => raw !== '')
        .map((raw) => {
        if (raw.startsWith('!')) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(INPUT, `"${raw}": exclude has no "!" entries; to search fewer folders, narrow charts-dir instead`);
        }
        const pattern = (0,_charts_dir_js__WEBPACK_IMPORTED_MODULE_1__/* .normaliseDirEntry */ .Mn)(raw, raw, workspace, INPUT);
        const matches = (0,_charts_dir_js__WEBPACK_IMPORTED_MODULE_1__/* .compileDirGlob */ .fg)(pattern);
        return { raw, matches: (dir) => [dir, ...(dir === _repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ROOT */ .Dl ? [] : (0,_repo_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .ancestorDirs */ .cR)(dir))].some((d) => matches(d)) };
    });
}
/** The rule that excludes a chart folder, if any (the first one, in the order given). */
function excludedBy(rules, dir) {
    return rules.find((rule) => rule.matches(dir));
}
/** The discovery without the excluded charts; says which rule excluded which chart. */
function excludeCharts(discovery, rules, logger) {
    if (rules.length === 0)
        return discovery;
    const charts = discovery.charts.filter((chart) => {
        const rule = excludedBy(rules, chart.dir);
        if (rule)
            logger.info(`  ${chart.dir}: excluded by the exclude rule "${rule.raw}"; not published`);
        return rule === undefined;
    });
    const removed = discovery.charts.length - charts.length;
    if (removed === 0)
        logger.debug(`exclude ${rules.map((r) => `"${r.raw}"`).join(', ')}: no selected chart matches`);
    return removed === 0 ? discovery : { ...discovery, charts };
}


/***/ }),

/***/ 15657:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dl: () => (/* binding */ ROOT),
/* harmony export */   Mf: () => (/* binding */ relativeTo),
/* harmony export */   Qp: () => (/* binding */ parentDir),
/* harmony export */   UO: () => (/* binding */ isWithin),
/* harmony export */   cD: () => (/* binding */ comparePaths),
/* harmony export */   cR: () => (/* binding */ ancestorDirs),
/* harmony export */   uJ: () => (/* binding */ joinPath)
/* harmony export */ });
/**
 * Workspace-relative, `/`-separated paths as discovery reports them: a chart at the workspace
 * root is ".", never "" or "./", so that outputs and log lines always show a usable path.
 */
const ROOT = '.';
function joinPath(dir, rel) {
    if (dir === ROOT)
        return rel === '' ? ROOT : rel;
    return rel === '' || rel === ROOT ? dir : `${dir}/${rel}`;
}
/** The directory that holds path ("." for a top-level entry). */
function parentDir(path) {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? ROOT : path.slice(0, slash);
}
/** Whether path is dir itself or lies below it. */
function isWithin(path, dir) {
    return dir === ROOT || path === dir || path.startsWith(`${dir}/`);
}
/** path relative to dir, which must contain it ("" when path is dir). */
function relativeTo(path, dir) {
    if (dir === ROOT)
        return path === ROOT ? '' : path;
    return path === dir ? '' : path.slice(dir.length + 1);
}
/** The directories that contain path, nearest first, ending with ".". */
function ancestorDirs(path) {
    const dirs = [];
    let dir = path;
    while (dir !== ROOT) {
        dir = parentDir(dir);
        dirs.push(dir);
    }
    return dirs;
}
/** Plain code-unit order, stable across machines (never the locale's collation). */
function comparePaths(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 2864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./src/action/workflow-commands.ts





/** `INPUT_<NAME>`: spaces become underscores, the name is upper-cased, hyphens are kept. */
function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    return options.trimWhitespace === false ? value : value.trim();
}
/** A `name<<delimiter` block in the GITHUB_OUTPUT file, with a delimiter that cannot occur in the value. */
function setOutput(name, value) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) {
        // Runners before the file commands read the (deprecated) set-output command.
        process.stdout.write(external_node_os_.EOL);
        issue('set-output', value, { name });
        return;
    }
    const delimiter = `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`output ${name} contains the delimiter ${delimiter}`);
    if (!(0,external_node_fs_.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    (0,external_node_fs_.appendFileSync)(file, `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, { encoding: 'utf8' });
}
/** `::add-mask::`: the runner replaces the value with *** in every later log line. */
function setSecret(secret) {
    issue('add-mask', secret);
}
/** Step debug logging (the ACTIONS_STEP_DEBUG secret, or a re-run with debug logging). */
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
function debug(message) {
    issue('debug', message);
}
function info(message) {
    process.stdout.write(message + external_node_os_.EOL);
}
function warning(message, properties) {
    issue('warning', message, annotation(properties));
}
function error(message, properties) {
    issue('error', message, annotation(properties));
}
/** Fails the step: exit code 1 once the process ends, and the message as an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Folds the lines `fn` writes under `name` in the log. */
async function group(name, fn) {
    issue('group', name);
    try {
        return await fn();
    }
    finally {
        issue('endgroup', '');
    }
}
/** Appends Markdown (and a line end) to the job summary, the file named by GITHUB_STEP_SUMMARY. */
async function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    try {
        await (0,promises_.access)(file, external_node_fs_.constants.R_OK | external_node_fs_.constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await (0,promises_.appendFile)(file, markdown + external_node_os_.EOL, { encoding: 'utf8' });
}
/** The runner's names for annotation properties (ActionCommandManager.cs): line and col. */
function annotation(properties) {
    if (!properties)
        return {};
    return { title: properties.title, file: properties.file, line: properties.startLine, col: properties.startColumn };
}
function issue(command, message, properties = {}) {
    const fields = Object.entries(properties)
        .filter((entry) => entry[1] !== undefined && entry[1] !== '' && entry[1] !== 0)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
    const head = fields.length > 0 ? `::${command} ${fields.join(',')}` : `::${command}`;
    process.stdout.write(`${head}::${escapeData(message)}${external_node_os_.EOL}`);
}
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/action/annotation-limit.ts
/** GitHub's per-step limit of error annotations shown (docs: "Annotations", workflow commands). */
const MAX_ERROR_ANNOTATIONS = 10;
function limitErrorAnnotations(logger, max = MAX_ERROR_ANNOTATIONS) {
    let errors = 0;
    return {
        debug: (message) => logger.debug(message),
        info: (message) => logger.info(message),
        warning: (message, where) => logger.warning(message, where),
        error: (message, where) => {
            errors++;
            if (errors <= max) {
                logger.error(message, where);
                return;
            }
            const at = where ? `${where.file}${where.line === undefined ? '' : `:${where.line}`}: ` : '';
            logger.info(`Error (not annotated, ${max} already are): ${at}${message}`);
        },
        group: (name, fn) => logger.group(name, fn),
        mask: (secret) => logger.mask(secret),
        isDebug: () => logger.isDebug(),
        suppressed: () => Math.max(0, errors - max),
    };
}

// EXTERNAL MODULE: ./src/shared/secret-redactor.ts
var secret_redactor = __webpack_require__(3682);
;// CONCATENATED MODULE: ./src/shared/log-sanitizer.ts

/**
 * Makes text safe to print in a GitHub Actions log, annotation or job summary. Paths, YAML
 * values, git output and server text are controlled by whoever wrote the chart or runs the
 * server; printed raw, a name containing a newline followed by `::warning::`, `::add-mask::` or
 * `::stop-commands::` is a workflow command (the runner reads any line whose first non-blank
 * characters are `::`). Every function here also removes secrets (secret-redactor.ts).
 */
/** C0 and C1 control characters but tab and line feed, and DEL: escape sequences can rewrite what the log shows. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A line the runner would read as a workflow command (`::name::`), or the legacy `##[name]` form. */
const COMMAND_LINE = /^(\s*)(::|##\[)/;
function visibleControl(ch) {
    return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}
/**
 * A log message: secrets removed, control characters (CR included) shown as `\uXXXX`, and no
 * line starting a workflow command. Line feeds stay, so multi-line messages stay readable, but
 * each line that would begin with `::` has it broken up as `: :`.
 */
function safeLogText(text) {
    const cleaned = (0,secret_redactor/* redactSecrets */.fp)(text)
        .replace(CONTROL, visibleControl)
        // A file-name byte that is not UTF-8 (chart/go/raw-name.ts) is shown as \xNN.
        .replace(/[\udc80-\udcff]/gu, (ch) => `\\x${(ch.charCodeAt(0) - 0xdc00).toString(16)}`);
    if (!cleaned.includes('::') && !cleaned.includes('##['))
        return cleaned;
    return cleaned
        .split('\n')
        .map((line) => line.replace(COMMAND_LINE, (_m, blank, marker) => `${blank}${marker === '::' ? ': :' : '# #['}`))
        .join('\n');
}
/** One line for a field (annotation file or title, group name, output value): line feeds shown as `\n`. */
function safeLogField(text) {
    return safeLogText(text.replaceAll('\n', '\\n'));
}
/**
 * Text inside a Markdown table cell of the job summary: one line, no table break (`|`), no
 * HTML, no link or image syntax, no emphasis or code from the text itself.
 */
function safeMarkdown(text) {
    return safeLogField(text)
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replace(/([\\`*_[\]|])/g, '\\$1');
}
/** Text inside a Markdown code span: backticks cannot be escaped there, so they are dropped. */
function safeMarkdownCode(text) {
    return safeLogField(text).replaceAll('`', "'").replaceAll('|', '\\|');
}

;// CONCATENATED MODULE: ./src/action/core-logger.ts



/**
 * The engine's Logger over the runner's workflow commands: warnings and errors become annotations on the file
 * and line, groups fold in the log, and secrets are masked as given. Every message, group name
 * and annotation field passes the log sanitizer first: the text is often the chart author's or
 * a server's (file names, YAML values, error bodies) and must neither start a workflow command
 * nor carry a secret.
 */
function createCoreLogger() {
    return {
        debug: (message) => debug(safeLogText(message)),
        info: (message) => info(safeLogText(message)),
        warning: (message, where) => warning(safeLogText(message), core_logger_annotation(where)),
        error: (message, where) => error(safeLogText(message), core_logger_annotation(where)),
        group: (name, fn) => group(safeLogField(name), fn),
        mask: (secret) => {
            if (!secret)
                return;
            setSecret(secret);
            (0,secret_redactor/* registerSecret */.cl)(secret);
        },
        isDebug: () => isDebug(),
    };
}
function core_logger_annotation(where) {
    if (!where)
        return undefined;
    return {
        file: safeLogField(where.file),
        startLine: where.line,
        startColumn: where.column,
        title: where.title === undefined ? undefined : safeLogField(where.title),
    };
}

;// CONCATENATED MODULE: ./src/action/lazy-github-compare.ts
/**
 * The GitHub API client, loaded on its first call: most runs never need it (it is the fallback
 * of shallow clones), so it stays out of the bundle's main chunk and out of the start-up time.
 */
function lazyGithubCompare(options) {
    let api;
    const load = () => (api ??= __webpack_require__.e(/* import() */ 405).then(__webpack_require__.bind(__webpack_require__, 86405)).then((m) => m.createGithubCompare(options)));
    return {
        compare: async (base, head) => (await load()).compare(base, head),
        tags: async (prefix) => (await load()).tags(prefix),
    };
}

// EXTERNAL MODULE: ./src/shared/errors.ts
var shared_errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/publish/target.ts
var target = __webpack_require__(47018);
// EXTERNAL MODULE: ./src/chart/metadata.ts + 2 modules
var chart_metadata = __webpack_require__(45907);
// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
;// CONCATENATED MODULE: ./src/chart/overrides.ts



/**
 * The inputs as given (trimmed; empty means no override). The version must be one Helm accepts,
 * as `helm package --version` requires; the app version is free text, as in Helm.
 */
function versionOverrides(version, appVersion) {
    if (version !== '' && !(0,version_constraints/* parseVersion */.ot)(version)) {
        const hint = /^refs\/tags\//.test(version) ? ' (give the tag name, e.g. ${{ github.ref_name }}, not the full ref)' : '';
        throw new shared_errors/* InputError */.dz('version', `"${version}" is not a chart version Helm accepts: expected e.g. 1.2.3, v1.2.3 or 1.2.3-rc.1${hint}`);
    }
    if ((0,chart_metadata/* ociTag */.uR)(version).length > 128) {
        throw new shared_errors/* InputError */.dz('version', `"${version}" is longer than the 128 characters an OCI tag allows`);
    }
    return { ...(version !== '' ? { version } : {}), ...(appVersion !== '' ? { appVersion } : {}) };
}
function hasOverrides(overrides) {
    return overrides?.version !== undefined || overrides?.appVersion !== undefined;
}
function applyOverrides(chart, overrides) {
    if (!hasOverrides(overrides))
        return chart;
    const metadata = { ...chart.metadata };
    // The values are strings from an input now: Chart.yaml's YAML typing no longer applies.
    const valueKinds = new Map(chart.source.valueKinds);
    if (overrides.version !== undefined) {
        metadata.version = overrides.version;
        valueKinds.set('version', 'string');
    }
    if (overrides.appVersion !== undefined) {
        metadata.appVersion = overrides.appVersion;
        valueKinds.set('appVersion', 'string');
    }
    const source = { ...chart.source, valueKinds };
    // Helm validates (and sanitises) again when it saves the archive.
    (0,chart_metadata/* validateMetadata */.aR)(metadata, source);
    return { ...chart, metadata, source };
}

;// CONCATENATED MODULE: ./src/action/input-values.ts

/** A list input: newline or comma separated, blanks dropped. */
function list(value) {
    return value
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
/** A boolean input, as YAML 1.1 and the runner's own inputs spell one; anything else names the input. */
function bool(input, value) {
    const lower = value.toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(lower))
        return true;
    if (['false', 'no', '0', 'off'].includes(lower))
        return false;
    throw new shared_errors/* InputError */.dz(input, `"${value}" is not a boolean: expected "true" or "false"`);
}

;// CONCATENATED MODULE: ./src/action/migration-inputs.ts



/** Undefined when neither `migrate-from` nor `packages` is set (the normal publish). */
function readMigrationInputs(get) {
    const from = get('migrate-from');
    const patterns = list(get('packages'));
    const charts = list(get('migrate-charts'));
    const versionsText = get('migrate-versions');
    if (!from && patterns.length === 0) {
        const stray = charts.length > 0 ? 'migrate-charts' : versionsText ? 'migrate-versions' : undefined;
        if (stray)
            throw new shared_errors/* InputError */.dz(stray, 'only applies with migrate-from or packages: set one of them, or remove this input');
        return undefined;
    }
    if (from && patterns.length > 0) {
        throw new shared_errors/* InputError */.dz('packages', 'cannot be combined with migrate-from: migrate a chart repository or push packages, in separate steps');
    }
    // Packages are pushed as they are: nothing that would package, stamp or sign them applies.
    const conflicts = [
        ['charts', get('charts') !== '', 'existing packages are pushed, no chart directory is packaged'],
        ['version', get('version') !== '', 'existing packages are pushed byte for byte, with the version they were packaged with'],
        ['app-version', get('app-version') !== '', 'existing packages are pushed byte for byte, with the appVersion they were packaged with'],
        ['signing-key', get('signing-key') !== '', 'existing packages are pushed byte for byte, with their own .prov files'],
        ['cosign-key', get('cosign-key') !== '', 'a migration pushes packages as they are, without Sigstore signatures'],
        [
            'cosign-keyless',
            get('cosign-keyless').toLowerCase() === 'true',
            'a migration pushes packages as they are, without Sigstore signatures',
        ],
        ['attest', get('attest').toLowerCase() === 'true', 'a migration pushes packages as they are, without attestations'],
    ];
    for (const [name, set, why] of conflicts) {
        if (set)
            throw new shared_errors/* InputError */.dz(name, `cannot be combined with migrate-from or packages: ${why}`);
    }
    let versions;
    if (versionsText) {
        try {
            versions = (0,version_constraints/* parseConstraint */.FJ)(versionsText);
        }
        catch (error) {
            if (!(error instanceof version_constraints/* ConstraintError */.YB))
                throw error;
            throw new shared_errors/* InputError */.dz('migrate-versions', `"${versionsText}" is not a Helm version constraint (${error.message}); e.g. ">=2.0.0"`);
        }
    }
    return { source: from ? { kind: 'repository', url: repositoryUrl(from) } : { kind: 'packages', patterns }, charts, versions };
}
/** The repository URL: http(s), and the folder when the URL of its index.yaml is given. */
function repositoryUrl(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new shared_errors/* InputError */.dz('migrate-from', `"${text}" is not a URL: give the chart repository's URL, e.g. https://charts.example.com`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new shared_errors/* InputError */.dz('migrate-from', `scheme "${url.protocol.slice(0, -1)}" is not supported: give the http(s) URL of a chart repository (the folder of its index.yaml)`);
    }
    if (url.username || url.password) {
        // Never repeat the value: it holds a password.
        throw new shared_errors/* InputError */.dz('migrate-from', 'must not contain credentials (user:password@): give them in dependency-credentials');
    }
    if (/\/index\.yaml$/.test(url.pathname))
        url.pathname = url.pathname.slice(0, -'index.yaml'.length);
    return url.href;
}

;// CONCATENATED MODULE: ./src/action/sigstore-inputs.ts


/**
 * The Sigstore inputs: `cosign-keyless`, `cosign-key`, `cosign-key-password`, `attest` and the
 * service URLs. The key and its password are masked here, line by line, as soon as they are read.
 */
function readSigstoreInputs(read, logger) {
    const get = (name) => read(name).trim();
    const key = read('cosign-key').trim() === '' ? undefined : read('cosign-key');
    const keyPassword = read('cosign-key-password') === '' ? undefined : read('cosign-key-password');
    if (key) {
        logger.mask(key);
        for (const line of key.split(/\r?\n/))
            if (line.trim() && !line.trim().startsWith('-----'))
                logger.mask(line.trim());
    }
    if (keyPassword)
        logger.mask(keyPassword);
    if (keyPassword && !key)
        throw new shared_errors/* InputError */.dz('cosign-key-password', 'is set but cosign-key is empty: give the cosign.key it decrypts');
    const keyless = bool('cosign-keyless', get('cosign-keyless') || 'false');
    if (keyless && key) {
        throw new shared_errors/* InputError */.dz('cosign-keyless', 'and cosign-key are both set: sign keyless (OIDC) or with the key, not both');
    }
    return {
        keyless,
        ...(key ? { key } : {}),
        ...(keyPassword ? { keyPassword } : {}),
        attest: bool('attest', get('attest') || 'false'),
        ...serviceUrl('sigstore-fulcio-url', 'fulcioUrl', get('sigstore-fulcio-url')),
        ...serviceUrl('sigstore-rekor-url', 'rekorUrl', get('sigstore-rekor-url')),
        ...serviceUrl('sigstore-tsa-url', 'tsaUrl', get('sigstore-tsa-url')),
    };
}
function serviceUrl(input, key, value) {
    if (!value)
        return {};
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new shared_errors/* InputError */.dz(input, `"${value}" is not a URL: expected e.g. https://fulcio.example.com`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new shared_errors/* InputError */.dz(input, `"${value}" is not an http(s) URL`);
    return { [key]: value.replace(/\/+$/, '') };
}

;// CONCATENATED MODULE: ./src/action/inputs.ts








const coreInputReader = (name) => getInput(name, { trimWhitespace: false });
function readInputs(read, context, logger) {
    const get = (name) => read(name).trim();
    // Secrets are kept as given: a passphrase may begin or end with a space.
    const secret = (name) => {
        const value = read(name);
        if (value.trim() === '')
            return undefined;
        logger.mask(value);
        return value;
    };
    const registryText = get('registry') || (0,target/* defaultRegistry */.Vm)(context.repositoryOwner);
    if (!registryText) {
        throw new shared_errors/* InputError */.dz('registry', 'no registry given and the repository owner is unknown: set registry, e.g. oci://ghcr.io/my-org/charts');
    }
    const username = get('username') || undefined;
    const password = secret('password');
    if (password && !username)
        throw new shared_errors/* InputError */.dz('username', 'password is set but username is empty: give both, or neither');
    if (username && !password)
        throw new shared_errors/* InputError */.dz('password', 'username is set but password is empty: give both, or neither');
    // The key and passphrase are masked by loadSigningKey, line by line, keeping the armor's
    // BEGIN/END lines readable for its messages; it runs before anything else can log.
    const unmasked = (name) => (read(name).trim() === '' ? undefined : read(name));
    const signingKey = unmasked('signing-key');
    const signingPassphrase = unmasked('signing-passphrase');
    const signingKeyId = get('signing-key-id') || undefined;
    if (!signingKey && (signingPassphrase || signingKeyId)) {
        throw new shared_errors/* InputError */.dz(signingPassphrase ? 'signing-passphrase' : 'signing-key-id', 'is set but signing-key is empty: give the ASCII-armored secret key in signing-key');
    }
    const outputDirText = get('output-dir');
    const outputDir = outputDirText
        ? (0,external_node_path_.isAbsolute)(outputDirText)
            ? outputDirText
            : (0,external_node_path_.resolve)(context.workspace, outputDirText)
        : (0,external_node_path_.join)(context.runnerTemp, 'oci-chart-publish');
    return {
        registry: (0,target/* parseRegistryNamespace */.Ii)(registryText),
        registryText,
        chartsDirs: list(get('charts-dir') || 'charts'),
        charts: list(get('charts')),
        discover: oneOf('discover', get('discover') || 'changed', ['changed', 'all']),
        base: get('base') || undefined,
        dryRun: dryRunInput(get('dry-run') || 'auto'),
        username,
        password,
        githubToken: secret('github-token'),
        plainHttp: bool('plain-http', get('plain-http') || 'false'),
        onConflict: oneOf('on-conflict', get('on-conflict') || 'fail', ['fail', 'skip', 'overwrite']),
        onInvalid: oneOf('on-invalid', get('on-invalid') || 'fail', ['fail', 'skip']),
        signingKey,
        signingPassphrase,
        signingKeyId,
        dependencyCredentials: dependencyCredentials(read('dependency-credentials'), logger),
        outputDir,
        annotations: annotations(read('annotations')),
        concurrency: concurrency(get('concurrency') || '4'),
        summary: bool('summary', get('summary') || 'true'),
        checks: {
            schema: bool('check-schema', get('check-schema') || 'true'),
            schemaRemoteRefs: oneOf('schema-remote-refs', get('schema-remote-refs') || 'error', ['error', 'allow']),
            artifactHubMetadata: artifactHubMetadata(get('artifacthub-metadata')),
        },
        timeoutMinutes: timeoutMinutes(get('timeout') || '30'),
        overrides: versionOverrides(get('version'), get('app-version')),
        strictVersions: bool('strict-versions', get('strict-versions') || 'false'),
        exclude: list(get('exclude')),
        sigstore: readSigstoreInputs(read, logger),
        migration: readMigrationInputs(get),
    };
}
/** `dry-run: auto` is true for events that propose a change rather than land it. */
function resolveDryRun(dryRun, eventName) {
    if (dryRun !== 'auto')
        return dryRun;
    return ['pull_request', 'pull_request_target', 'merge_group'].includes(eventName);
}
function oneOf(input, value, allowed) {
    const lower = value.toLowerCase();
    const found = allowed.find((a) => a === lower);
    if (!found)
        throw new shared_errors/* InputError */.dz(input, `"${value}" is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return found;
}
function dryRunInput(value) {
    return value.toLowerCase() === 'auto' ? 'auto' : bool('dry-run', value);
}
function concurrency(value) {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 1 && n <= 64)) {
        throw new shared_errors/* InputError */.dz('concurrency', `"${value}" is not a whole number from 1 to 64`);
    }
    return n;
}
/** Minutes, whole or decimal, up to GitHub's 6-hour job limit (a longer run is cancelled by the runner anyway). */
function timeoutMinutes(value) {
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!(n > 0 && n <= 360)) {
        throw new shared_errors/* InputError */.dz('timeout', `"${value}" is not a number of minutes greater than 0 and at most 360 (e.g. 30)`);
    }
    return n;
}
const ANNOTATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** Helm never lets these be overridden (../shared/spec/helm-oci.md \u00a73.4). */
const PROTECTED_ANNOTATIONS = new Set(['org.opencontainers.image.title', 'org.opencontainers.image.version']);
function annotations(value) {
    const out = new Map();
    value.split('\n').forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const eq = line.indexOf('=');
        const key = eq > 0 ? line.slice(0, eq).trim() : '';
        if (!ANNOTATION_KEY.test(key)) {
            throw new shared_errors/* InputError */.dz('annotations', `line ${index + 1} "${line}" is not key=value with a key like org.example.team`);
        }
        if (PROTECTED_ANNOTATIONS.has(key)) {
            throw new shared_errors/* InputError */.dz('annotations', `line ${index + 1}: ${key} cannot be set; Helm always writes the chart's ${key.endsWith('title') ? 'name' : 'version'} there`);
        }
        out.set(key, line.slice(eq + 1).trim());
    });
    return out;
}
function dependencyCredentials(value, logger) {
    const out = [];
    value.split('\n').forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const match = /^(\S+)\s+([^:\s]*):(.+)$/.exec(line);
        const prefix = match?.[1] ?? '';
        if (!match || !/^(https?|oci):\/\/./.test(prefix)) {
            throw new shared_errors/* InputError */.dz('dependency-credentials', `line ${index + 1} is not "<URL prefix> <username>:<password>" (e.g. "https://charts.example.com robot:token")`);
        }
        const password = (match[3] ?? '').trim();
        logger.mask(password);
        out.push({ prefix, username: match[2] ?? '', password });
    });
    return out;
}
/** A path relative to each chart, or "false" to never look for Artifact Hub metadata. */
function artifactHubMetadata(value) {
    if (value === '')
        return 'artifacthub-repo.yml';
    if (['false', 'no', 'off', 'none'].includes(value.toLowerCase()))
        return false;
    if ((0,external_node_path_.isAbsolute)(value)) {
        throw new shared_errors/* InputError */.dz('artifacthub-metadata', `"${value}" is absolute: give a path relative to each chart directory, e.g. artifacthub-repo.yml`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/publish/report.ts
/**
 * What a run did, per chart: the shape of the `charts` output and the job summary.
 */
function failedCount(report) {
    return report.charts.filter((c) => c.status === 'failed').length;
}
/**
 * Why nothing was (or, in a dry-run, would be) pushed, if so. In a dry-run the failures found
 * after the run (a version not bumped in a pull request) count too: with on-invalid: fail, a
 * release of this state would push nothing.
 */
function blockedReason(report) {
    const failed = failedCount(report);
    if (!report.dryRun)
        return report.blocked;
    // Counted now, not when the engine finished: later checks may have failed more charts.
    if (report.onInvalid !== 'skip' && failed > 0) {
        return (`a real run would push nothing: ${failed} of ${report.charts.length} selected chart(s) failed, ` +
            'and nothing is pushed unless every selected chart validates (on-invalid: fail)');
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/action/failure-message.ts


/**
 * The step's final error line: GitHub shows it as an annotation and in the checks list, where a
 * line of 34,000 characters (every reason of a hundred failing charts) helps nobody. It names
 * at most 10 charts, each reason shortened, then "\u2026 and N more"; the full reasons stay in the
 * job summary and the `charts` output.
 */
const MAX_CHARTS = 10;
const MAX_REASON = 120;
/** Kept under 2,000 characters whatever the names and reasons. */
const MAX_FAILURE_MESSAGE = 1_999;
function failureMessage(report, suppressedAnnotations = 0) {
    const failed = report.charts.filter((c) => c.status === 'failed');
    const listed = failed.slice(0, MAX_CHARTS).map((c) => `${c.name || c.path}: ${shorten(c.reason ?? 'failed', MAX_REASON)}`);
    const more = failed.length - listed.length;
    const parts = [
        `${failed.length} of ${report.charts.length} chart(s) failed: ${listed.join('; ')}${more > 0 ? `; \u2026 and ${more} more` : ''}.`,
    ];
    const blocked = blockedReason(report);
    if (blocked)
        parts.push(`${capitalize(blocked)}.`);
    if (more > 0 || suppressedAnnotations > 0) {
        parts.push(`${suppressedAnnotations > 0 ? `${suppressedAnnotations} more error(s) were not annotated. ` : ''}` +
            'Every chart and its full reason is in the job summary and the "charts" output.');
    }
    // Names and reasons are the chart author's or a server's text: sanitized like every log line.
    return shorten(safeLogText(parts.join(' ')), MAX_FAILURE_MESSAGE);
}
function shorten(text, max) {
    const line = text.replaceAll('\n', ' ');
    return line.length <= max ? line : `${line.slice(0, max - 1)}\u2026`;
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/action/outputs.ts




/**
 * The action's outputs (always valid JSON) and its job summary: one row per chart, what would
 * be pushed in a dry-run, a `helm pull` line for every published chart.
 */
function chartsOutput(report) {
    return report.charts.map((c) => ({
        name: c.name,
        version: c.version,
        path: c.path,
        reference: c.reference,
        tag: c.tag,
        ...(c.digest ? { digest: c.digest } : {}),
        ...(c.chartDigest ? { chartDigest: c.chartDigest } : {}),
        ...(c.provenanceDigest ? { provenanceDigest: c.provenanceDigest } : {}),
        ...(c.package ? { package: c.package } : {}),
        status: c.status,
        ...(c.reason ? { reason: (0,secret_redactor/* redactSecrets */.fp)(c.reason) } : {}),
        ...(c.signature ? { signature: c.signature } : {}),
        ...(c.attestation ? { attestation: c.attestation } : {}),
        ...(c.deprecated ? { deprecated: true } : {}),
    }));
}
function writeOutputs(report) {
    setOutput('charts', JSON.stringify(chartsOutput(report)));
    setOutput('published', report.charts
        .filter((c) => c.status === 'published' && c.digest)
        .map((c) => `${c.reference}@${c.digest}`)
        .join('\n'));
    setOutput('matrix', JSON.stringify({ include: report.charts.map((c) => ({ name: c.name, path: c.path, version: c.version })) }));
    setOutput('changed', report.charts.length > 0 ? 'true' : 'false');
}
const STATUS_ICON = {
    published: '\u2705 published',
    unchanged: '\u23f8\ufe0f unchanged',
    'dry-run': '\ud83e\uddea dry-run',
    skipped: '\u23ed\ufe0f skipped',
    failed: '\u274c failed',
};
function summaryMarkdown(report, options = {}) {
    const lines = [];
    lines.push(`## Helm charts \u2192 ${report.registry}`, '');
    lines.push(countsLine(report), '');
    if (report.selection)
        lines.push(`Selection: ${outputs_escape(report.selection)}`, '');
    const deprecated = report.charts.filter((c) => c.deprecated).length;
    if (deprecated > 0)
        lines.push(`${deprecated} of these version(s) are deprecated in the chart repository (\`deprecated: true\`).`, '');
    if (report.signing)
        lines.push(`Signed with the ${outputs_escape(report.signing)}; each chart's .prov is pushed as its provenance layer.`, '');
    if (report.charts.length > 0) {
        lines.push('| Chart | Version | Reference | Status | Digest | Size | Reason |', '|---|---|---|---|---|---|---|');
        for (const c of report.charts) {
            lines.push(`| ${outputs_escape(c.name || c.path)} | ${outputs_escape(c.version)} | ${c.reference ? `\`${safeMarkdownCode(c.reference)}\`` : ''} | ${STATUS_ICON[c.status]} | ` +
                `${c.digest ? `\`${c.digest.slice(0, 19)}\u2026\`` : ''} | ${c.size !== undefined ? formatSize(c.size) : ''} | ${outputs_escape(c.reason ?? '')} |`);
        }
        lines.push('');
    }
    const checked = report.charts.filter((c) => c.checks && c.checks.length > 0);
    if (checked.length > 0) {
        lines.push('### Checks', '');
        for (const c of checked) {
            lines.push(`**${outputs_escape(c.name || c.path)}**`, '', ...(c.checks ?? []).map((note) => `- ${outputs_escape(note)}`), '');
        }
    }
    const pullable = report.charts.filter((c) => c.status === 'published' || c.status === 'unchanged');
    if (pullable.length > 0) {
        lines.push('```sh');
        for (const c of pullable) {
            const repository = c.reference.slice(0, c.reference.lastIndexOf(':'));
            lines.push(`helm pull oci://${repository} --version ${c.version}${c.provenanceDigest ? ' --prov' : ''}${options.plainHttp ? ' --plain-http' : ''}`);
        }
        lines.push('```', '');
    }
    if (report.verification)
        lines.push(report.verification);
    if (report.deleted.length > 0) {
        lines.push(`Deleted by this change (not published): ${report.deleted.map((d) => `\`${safeMarkdownCode(d)}\``).join(', ')}`, '');
    }
    return lines.join('\n');
}
/** When the run stops before any chart is looked at (e.g. an input error). */
async function writeFailureSummary(message) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await appendSummary(`## Helm charts\n\n\u274c ${outputs_escape(message)}\n`);
}
async function writeSummary(report, options = {}) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await appendSummary(summaryMarkdown(report, options));
}
/**
 * The first line: how many charts were published, unchanged, would be published, failed; and,
 * when charts that passed were held back, that nothing was (or would be) pushed and why.
 */
function countsLine(report) {
    if (report.charts.length === 0)
        return 'No chart was selected.';
    const counts = new Map();
    const add = (label) => counts.set(label, (counts.get(label) ?? 0) + 1);
    for (const c of report.charts)
        add(countLabel(c, report));
    const always = report.dryRun ? ['failed'] : ['published', 'failed'];
    const order = report.dryRun
        ? ['would be published', 'would be published (registry not checked)', 'would be unchanged', 'would be skipped', 'failed']
        : ['published', 'unchanged', 'skipped', 'not pushed', 'failed'];
    const parts = order.filter((label) => always.includes(label) || counts.has(label)).map((label) => `${counts.get(label) ?? 0} ${label}`);
    const why = blockedReason(report);
    const blocked = why ? ` **${why.charAt(0).toUpperCase()}${why.slice(1)}.**` : '';
    return `${report.dryRun ? '**Dry run**: nothing was pushed. ' : ''}${parts.join(', ')}.${blocked}`;
}
function countLabel(c, report) {
    if (c.status === 'failed')
        return 'failed';
    if (report.dryRun) {
        if (c.status === 'skipped' || c.wouldBe === 'skipped')
            return 'would be skipped';
        if (c.wouldBe === 'unchanged')
            return 'would be unchanged';
        return c.wouldBe === 'published' ? 'would be published' : 'would be published (registry not checked)';
    }
    if (c.status === 'skipped' && report.blocked)
        return 'not pushed';
    return c.status === 'dry-run' ? 'skipped' : c.status;
}
/** Chart names, reasons and paths come from the chart's author or a server: see log-sanitizer.ts. */
function outputs_escape(text) {
    return safeMarkdown(text);
}
function formatSize(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(98995);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./src/action/source-mapped-stack.ts




// A frame's location: `at fn (file:///\u2026/dist/20.index.js:12:5)`, `at async file:///\u2026/index.js:3:1`.
const FRAME = /^(\s*at (?:async )?(?:.+? \()?)((?:file:\/\/|\/)[^()]+?):(\d+):(\d+)(\)?)$/;
const maps = new Map();
/**
 * An unexpected error's stack with every bundle frame pointing at the TypeScript source, read
 * from the `.map` file beside the bundle file, and only then: Node's own source-map support
 * (`--enable-source-maps`, `process.setSourceMapsEnabled`) indexes every file the moment it
 * loads, which costs each run a twentieth of its start for a stack that is rarely printed.
 * Frames without a map (Node's own, a test's) are left as they are.
 */
function sourceMappedStack(error) {
    if (!(error instanceof Error))
        return String(error);
    const stack = error.stack ?? error.message;
    return stack
        .split('\n')
        .map((line) => {
        const frame = FRAME.exec(line);
        if (!frame)
            return line;
        const [, before, location, lineText, columnText, after] = frame;
        const file = location.startsWith('file://') ? (0,external_node_url_.fileURLToPath)(location) : location;
        const source = mapOf(file);
        if (!source)
            return line;
        const origin = source.map.findOrigin(Number(lineText), Number(columnText));
        if (!('fileName' in origin))
            return line;
        return `${before}${(0,external_node_path_.resolve)(source.dir, origin.fileName)}:${origin.lineNumber}:${origin.columnNumber}${after}`;
    })
        .join('\n');
}
function mapOf(file) {
    if (maps.has(file))
        return maps.get(file);
    let found;
    try {
        const path = `${file}.map`;
        if ((0,external_node_fs_.existsSync)(path)) {
            const payload = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
            found = { map: new external_node_module_.SourceMap(payload), dir: (0,external_node_path_.resolve)((0,external_node_path_.dirname)(path), payload.sourceRoot || '') };
        }
    }
    catch {
        // An unreadable map leaves the frame as the bundle names it.
    }
    maps.set(file, found);
    return found;
}

;// CONCATENATED MODULE: ./src/action/run-ending.ts





const EMPTY_REPORT = { dryRun: false, registry: '', charts: [], deleted: [] };
// After a crash, the time the summary gets to be written before the process exits.
const CRASH_EXIT_MS = 2_000;
function createRunEnding(options) {
    let outputsWritten = false;
    let failed = false;
    let finished = false;
    const ending = {
        outputs(report) {
            writeOutputs(report);
            outputsWritten = true;
        },
        async fail(text) {
            // The message can quote anything: a server's words, a command line, Node's own error text.
            const message = (0,secret_redactor/* redactSecrets */.fp)(text);
            if (!outputsWritten)
                ending.outputs(EMPTY_REPORT);
            if (failed) {
                // A second failure (a crash after the run failed): said, but the first message stands.
                error(message);
                return;
            }
            failed = true;
            setFailed(message);
            if (options.summary())
                await writeFailureSummary(message).catch(() => undefined);
        },
        finished() {
            finished = true;
        },
        guardProcess() {
            const crash = (kind) => (error) => {
                debug((0,secret_redactor/* redactSecrets */.fp)(`${kind}: ${sourceMappedStack(error)}`));
                const exit = setTimeout(() => process.exit(1), CRASH_EXIT_MS);
                exit.unref();
                void ending.fail(`Unexpected error (please report it): ${kind}: ${(0,shared_errors/* describeError */.Uc)(error)}`).finally(() => process.exit(1));
            };
            const onException = crash('uncaught exception');
            const onRejection = crash('unhandled rejection');
            // The event loop emptied while the run still waited: whatever it awaited can never settle.
            const onBeforeExit = () => {
                if (finished || failed)
                    return;
                void ending.fail('Unexpected error (please report it): the run stopped waiting for an operation that can never complete');
            };
            process.on('uncaughtException', onException);
            process.on('unhandledRejection', onRejection);
            process.on('beforeExit', onBeforeExit);
            return () => {
                process.off('uncaughtException', onException);
                process.off('unhandledRejection', onRejection);
                process.off('beforeExit', onBeforeExit);
            };
        },
    };
    return ending;
}
/**
 * The message at the deadline: the limit, the charts not finished and what was in flight when
 * it fired (requests, commands), so that the user sees which registry, remote or helper stalled.
 */
function describeDeadline(deadline, report) {
    const reason = deadline.signal.reason;
    const parts = [`The run was stopped: ${reason instanceof Error ? reason.message : 'its time limit was reached'}`];
    if (report) {
        const unfinished = report.charts.filter((c) => c.status === 'failed').map((c) => c.name || c.path);
        if (unfinished.length > 0) {
            const shown = unfinished.slice(0, 10).join(', ') + (unfinished.length > 10 ? `, and ${unfinished.length - 10} more` : '');
            parts.push(`${unfinished.length} of ${report.charts.length} chart(s) not finished (${shown})`);
        }
    }
    const inFlight = deadline.inFlightAtExpiry;
    if (inFlight.length > 0) {
        const shown = inFlight.slice(0, 5).join('; ') + (inFlight.length > 5 ? `; and ${inFlight.length - 5} more` : '');
        parts.push(`Still in flight: ${shown}`);
    }
    parts.push('Nothing more was pushed; raise the "timeout" input if the run needs longer');
    return parts.join('. ');
}

;// CONCATENATED MODULE: ./src/dependencies/lazy-dependency-builder.ts
/**
 * The dependency builder, loaded for the first chart that has dependencies to build or a lock to
 * check its vendored subcharts against: a run of charts without either never compiles the
 * resolvers, the chart-repository client or the archive cache.
 */
function lazyDependencyBuilder(options) {
    let builder;
    const load = () => (builder ??= __webpack_require__.e(/* import() */ 451).then(__webpack_require__.bind(__webpack_require__, 39451)).then((m) => m.createDependencyBuilder(options)));
    return {
        build: async (chart, path) => (await load()).build(chart, path),
        // Without a lock there is nothing to hold the vendored subcharts against.
        checkVendored: async (chart, path) => {
            if (chart.lock)
                await (await load()).checkVendored(chart, path);
        },
    };
}

// EXTERNAL MODULE: ./src/discovery/exclude-rules.ts
var exclude_rules = __webpack_require__(35366);
// EXTERNAL MODULE: ./src/discovery/repo-paths.ts
var repo_paths = __webpack_require__(15657);
;// CONCATENATED MODULE: ./src/discovery/explicit-charts.ts




const INPUT = 'charts';
/**
 * The `charts` input: chart folders named explicitly, so discovery is skipped. Each must be a
 * folder with a Chart.yaml inside the workspace (symbolic links resolved, so that a link cannot
 * lead the packager out of the checkout).
 */
async function explicitCharts(workspace, entries) {
    const root = await (0,promises_.realpath)(workspace);
    const dirs = new Set();
    for (const entry of entries) {
        const raw = entry.trim();
        if (raw === '')
            continue;
        dirs.add(await chartDir(root, raw));
    }
    if (dirs.size === 0)
        throw new shared_errors/* InputError */.dz(INPUT, 'names no chart folder');
    const sorted = [...dirs].sort(repo_paths/* comparePaths */.cD);
    return {
        charts: sorted.map((dir) => ({ dir, reasons: [{ kind: 'explicit' }] })),
        deleted: [],
        roots: sorted,
        base: undefined,
        explanation: `the charts named in the "${INPUT}" input`,
    };
}
async function chartDir(root, raw) {
    const path = (0,external_node_path_.resolve)(root, raw);
    let real;
    try {
        real = await (0,promises_.realpath)(path);
    }
    catch {
        throw new shared_errors/* InputError */.dz(INPUT, `"${raw}" does not exist (looked for ${path}); give chart folders relative to the repository, e.g. charts/my-chart`);
    }
    const rel = (0,external_node_path_.relative)(root, real);
    if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel)) {
        throw new shared_errors/* InputError */.dz(INPUT, `"${raw}" is outside the workspace ${root}`);
    }
    if (!(await (0,promises_.stat)(real)).isDirectory()) {
        throw new shared_errors/* InputError */.dz(INPUT, `"${raw}" is a file; give the chart's folder (the one that holds Chart.yaml)`);
    }
    const chartYaml = await (0,promises_.stat)((0,external_node_path_.join)(real, 'Chart.yaml')).catch(() => undefined);
    if (!chartYaml?.isFile()) {
        throw new shared_errors/* InputError */.dz(INPUT, `"${raw}" is not a chart folder: it has no Chart.yaml`);
    }
    return rel === '' ? repo_paths/* ROOT */.Dl : rel.split('\\').join('/');
}

// EXTERNAL MODULE: ./src/oci/credentials.ts
var oci_credentials = __webpack_require__(22559);
// EXTERNAL MODULE: ./src/oci/registry-client.ts + 3 modules
var registry_client = __webpack_require__(863);
;// CONCATENATED MODULE: ./src/publish/artifacts-file.ts


/**
 * `$GITHUB_ARTIFACTS`: where a 2026 runner collects the artifacts a job produced, one
 * `oci://<repository>@<digest>` line each, so that a bare `actions/attest` step attests them
 * all. Every published or unchanged chart is listed; nothing is written when the runner does
 * not provide the file.
 */
async function appendArtifacts(path, report, logger) {
    if (!path)
        return;
    const lines = report.charts
        .filter((c) => (c.status === 'published' || c.status === 'unchanged') && c.digest)
        .map((c) => `oci://${c.reference.slice(0, c.reference.lastIndexOf(':'))}@${c.digest ?? ''}\n`);
    if (lines.length === 0)
        return;
    try {
        await (0,promises_.appendFile)(path, lines.join(''), 'utf8');
    }
    catch (error) {
        throw new shared_errors/* DomainError */.Jk(`cannot append to GITHUB_ARTIFACTS (${path}): ${(0,shared_errors/* describeError */.Uc)(error)}`, { cause: error });
    }
    logger.debug(`listed ${lines.length} chart(s) in GITHUB_ARTIFACTS`);
}

// EXTERNAL MODULE: ./src/chart/go/yaml-decode.ts
var yaml_decode = __webpack_require__(83167);
// EXTERNAL MODULE: ./src/oci/digest.ts
var digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
;// CONCATENATED MODULE: ./src/publish/artifacthub-metadata.ts






/**
 * Artifact Hub repository metadata for a chart in an OCI registry (artifacthub/hub
 * docs/helm_charts_repositories.md, internal/repo/manager.go GetMetadata): every chart
 * repository is its own Artifact Hub repository, and Artifact Hub reads its `artifacthub-repo.yml`
 * (repository ID for the verified-publisher badge, owners for ownership claims, ignore list) from
 * the first layer of type `application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml`
 * of the manifest tagged `artifacthub.io` in that chart's repository. The artifact pushed here is
 * the one `oras push <repo>:artifacthub.io --config /dev/null:<config type> artifacthub-repo.yml:<layer type>`
 * makes, minus its creation-time annotation, so that the same file always gives the same digest.
 */
const ARTIFACTHUB_TAG = 'artifacthub.io';
const ARTIFACTHUB_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.artifacthub.config.v1+yaml';
const ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE = 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml';
/** The default file name, relative to each chart (the name Artifact Hub's documentation uses). */
const DEFAULT_METADATA_FILE = 'artifacthub-repo.yml';
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const KNOWN_KEYS = ['repositoryID', 'owners', 'ignore'];
/**
 * Reads and validates the metadata file of the chart in `chartDir` (workspace-relative, `/`).
 * `relative` is the input's path, relative to the chart. Undefined when there is no such file.
 * Throws ChartError, with the file and line, for metadata Artifact Hub would refuse or misread.
 */
async function readRepositoryMetadata(workspace, chartDir, relative) {
    const path = external_node_path_.posix.normalize(external_node_path_.posix.join(chartDir, relative));
    let bytes;
    try {
        // Whatever is in this file is pushed to the registry: like a chart file, it may not come
        // from outside the repository (a symbolic link to a runner file, a "../" path).
        const real = await (0,promises_.realpath)((0,external_node_path_.join)(workspace, path));
        const root = await (0,promises_.realpath)(workspace);
        if (real !== root && !real.startsWith(root + external_node_path_.sep)) {
            throw new shared_errors/* ChartError */.DA(`leads outside the workspace (${real}): the Artifact Hub metadata must be a file of the repository`, {
                file: path,
            });
        }
        bytes = await (0,promises_.readFile)(real);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        if (error instanceof shared_errors/* ChartError */.DA)
            throw error;
        throw new shared_errors/* ChartError */.DA(`cannot read ${path}: ${error.message}`, { file: path }, { cause: error });
    }
    const inside = external_node_path_.posix.relative(chartDir, path);
    return parseRepositoryMetadata(bytes, path, inside.startsWith('..') ? undefined : inside);
}
function parseRepositoryMetadata(bytes, file, inChart) {
    const fail = (message, line) => {
        throw new shared_errors/* ChartError */.DA(message, { file, line });
    };
    let root;
    try {
        root = (0,yaml_decode/* decodeYaml */.SE)(bytes.toString('utf8'));
    }
    catch (error) {
        if (error instanceof yaml_decode/* YamlSyntaxError */.nN)
            fail(`not valid YAML: ${error.message}`, error.line);
        throw error;
    }
    if (root?.kind !== 'map') {
        return fail('expected a YAML map with repositoryID and owners (see https://artifacthub.io/docs/topics/repositories/)', root?.pos.line);
    }
    const metadata = {
        file,
        inChart,
        bytes,
        repositoryID: undefined,
        owners: [],
        repositoryIdLine: undefined,
        warnings: [],
    };
    for (const { key, value } of root.entries) {
        const name = key.kind === 'string' ? key.value : '';
        if (!KNOWN_KEYS.includes(name)) {
            const near = KNOWN_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
            metadata.warnings.push({
                line: key.pos.line,
                message: `${file}: Artifact Hub ignores "${name}"${near ? `: did you mean ${near}?` : ` (it reads ${KNOWN_KEYS.join(', ')})`}`,
            });
            continue;
        }
        if (name === 'repositoryID') {
            if (value.kind === 'null')
                continue;
            if (value.kind !== 'string' || !UUID.test(value.value)) {
                fail(`repositoryID must be the UUID Artifact Hub shows for the repository (e.g. 8e4b0c5f-1a2b-4c3d-9e8f-0a1b2c3d4e5f), found ${value.kind === 'string' ? `"${value.value}"` : `a ${value.kind}`}`, value.pos.line);
            }
            else {
                metadata.repositoryID = value.value.toLowerCase();
                metadata.repositoryIdLine = key.pos.line;
            }
        }
        else if (name === 'owners') {
            if (value.kind === 'null')
                continue;
            if (value.kind !== 'seq')
                fail('owners must be a list of {name, email}', value.pos.line);
            else {
                for (const owner of value.items) {
                    const fields = owner.kind === 'map' ? stringFields(owner) : undefined;
                    if (!fields)
                        fail('each owner must be a map with name and email', owner.pos.line);
                    const email = fields?.get('email') ?? '';
                    const ownerName = fields?.get('name') ?? '';
                    if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
                        fail(`an owner needs an email (the one of the owner's Artifact Hub account), found ${email ? `"${email}"` : 'none'}`, owner.pos.line);
                    }
                    if (ownerName === '')
                        fail('an owner needs a name', owner.pos.line);
                    metadata.owners.push({ name: ownerName, email });
                }
            }
        }
        else if (name === 'ignore') {
            if (value.kind === 'null')
                continue;
            if (value.kind !== 'seq')
                fail('ignore must be a list of {name, version}', value.pos.line);
            else {
                for (const entry of value.items) {
                    const fields = entry.kind === 'map' ? stringFields(entry) : undefined;
                    if (!fields?.get('name'))
                        fail('each ignore entry needs the name of a package (and optionally a version regular expression)', entry.pos.line);
                }
            }
        }
    }
    return metadata;
}
function stringFields(node) {
    const out = new Map();
    for (const { key, value } of node.entries) {
        if (key.kind !== 'string')
            continue;
        if (value.kind === 'string')
            out.set(key.value, value.value);
        else if (value.kind === 'int' || value.kind === 'float' || value.kind === 'bool')
            out.set(key.value, String(value.value));
    }
    return out;
}
/** The image manifest `oras push` makes for the file (an empty config, one titled layer). */
function repositoryMetadataArtifact(metadata) {
    const empty = new Uint8Array(0);
    const config = { mediaType: ARTIFACTHUB_CONFIG_MEDIA_TYPE, digest: (0,digest/* sha256Digest */.sI)(empty), size: 0, bytes: empty };
    const layerBytes = new Uint8Array(metadata.bytes);
    const layer = {
        mediaType: ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE,
        digest: (0,digest/* sha256Digest */.sI)(layerBytes),
        size: layerBytes.byteLength,
        bytes: layerBytes,
    };
    const manifest = {
        schemaVersion: 2,
        mediaType: media_types/* OCI_MANIFEST_MEDIA_TYPE */.k_,
        config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
        layers: [
            {
                mediaType: layer.mediaType,
                digest: layer.digest,
                size: layer.size,
                // oras names the file in the title; `oras pull` writes it back under that name.
                annotations: { 'org.opencontainers.image.title': DEFAULT_METADATA_FILE },
            },
        ],
    };
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    return { config, layer, manifest: { digest: (0,digest/* sha256Digest */.sI)(bytes), bytes } };
}
/**
 * Looks the `artifacthub.io` tag up, reading only. Returns undefined when it already holds the
 * metadata (the same manifest, or one, e.g. pushed with oras, whose metadata layer has the same
 * bytes), else the upload to make.
 */
async function lookupRepositoryMetadata(repository, metadata, logger) {
    const artifact = repositoryMetadataArtifact(metadata);
    const existing = await repository.headManifest(ARTIFACTHUB_TAG);
    if (existing?.digest === artifact.manifest.digest)
        return { digest: existing.digest };
    if (existing) {
        const theirs = await repository.getManifest(existing.digest);
        if (metadataLayerDigest(theirs.bytes) === artifact.layer.digest) {
            logger.debug(`${repository.displayName}:${ARTIFACTHUB_TAG} already holds ${metadata.file} (${existing.digest})`);
            return { digest: existing.digest };
        }
    }
    return {
        digest: artifact.manifest.digest,
        upload: async () => {
            for (const blob of [artifact.config, artifact.layer]) {
                if (await repository.blobExists(blob.digest))
                    continue;
                await repository.pushBlob(blob, blob.bytes);
            }
            await repository.putManifest(ARTIFACTHUB_TAG, media_types/* OCI_MANIFEST_MEDIA_TYPE */.k_, artifact.manifest.bytes);
        },
    };
}
/** The first metadata layer's digest, as Artifact Hub's PullLayer picks it. */
function metadataLayerDigest(manifest) {
    try {
        const parsed = JSON.parse(new TextDecoder().decode(manifest));
        return parsed.layers?.find((l) => l.mediaType === ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE)?.digest;
    }
    catch {
        return undefined;
    }
}
/**
 * Artifact Hub needs one repository per chart repository: a repository ID used by two charts of
 * the run would hand one Artifact Hub repository two OCI repositories. Returns an error for each
 * chart involved.
 */
function sharedRepositoryIds(charts) {
    const byId = new Map();
    for (const chart of charts) {
        const id = chart.metadata?.repositoryID;
        if (id)
            byId.set(id, [...(byId.get(id) ?? []), chart]);
    }
    const errors = new Map();
    for (const [id, group] of byId) {
        if (group.length < 2)
            continue;
        for (const chart of group) {
            const others = group
                .filter((c) => c !== chart)
                .map((c) => c.metadata?.file)
                .join(', ');
            errors.set(chart.key, new shared_errors/* ChartError */.DA(`repositoryID ${id} is also used by ${others}: each chart is its own Artifact Hub repository and needs its own ID (add one repository per chart in Artifact Hub)`, { file: chart.metadata?.file ?? chart.path, line: chart.metadata?.repositoryIdLine }));
        }
    }
    return errors;
}
/**
 * Wraps a run's look-up step (the plan against the registry, before anything is written): the
 * `artifacthub.io` tag is looked up along with the chart, and its upload, when one is needed,
 * joins the chart's push (or becomes the push of a chart found unchanged or left as it is).
 */
function withRepositoryMetadataLookup(lookup, client, logger) {
    if (!lookup)
        return lookup;
    return async (chart) => {
        const found = await lookup(chart);
        const metadata = chart.artifactHub;
        if (!metadata || ('result' in found && found.result.status === 'failed'))
            return found;
        const target = `${chart.reference.registry}/${chart.reference.repository}:${ARTIFACTHUB_TAG}`;
        const repository = client.repository(chart.reference.registry, chart.reference.repository, { push: true });
        const planned = await lookupRepositoryMetadata(repository, metadata, logger);
        const note = (status) => {
            const line = `${metadata.file} \u2192 ${target}: ${status} (${planned.digest})`;
            logger.info(line);
            chart.checks?.push(line);
        };
        const upload = planned.upload;
        if (!upload) {
            note('unchanged');
            return found;
        }
        const afterChart = async (result) => {
            if (result.status === 'failed')
                return result;
            try {
                await upload();
            }
            catch (error) {
                if (!(error instanceof shared_errors/* DomainError */.Jk))
                    throw error;
                return {
                    ...result,
                    status: 'failed',
                    reason: `the chart is ${result.status}, but its Artifact Hub metadata could not be pushed to ${target}: ${(0,shared_errors/* describeError */.Uc)(error)}`,
                };
            }
            note('pushed');
            return result;
        };
        if ('result' in found)
            return { push: () => afterChart(found.result) };
        return { push: async () => afterChart(await found.push()) };
    };
}

;// CONCATENATED MODULE: ./src/publish/publish-order.ts

/**
 * The order in which the charts of one run are pushed: waves, each pushed after the previous
 * one, so that a chart is published after the charts of this run it contains: those built from
 * their directory (`file://`, or an oci:// dependency on the target that this run provides) and
 * those downloaded from the target registry in exactly the version this run publishes. Charts
 * in one wave do not depend on one another; input order is kept within a wave. A cycle is an
 * error naming it.
 */
function publishOrder(prepared) {
    const needs = new Map();
    for (const chart of prepared) {
        const found = new Set();
        visit(chart.chart.dependencies, (sub) => {
            const provider = prepared.find((other) => other !== chart && provides(other, sub));
            if (provider)
                found.add(provider);
        });
        needs.set(chart, found);
    }
    const waves = [];
    let remaining = [...prepared];
    while (remaining.length > 0) {
        const pending = new Set(remaining);
        const wave = remaining.filter((chart) => ![...(needs.get(chart) ?? [])].some((dep) => pending.has(dep)));
        if (wave.length === 0)
            throw cycleError(remaining, needs);
        waves.push(wave);
        remaining = remaining.filter((chart) => !wave.includes(chart));
    }
    return waves;
}
/** True when `sub` is `chart` as this run publishes it. */
function provides(chart, sub) {
    if (sub.location === chart.path)
        return true;
    // Downloaded subcharts are located by the reference they came from.
    const { registry, repository, tag } = chart.reference;
    return sub.location === `oci://${registry}/${repository}:${tag}`;
}
function visit(charts, fn) {
    for (const chart of charts) {
        fn(chart);
        visit(chart.dependencies, fn);
    }
}
function cycleError(remaining, needs) {
    // Every remaining chart waits for another remaining one: walk until a chart repeats.
    const pending = new Set(remaining);
    const path = [];
    let current = remaining[0];
    while (!path.includes(current)) {
        path.push(current);
        current = [...(needs.get(current) ?? [])].find((dep) => pending.has(dep));
    }
    const cycle = [...path.slice(path.indexOf(current)), current];
    const first = cycle[0];
    return new shared_errors/* ChartError */.DA(`dependency cycle among the charts of this run: ${cycle.map((c) => `${c.chart.metadata.name} (${c.path})`).join(' \u2192 ')}; ` +
        'charts that contain each other cannot be published: remove one of the dependencies', { file: first.chart.source.file, line: first.chart.source.keyLines.get('dependencies') });
}

// EXTERNAL MODULE: ./src/publish/push-chart.ts
var push_chart = __webpack_require__(7370);
// EXTERNAL MODULE: ./src/chart/chart-loader.ts
var chart_loader = __webpack_require__(96858);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: ./src/shared/file-system-error.ts
var file_system_error = __webpack_require__(44806);
// EXTERNAL MODULE: ./src/chart/go/raw-name.ts
var raw_name = __webpack_require__(68657);
;// CONCATENATED MODULE: ./src/chart/go/tar-writer.ts
/**
 * Tar headers byte-identical to those Go's archive/tar writes for Helm (Name, Mode 0644, Size,
 * ModTime; everything else zero): ../shared/spec/helm-oci.md \u00a71.11. USTAR when the name fits
 * (directly, or split into prefix and name), otherwise a PAX `x` record carrying the path
 * followed by the main header. Regular files only; no directory entries.
 */

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
const MODE = 0o644;
/** The header block(s) for one regular file: USTAR, or PAX extended header + header. */
function fileHeader(name, size, mtime) {
    // Raw bytes for a name that is not valid UTF-8 (raw-name.ts), as Go writes the string.
    const nameBytes = (0,raw_name/* encodeRawName */.G6)(name);
    const ascii = isAscii(name);
    if (ascii && nameBytes.length <= NAME_SIZE)
        return ustarHeader(nameBytes, Buffer.alloc(0), size, mtime);
    if (ascii) {
        const split = splitUstarPath(name);
        if (split)
            return ustarHeader(Buffer.from(split.suffix), Buffer.from(split.prefix), size, mtime);
    }
    return Buffer.concat([paxHeader(name), paxMainHeader(name, size, mtime)]);
}
/** Zero padding after size bytes of data, up to the next block boundary. */
function padding(size) {
    const rest = size % BLOCK;
    return rest === 0 ? EMPTY : Buffer.alloc(BLOCK - rest);
}
/** Go writes exactly two zero blocks at the end and no padding to a 10 KiB record. */
function trailer() {
    return Buffer.alloc(2 * BLOCK);
}
const EMPTY = Buffer.alloc(0);
function ustarHeader(name, prefix, size, mtime) {
    const block = templateBlock(name, size, mtime);
    prefix.copy(block, 345, 0, Math.min(prefix.length, PREFIX_SIZE));
    return finish(block);
}
/** The main header after a PAX record: the name ASCII-filtered, left empty if still too long. */
function paxMainHeader(name, size, mtime) {
    const ascii = Buffer.from(toAscii(name), 'latin1');
    // Go's formatString writes nothing into a field the value does not fit.
    return finish(templateBlock(ascii.length <= NAME_SIZE ? ascii : EMPTY, size, mtime));
}
/** The `x` header and its data: one `path` record, named <dir>/PaxHeaders.0/<base>. */
function paxHeader(name) {
    const record = paxRecord('path', name);
    const slash = name.lastIndexOf('/');
    const dir = slash >= 0 ? name.slice(0, slash) : '';
    const base = slash >= 0 ? name.slice(slash + 1) : name;
    let headerName = toAscii(dir === '' ? `PaxHeaders.0/${base}` : `${dir}/PaxHeaders.0/${base}`);
    if (headerName.length > NAME_SIZE)
        headerName = headerName.slice(0, NAME_SIZE);
    headerName = headerName.replace(/\/+$/, '');
    const block = Buffer.alloc(BLOCK);
    block.write(headerName, 0, 'latin1');
    octal(block, 100, 8, 0); // mode
    octal(block, 108, 8, 0); // uid
    octal(block, 116, 8, 0); // gid
    octal(block, 124, 12, record.length);
    octal(block, 136, 12, 0); // mtime
    block[156] = 0x78; // 'x'
    // uname, gname, devmajor, devminor stay NUL in Go's writeRawFile.
    return Buffer.concat([finish(block), record, padding(record.length)]);
}
/** "<len> key=value\n", where len counts the whole record including its own digits. */
function paxRecord(key, value) {
    const valueBytes = (0,raw_name/* encodeRawName */.G6)(value);
    const body = Buffer.byteLength(key) + valueBytes.length + 3;
    let size = body + String(body).length;
    if (String(size).length + body !== size)
        size = body + String(size).length;
    return Buffer.concat([Buffer.from(`${size} ${key}=`, 'utf8'), valueBytes, Buffer.from('\n')]);
}
function templateBlock(name, size, mtime) {
    const block = Buffer.alloc(BLOCK);
    name.copy(block, 0, 0, Math.min(name.length, NAME_SIZE));
    octal(block, 100, 8, MODE);
    octal(block, 108, 8, 0); // uid
    octal(block, 116, 8, 0); // gid
    octal(block, 124, 12, size);
    octal(block, 136, 12, mtime);
    block[156] = 0x30; // '0': regular file
    // uname and gname empty; devmajor and devminor written as zero.
    octal(block, 329, 8, 0);
    octal(block, 337, 8, 0);
    return block;
}
/** Magic, version and checksum (6 octal digits, NUL, space), as setFormat writes them. */
function finish(block) {
    block.write('ustar\u000000', 257, 'latin1');
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of block)
        sum += byte;
    octal(block, 148, 7, sum);
    block[155] = 0x20;
    return block;
}
/** Zero-padded octal filling the field but its last byte, which is NUL. */
function octal(block, offset, width, value) {
    const digits = value.toString(8).padStart(width - 1, '0');
    block.write(digits, offset, 'latin1');
    block[offset + digits.length] = 0;
}
function isAscii(s) {
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80 || c === 0)
            return false;
    }
    return true;
}
function toAscii(s) {
    let out = '';
    for (const ch of s) {
        const c = ch.codePointAt(0);
        if (c < 0x80 && c !== 0)
            out += ch;
    }
    return out;
}
/** USTAR prefix/name split (Go's splitUSTARPath), for ASCII names longer than the name field. */
function splitUstarPath(name) {
    let length = name.length;
    if (length > PREFIX_SIZE + 1)
        length = PREFIX_SIZE + 1;
    else if (name[length - 1] === '/')
        length--;
    const i = name.slice(0, length).lastIndexOf('/');
    const suffixLength = name.length - i - 1;
    if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE)
        return undefined;
    return { prefix: name.slice(0, i), suffix: name.slice(i + 1) };
}

;// CONCATENATED MODULE: ./src/chart/packager.ts












/**
 * Writes `<name>-<version>.tgz` as `helm package` does (../shared/spec/helm-oci.md \u00a71.7\u20131.12):
 * the same entries in the same order with the same tar headers, Chart.yaml and Chart.lock
 * re-serialised, a gzip header carrying Helm 4.2.4's extra field and the `Helm` comment. Unlike
 * Helm, every entry carries one given timestamp, so the same input gives the same bytes.
 * The archive is streamed: file contents are read just ahead of the compressor, never all at once.
 */
/**
 * gzip header of Helm 4.2.4 (\u00a71.12): FLG = FEXTRA|FCOMMENT, MTIME 0, XFL 0, OS 255, then the
 * extra field as a well-formed RFC 1952 subfield (SI1 'r', SI2 'r', LEN 40) and "Helm\0".
 */
const GZIP_HEADER = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0x00, 0xff, 44, 0, 0x72, 0x72, 40, 0]),
    Buffer.from('aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=', 'latin1'),
    Buffer.from('Helm\0', 'latin1'),
]);
/** Helm compresses at Go's default level, 6; so does `gzip` by default. */
const COMPRESSION_LEVEL = 6;
/** NAME_MAX of Linux, macOS and Windows file systems. */
const MAX_FILE_NAME_BYTES = 255;
/** Files read ahead of the compressor. */
const READ_AHEAD = 8;
/**
 * Tar output is handed to zlib in batches of this size: each write is a round trip to the
 * thread pool, and writing 512-byte headers one by one costs 3-4x the compression itself.
 * zlib's output does not depend on how its input is split.
 */
const BATCH = 1024 * 1024;
/** The archive's entries in Helm's order, subcharts expanded under charts/<name>/. */
function archiveEntries(chart, prefix = '') {
    const base = `${prefix}${chart.metadata.name}`;
    const entries = [
        { name: `${base}/Chart.yaml`, content: { name: 'Chart.yaml', data: Buffer.from((0,chart_metadata/* marshalChartYaml */.iU)(chart.metadata)) } },
    ];
    // Helm writes Chart.lock for apiVersion v2 only; v1 keeps requirements.lock as a plain file.
    if (chart.metadata.apiVersion === 'v2' && chart.lock) {
        entries.push({ name: `${base}/Chart.lock`, content: { name: 'Chart.lock', data: Buffer.from((0,chart_metadata/* marshalLock */.A2)(chart.lock)) } });
    }
    for (const file of [chart.values, chart.schema, ...chart.templates, ...chart.files]) {
        if (file)
            entries.push({ name: `${base}/${file.name}`, content: file });
    }
    // Appended one by one: a spread into push() overflows the stack for very large subcharts.
    for (const dependency of chart.dependencies)
        for (const entry of archiveEntries(dependency, `${base}/charts/`))
            entries.push(entry);
    return entries;
}
async function packageChart(chart, options) {
    const fileName = `${chart.metadata.name}-${chart.metadata.version}.tgz`;
    const path = (0,external_node_path_.join)(options.outputDir, fileName);
    if (Buffer.byteLength(fileName) > MAX_FILE_NAME_BYTES) {
        throw new shared_errors/* DomainError */.Jk(`the package file name ${fileName} is ${Buffer.byteLength(fileName)} bytes long, more than the ${MAX_FILE_NAME_BYTES} a file system allows: shorten the chart name or version`);
    }
    // Short, so that a name near the limit still fits while it is written.
    const temporary = (0,external_node_path_.join)(options.outputDir, `.${process.pid}-${Math.random().toString(36).slice(2, 10)}.partial`);
    try {
        await (0,promises_.mkdir)(options.outputDir, { recursive: true });
    }
    catch (error) {
        throw (0,file_system_error/* fileSystemError */.u)(error, 'create the output-dir', options.outputDir);
    }
    const entries = archiveEntries(chart);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    let crc = 0;
    let length = 0;
    const tarStream = async function* () {
        // Reads run ahead of the compressor. Each settles into a value, never a rejected promise
        // left waiting: a file that fails while an earlier one is still being written would
        // otherwise be an unhandled rejection that ends the process.
        const pending = new Map();
        const fetch = (i) => {
            const entry = entries[i];
            if (entry && !pending.has(i)) {
                pending.set(i, (0,chart_loader/* readChartFile */.PP)(entry.content).then((data) => ({ data }), (error) => ({ error })));
            }
        };
        let batch = [];
        let batched = 0;
        const take = () => {
            const chunk = Buffer.concat(batch, batched);
            batch = [];
            batched = 0;
            crc = (0,external_node_zlib_.crc32)(chunk, crc);
            length += chunk.length;
            return chunk;
        };
        for (let i = 0; i < entries.length; i++) {
            for (let k = i; k < i + READ_AHEAD; k++)
                fetch(k);
            const read = await pending.get(i);
            pending.delete(i);
            if ('error' in read)
                throw read.error;
            const data = read.data;
            const entry = entries[i];
            for (const part of [fileHeader(entry.name, data.length, options.mtime), data, padding(data.length)]) {
                batch.push(part);
                batched += part.length;
            }
            if (batched >= BATCH)
                yield take();
        }
        const end = trailer();
        batch.push(end);
        batched += end.length;
        yield take();
    };
    const gzipFraming = async function* (compressed) {
        const emit = (chunk) => {
            hash.update(chunk);
            size += chunk.length;
            return chunk;
        };
        yield emit(GZIP_HEADER);
        for await (const chunk of compressed)
            yield emit(chunk);
        const footer = Buffer.alloc(8);
        footer.writeUInt32LE(crc >>> 0, 0);
        footer.writeUInt32LE(length % 2 ** 32, 4);
        yield emit(footer);
    };
    try {
        await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.from(tarStream(), { objectMode: false }), (0,external_node_zlib_.createDeflateRaw)({ level: COMPRESSION_LEVEL, strategy: external_node_zlib_.constants.Z_DEFAULT_STRATEGY, chunkSize: 256 * 1024 }), gzipFraming, (0,external_node_fs_.createWriteStream)(temporary));
        await (0,promises_.rename)(temporary, path);
    }
    catch (error) {
        await (0,promises_.rm)(temporary, { force: true }).catch(() => undefined);
        throw (0,file_system_error/* fileSystemError */.u)(error, 'write the package', path);
    }
    return { path, fileName, sha256: hash.digest('hex'), size, entries: entries.length };
}

// EXTERNAL MODULE: ./src/shared/git.ts
var shared_git = __webpack_require__(84025);
;// CONCATENATED MODULE: ./src/chart/source-date.ts




/** Resolves the timestamp of several charts at once, sharing the work of deepening a clone. */
async function resolveSourceDates(chartDirs, options) {
    const result = new Map();
    const fixed = parseSourceDateEpoch(options.sourceDateEpoch);
    if (fixed !== undefined) {
        for (const dir of chartDirs)
            result.set(dir, { epoch: fixed, source: 'SOURCE_DATE_EPOCH' });
        return result;
    }
    const git = new ChartHistory((0,shared_git/* createGit */.lD)(options.git, options.workspace), options.workspace);
    if (!(await git.isRepository())) {
        for (const dir of chartDirs)
            result.set(dir, { epoch: 0, source: 'not a git repository' });
        return result;
    }
    let depth = 1;
    const maxDeepen = options.maxDeepen ?? 8;
    for (let attempt = 0;; attempt++) {
        const boundary = await git.shallowBoundary();
        // Charts whose last commit is the edge of a shallow clone: every file looks added there.
        const unresolved = new Map();
        for (const dir of chartDirs) {
            if (result.has(dir))
                continue;
            const last = await git.lastCommit(dir);
            if (!last)
                result.set(dir, { epoch: 0, source: 'no commit touches the chart yet' });
            else if (boundary.has(last.sha))
                unresolved.set(dir, last);
            else
                result.set(dir, { epoch: last.time, source: `commit ${last.sha.slice(0, 12)}` });
        }
        if (unresolved.size === 0)
            break;
        if (attempt >= maxDeepen || !(await git.deepen(depth))) {
            for (const [dir, last] of unresolved) {
                options.logger.warning(`${dir}: the shallow clone ends at the last commit found for this chart, so its timestamp may differ from a ` +
                    'full clone and the package digest is not reproducible; set SOURCE_DATE_EPOCH or use actions/checkout with fetch-depth: 0');
                result.set(dir, { epoch: last.time, source: `commit ${last.sha.slice(0, 12)} (shallow clone edge)` });
            }
            break;
        }
        options.logger.debug(`Deepened the shallow clone by ${depth} commit(s) to date ${unresolved.size} chart(s)`);
        depth *= 2;
    }
    return result;
}
/** SOURCE_DATE_EPOCH: empty means unset; otherwise decimal non-negative seconds. */
function parseSourceDateEpoch(value) {
    if (value === undefined || value.trim() === '')
        return undefined;
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        throw new shared_errors/* DomainError */.Jk(`invalid SOURCE_DATE_EPOCH "${value}" in the environment: expected Unix seconds, e.g. 1700000000`);
    }
    return Number(trimmed);
}
/** The questions dating asks of git, through the one git layer (non-interactive, time-limited). */
class ChartHistory {
    git;
    cwd;
    constructor(git, cwd) {
        this.git = git;
        this.cwd = cwd;
    }
    async run(args) {
        const r = await this.git.run(args);
        return { ok: r.exitCode === 0, out: r.stdout.trim() };
    }
    async isRepository() {
        if (!(await (0,shared_git/* mayBeInsideWorkTree */.Yo)(this.cwd)))
            return false;
        return (await this.run(['rev-parse', '--is-inside-work-tree'])).out === 'true';
    }
    async lastCommit(dir) {
        const r = await this.run(['log', '-1', '--format=%H %ct', '--', dir === '' ? '.' : dir]);
        const [sha, time] = r.out.split(' ');
        return r.ok && sha && time ? { sha, time: Number(time) } : undefined;
    }
    async shallowBoundary() {
        const path = (await this.run(['rev-parse', '--git-path', 'shallow'])).out;
        try {
            const text = await (0,promises_.readFile)((0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.join)(this.cwd, path), 'utf8');
            return new Set(text.split('\n').filter(Boolean));
        }
        catch {
            return new Set();
        }
    }
    async deepen(by) {
        if ((await this.run(['rev-parse', '--is-shallow-repository'])).out !== 'true')
            return false;
        return (await this.run(['fetch', '--no-tags', '--quiet', `--deepen=${by}`])).ok;
    }
}

// EXTERNAL MODULE: ./src/shared/concurrency.ts
var shared_concurrency = __webpack_require__(60438);
// EXTERNAL MODULE: ./node_modules/spdx-license-ids/index.json
var spdx_license_ids = __webpack_require__(75204);
// EXTERNAL MODULE: ./node_modules/spdx-license-ids/deprecated.json
var deprecated = __webpack_require__(3389);
;// CONCATENATED MODULE: ./src/chart/artifacthub-annotations.ts



const PREFIX = 'artifacthub.io/';
let spdx;
function spdxIds() {
    if (!spdx) {
        const ids = [...spdx_license_ids, ...deprecated];
        spdx = new Map(ids.map((id) => [id.toLowerCase(), id]));
    }
    return spdx;
}
const CHANGE_KINDS = ['added', 'changed', 'deprecated', 'removed', 'fixed', 'security'];
const OPERATOR_CAPABILITIES = ['basic install', 'seamless upgrades', 'full lifecycle', 'deep insights', 'auto pilot'];
const CATEGORIES = [
    'skip-prediction',
    'ai-machine-learning',
    'database',
    'integration-delivery',
    'monitoring-logging',
    'networking',
    'security',
    'storage',
    'streaming-messaging',
];
/** Go's strconv.ParseBool. */
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const LINK = { fields: { name: 'string', url: 'url' } };
const STRUCTS = {
    images: { fields: { name: 'string', image: 'image', whitelisted: 'bool', platforms: 'strings' }, required: ['image'] },
    links: { fields: LINK.fields, required: ['url'] },
    maintainers: { fields: { name: 'string', email: 'string' } },
    recommendations: { fields: { url: 'url' }, required: ['url'] },
    screenshots: { fields: { title: 'string', url: 'url' }, required: ['url'] },
};
const CHECKS = {
    alternativeName: () => { },
    category: (value, at) => {
        if (!CATEGORIES.includes(value))
            at.fail(`"${value}" is not a category Artifact Hub knows: use one of ${CATEGORIES.join(', ')}`);
    },
    changes: (value, at) => checkChanges(value, at),
    containsSecurityUpdates: (value, at) => checkBool(value, at),
    crds: (value, at) => checkList(value, at),
    crdsExamples: (value, at) => checkList(value, at),
    images: (value, at) => checkList(value, at, STRUCTS.images),
    license: (value, at) => checkLicense(value, at),
    links: (value, at) => checkList(value, at, STRUCTS.links),
    maintainers: (value, at) => checkList(value, at, STRUCTS.maintainers),
    operator: (value, at) => checkBool(value, at),
    operatorCapabilities: (value, at) => {
        if (!OPERATOR_CAPABILITIES.includes(value.toLowerCase())) {
            at.fail(`"${value}" is not an operator capability: use one of Basic Install, Seamless Upgrades, Full Lifecycle, Deep Insights, Auto Pilot`);
        }
    },
    prerelease: (value, at) => checkBool(value, at),
    recommendations: (value, at) => checkList(value, at, STRUCTS.recommendations),
    screenshots: (value, at) => checkList(value, at, STRUCTS.screenshots),
    signKey: (value, at) => {
        const node = parse(value, at);
        if (node === undefined || node.kind === 'null')
            return at.fail('a sign key needs at least `url:` (and `fingerprint:`)');
        if (node.kind !== 'map')
            return at.fail(`expected a YAML map with fingerprint and url, found ${describe(node)}`, node.pos);
        checkStruct(node, { fields: { fingerprint: 'string', url: 'url' }, required: ['url'] }, at);
    },
};
/** The annotation names Artifact Hub reads. */
const ARTIFACT_HUB_ANNOTATIONS = Object.keys(CHECKS).map((k) => PREFIX + k);
/**
 * Lints the `artifacthub.io/*` annotations of a Chart.yaml. `chartYaml` is its text (for the
 * lines); `annotations` the values Helm read.
 */
/** True when Chart.yaml has an annotation for Artifact Hub to lint (only then is it read again). */
function hasArtifactHubAnnotations(annotations) {
    return annotations !== null && [...annotations.keys()].some((key) => key.startsWith(PREFIX));
}
function lintArtifactHubAnnotations(chartYaml, annotations) {
    const lint = { checked: 0, problems: [] };
    if (!annotations)
        return lint;
    const lines = annotationLines(chartYaml);
    for (const [key, value] of annotations) {
        if (!key.startsWith(PREFIX))
            continue;
        lint.checked++;
        const where = lines.get(key) ?? { key: 1, block: undefined };
        const check = CHECKS[key.slice(PREFIX.length)];
        if (!check) {
            const near = ARTIFACT_HUB_ANNOTATIONS.find((k) => k.toLowerCase() === key.toLowerCase());
            lint.problems.push({
                key,
                line: where.key,
                unknown: true,
                message: `${key} is not an annotation Artifact Hub reads${near ? `: did you mean ${near}?` : ` (it reads ${ARTIFACT_HUB_ANNOTATIONS.join(', ')})`}`,
            });
            continue;
        }
        const at = {
            fail(message, pos) {
                const line = pos && where.block !== undefined ? where.block + pos.line : where.key;
                lint.problems.push({ key, line, message: `${key}: ${message}` });
            },
        };
        check(value, at);
    }
    lint.problems.sort((a, b) => a.line - b.line);
    return lint;
}
/**
 * The Chart.yaml line of each annotation key, and for block scalars (`|`, `>`) the line before
 * the first line of content (so that line N of the value is that line + N).
 */
function annotationLines(chartYaml) {
    const out = new Map();
    let root;
    try {
        root = (0,yaml_decode/* decodeYaml */.SE)(chartYaml);
    }
    catch {
        return out;
    }
    if (root?.kind !== 'map')
        return out;
    const textLines = chartYaml.split('\n');
    for (const entry of root.entries) {
        if (entry.key.kind !== 'string' || entry.key.value !== 'annotations' || entry.value.kind !== 'map')
            continue;
        for (const { key, value } of entry.value.entries) {
            if (key.kind !== 'string')
                continue;
            const indicator = (textLines[value.pos.line - 1] ?? '').slice(value.pos.column - 1).trimStart()[0];
            out.set(key.value, { key: key.pos.line, block: indicator === '|' || indicator === '>' ? value.pos.line : undefined });
        }
    }
    return out;
}
function parse(value, at) {
    try {
        return (0,yaml_decode/* decodeYaml */.SE)(value);
    }
    catch (error) {
        if (error instanceof yaml_decode/* YamlSyntaxError */.nN) {
            at.fail(`not valid YAML: ${error.message}`, { line: error.line, column: error.column });
            return undefined;
        }
        throw error;
    }
}
function describe(node) {
    switch (node.kind) {
        case 'map':
            return 'a map';
        case 'seq':
            return 'a list';
        case 'null':
            return 'nothing';
        case 'string':
            return `the text "${node.value.length > 40 ? `${node.value.slice(0, 40)}\u2026` : node.value}"`;
        default:
            return `the ${node.kind} ${String(node.value)}`;
    }
}
function checkBool(value, at) {
    if (!GO_BOOLS.includes(value))
        at.fail(`"${value}" is not a boolean: write "true" or "false" (quoted, annotations are strings)`);
}
/** A YAML list (or nothing); each item a map of the struct's fields when one is given. */
function checkList(value, at, struct) {
    const node = parse(value, at);
    if (node === undefined || node.kind === 'null')
        return;
    if (node.kind !== 'seq') {
        at.fail(`expected a YAML list (lines starting with "- "), found ${describe(node)}`, node.pos);
        return;
    }
    if (!struct)
        return;
    for (const item of node.items) {
        if (item.kind === 'null')
            continue;
        if (item.kind !== 'map') {
            at.fail(`each entry must be a map with ${Object.keys(struct.fields).join(', ')}; found ${describe(item)}`, item.pos);
            continue;
        }
        checkStruct(item, struct, at);
    }
}
function checkStruct(node, struct, at) {
    const present = new Set();
    for (const { key, value } of node.entries) {
        const name = key.kind === 'string' ? key.value : '';
        const kind = struct.fields[name];
        if (!kind)
            continue; // Artifact Hub ignores unknown fields.
        present.add(name);
        checkField(name, kind, value, at);
    }
    for (const name of struct.required ?? []) {
        if (!present.has(name))
            at.fail(`an entry has no ${name}`, node.pos);
    }
}
function checkField(name, kind, value, at) {
    if (value.kind === 'null')
        return;
    if (kind === 'bool') {
        if (value.kind !== 'bool')
            at.fail(`${name} must be true or false, found ${describe(value)}`, value.pos);
        return;
    }
    if (kind === 'strings') {
        if (value.kind !== 'seq' || value.items.some((i) => i.kind === 'map' || i.kind === 'seq')) {
            at.fail(`${name} must be a list of strings, found ${describe(value)}`, value.pos);
        }
        return;
    }
    if (value.kind === 'map' || value.kind === 'seq') {
        at.fail(`${name} must be a string, found ${describe(value)}`, value.pos);
        return;
    }
    const text = value.kind === 'string' ? value.value : String(value.value);
    if (kind === 'url' && !isWebUrl(text))
        at.fail(`${name} "${text}" is not an http(s) URL`, value.pos);
    if (kind === 'image' && !isImageReference(text)) {
        at.fail(`${name} "${text}" is not an image reference (registry/repository:tag or @sha256:digest, lowercase repository)`, value.pos);
    }
}
function checkChanges(value, at) {
    const node = parse(value, at);
    if (node === undefined || node.kind === 'null')
        return;
    if (node.kind !== 'seq') {
        at.fail(`expected a YAML list of changes, found ${describe(node)}`, node.pos);
        return;
    }
    // Artifact Hub reads either a list of {kind, description, links} or a list of strings, not a mix.
    const maps = node.items.filter((i) => i.kind === 'map');
    const scalars = node.items.filter((i) => i.kind !== 'map' && i.kind !== 'seq' && i.kind !== 'null');
    if (maps.length > 0 && scalars.length > 0) {
        const odd = maps.length > scalars.length ? scalars[0] : maps[0];
        at.fail('mixes plain entries and {kind, description} entries: Artifact Hub reads either kind of list, not both ' +
            '(quote entries that contain ": ", e.g. - "Fixed: the bug")', odd?.pos);
        return;
    }
    for (const item of node.items) {
        if (item.kind === 'null')
            at.fail('an entry is empty (invalid change entry)', item.pos);
        else if (item.kind === 'seq')
            at.fail(`an entry is ${describe(item)}, expected a description`, item.pos);
        else if (item.kind === 'map')
            checkChange(item, at);
    }
}
function checkChange(item, at) {
    const field = (name) => item.entries.find((e) => e.key.kind === 'string' && e.key.value === name)?.value;
    const kind = field('kind');
    if (kind && kind.kind !== 'null') {
        const text = kind.kind === 'map' || kind.kind === 'seq' ? undefined : kind.kind === 'string' ? kind.value : String(kind.value);
        if (text === undefined || !CHANGE_KINDS.includes(text.toLowerCase())) {
            at.fail(`kind ${text === undefined ? describe(kind) : `"${text}"`} is not one of ${CHANGE_KINDS.join(', ')}`, kind.pos);
        }
    }
    const description = field('description');
    if (!description || description.kind === 'null' || (description.kind === 'string' && description.value === '')) {
        at.fail('a change has no description', item.pos);
    }
    else if (description.kind === 'map' || description.kind === 'seq') {
        at.fail(`description must be a string, found ${describe(description)}`, description.pos);
    }
    const links = field('links');
    if (links && links.kind !== 'null') {
        if (links.kind !== 'seq')
            at.fail(`links must be a list of {name, url}, found ${describe(links)}`, links.pos);
        else {
            for (const link of links.items) {
                if (link.kind !== 'map')
                    at.fail(`a link must be a map with name and url, found ${describe(link)}`, link.pos);
                else
                    checkStruct(link, { fields: LINK.fields, required: ['name', 'url'] }, at);
            }
        }
    }
}
/** An SPDX license expression: ids from the SPDX list (or LicenseRef-\u2026), joined by AND, OR, WITH. */
function checkLicense(value, at) {
    if (value === '')
        return;
    const tokens = value.split(/(\(|\)|\s+)/).filter((t) => t.trim() !== '' && t !== '(' && t !== ')');
    let afterWith = false;
    for (const token of tokens) {
        if (['AND', 'OR', 'WITH'].includes(token)) {
            afterWith = token === 'WITH';
            continue;
        }
        if (afterWith) {
            afterWith = false;
            continue; // an exception id (e.g. Classpath-exception-2.0)
        }
        if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(token))
            continue;
        const id = token.endsWith('+') ? token.slice(0, -1) : token;
        const known = spdxIds().get(id.toLowerCase());
        if (!known) {
            at.fail(`"${token}" is not an SPDX license identifier (see https://spdx.org/licenses/), e.g. Apache-2.0 or MIT`);
            return;
        }
        if (known !== id) {
            at.fail(`"${token}" is spelled "${known}" in the SPDX license list`);
            return;
        }
    }
}
function isWebUrl(text) {
    try {
        const url = new URL(text);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    }
    catch {
        return false;
    }
}
// The distribution reference grammar (distribution/reference regexp.go), which
// go-containerregistry's name.ParseReference follows.
const DOMAIN = String.raw `(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?`;
const COMPONENT = String.raw `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const IMAGE_REFERENCE = new RegExp(String.raw `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);
function isImageReference(text) {
    return text.length <= 255 + 128 + 80 && IMAGE_REFERENCE.test(text);
}

;// CONCATENATED MODULE: ./src/publish/chart-checks.ts






const DEFAULT_CHART_CHECKS = {
    schema: true,
    schemaRemoteRefs: 'error',
    artifactHubMetadata: DEFAULT_METADATA_FILE,
};
async function runChartChecks(chart, path, context) {
    const options = { ...DEFAULT_CHART_CHECKS, ...context.options };
    const { logger } = context;
    const name = chart.metadata.name;
    const notes = [];
    const errors = [];
    if (options.schema && (0,chart_loader/* hasValuesSchema */.sQ)(chart)) {
        // The JSON-schema validator is a chunk of its own, loaded only for charts that have a schema.
        const { checkValuesSchemas } = await Promise.all(/* import() */[__webpack_require__.e(252), __webpack_require__.e(20)]).then(__webpack_require__.bind(__webpack_require__, 41020));
        const report = await checkValuesSchemas(chart, { remoteRefs: options.schemaRemoteRefs });
        for (const finding of report.findings) {
            const where = { file: finding.file, line: finding.line, column: finding.column };
            if (finding.severity === 'error')
                errors.push(new shared_errors/* ChartError */.DA(finding.message, where));
            else
                logger.warning(finding.message, {
                    file: finding.file,
                    ...(finding.line ? { line: finding.line } : {}),
                    title: `${name}: values.schema.json`,
                });
        }
        notes.push(...report.notes);
    }
    else {
        logger.debug(`${path}: values.schema.json not checked (check-schema: false)`);
    }
    // Chart.yaml is read again only for its annotations' lines, and only when there are any to lint.
    const lint = hasArtifactHubAnnotations(chart.metadata.annotations)
        ? lintArtifactHubAnnotations(await (0,promises_.readFile)((0,external_node_path_.join)(context.workspace, path, 'Chart.yaml'), 'utf8'), chart.metadata.annotations)
        : { checked: 0, problems: [] };
    for (const problem of lint.problems) {
        const where = { file: chart.source.file, line: problem.line };
        // In a pull request a malformed annotation fails the check; on publish it is a warning, as
        // the chart itself installs fine (Artifact Hub only skips the version).
        const message = problem.unknown
            ? problem.message
            : `${problem.message} (Artifact Hub does not list a chart version whose annotations do not parse)`;
        if (context.dryRun && !problem.unknown)
            errors.push(new shared_errors/* ChartError */.DA(message, where));
        else
            logger.warning(message, { ...where, title: `${name}: Artifact Hub annotation` });
    }
    if (lint.checked > 0) {
        const bad = lint.problems.length;
        notes.push(`Artifact Hub annotations: ${lint.checked} checked, ${bad === 0 ? 'all parse' : `${bad} problem(s)`}`);
    }
    let metadata;
    if (options.artifactHubMetadata !== false) {
        try {
            metadata = await readRepositoryMetadata(context.workspace, path, options.artifactHubMetadata);
        }
        catch (error) {
            if (!(error instanceof shared_errors/* ChartError */.DA))
                throw error;
            errors.push(error);
        }
        if (metadata) {
            for (const warning of metadata.warnings)
                logger.warning(warning.message, { file: metadata.file, line: warning.line, title: `${name}: Artifact Hub metadata` });
            notes.push(`${metadata.file}: valid (${metadata.repositoryID ? `repository ID ${metadata.repositoryID}` : 'no repository ID'}, ${metadata.owners.length} owner(s))` +
                (context.dryRun ? '; not pushed in a dry-run' : ''));
        }
    }
    for (const error of errors.slice(1))
        logger.error(error.message, { file: error.file, line: error.line, title: `${name} cannot be published` });
    if (errors[0])
        throw errors[0];
    return { notes, metadata };
}

;// CONCATENATED MODULE: ./src/publish/held-back.ts
/**
 * Under `on-invalid: skip`, the charts that contain a chart of this run that failed are held
 * back with it: published, they would carry a chart that was never validated or published. A
 * chart contains another when it is built from its directory (`file://`), or pulled from the
 * target in the version this run publishes (the two links `publishOrder` follows), at any depth.
 * Returns each held-back chart with the failed chart it waits for.
 */
function heldBack(ready, failed) {
    // Where a chart of this run is found as a subchart: its directory and its target reference.
    const blocked = new Map();
    for (const outcome of failed) {
        const name = outcome.name ? `${outcome.name} (${outcome.path})` : outcome.path;
        blocked.set(outcome.path, name);
        if (outcome.reference)
            blocked.set(`oci://${outcome.reference}`, name);
    }
    const held = new Map();
    // Until nothing changes: a chart held back holds back the charts that contain it.
    for (let changed = true; changed;) {
        changed = false;
        for (const chart of ready) {
            if (held.has(chart))
                continue;
            const cause = firstBlocked(chart.chart.dependencies, blocked);
            if (cause === undefined)
                continue;
            held.set(chart, cause);
            const name = `${chart.chart.metadata.name} (${chart.path})`;
            blocked.set(chart.path, name);
            const { registry, repository, tag } = chart.reference;
            blocked.set(`oci://${registry}/${repository}:${tag}`, name);
            changed = true;
        }
    }
    return held;
}
function firstBlocked(charts, blocked) {
    for (const sub of charts) {
        const found = blocked.get(sub.location) ?? firstBlocked(sub.dependencies, blocked);
        if (found !== undefined)
            return found;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/publish/version-line.ts
var version_line = __webpack_require__(40490);
;// CONCATENATED MODULE: ./src/publish/output-dir.ts



/**
 * A package written inside a chart folder would be packaged into that chart the next time it
 * is walked (a run once published chart B carrying chart A's .tgz). An output-dir at or below
 * a selected chart is refused before anything is packaged.
 */
async function checkOutputDirOutsideCharts(workspace, outputDir, chartPaths) {
    const out = await real((0,external_node_path_.resolve)(workspace, outputDir));
    for (const path of chartPaths) {
        const chart = await real((0,external_node_path_.resolve)(workspace, path));
        const rel = (0,external_node_path_.relative)(chart, out);
        const inside = rel === '' || (!rel.startsWith(`..${external_node_path_.sep}`) && rel !== '..' && !rel.startsWith(external_node_path_.sep) && !/^[a-zA-Z]:/.test(rel));
        if (inside) {
            throw new shared_errors/* InputError */.dz('output-dir', `${outputDir} is inside the chart ${path}: packages written there would be packaged into the chart. ` +
                'Give a folder outside every chart (the default is $RUNNER_TEMP/oci-chart-publish)');
        }
    }
}
/** The real path when it exists (symbolic links resolved), else the path as given. */
async function real(path) {
    try {
        return await (0,promises_.realpath)(path);
    }
    catch {
        return path;
    }
}

// EXTERNAL MODULE: ./src/publish/artifact.ts
var artifact = __webpack_require__(67625);
;// CONCATENATED MODULE: ./src/publish/push-limits.ts



/**
 * Limits a registry enforces only when the chart is pushed, checked in the plan so that a chart
 * that can never be pushed fails validation and nothing of the run is pushed:
 * - the repository name: at most 255 characters (Distribution `reference.NameTotalLengthMax`;
 *   the registry answers NAME_INVALID);
 * - the tag: at most 128 characters (OCI distribution-spec tag grammar, helm-oci.md \u00a73.6);
 * - the manifest: at most 4 MiB (Distribution's `maxManifestBodySize`, the size most registries
 *   accept). Chart.yaml's description, maintainers and annotations go into its annotations.
 */
const MAX_REPOSITORY_LENGTH = 255;
const MAX_TAG_LENGTH = 128;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The reference's limits, known as soon as the reference is: checked before packaging. */
function checkReferenceLimits(reference, source) {
    const at = (key) => ({ file: source.file, line: source.keyLines.get(key) });
    if (reference.repository.length > MAX_REPOSITORY_LENGTH) {
        throw new shared_errors/* ChartError */.DA(`the repository ${reference.registry}/${reference.repository.slice(0, 60)}\u2026 is ${reference.repository.length} characters long; ` +
            `registries accept at most ${MAX_REPOSITORY_LENGTH}: shorten the chart name or the registry namespace`, at('name'));
    }
    if (reference.tag.length > MAX_TAG_LENGTH) {
        throw new shared_errors/* ChartError */.DA(`the tag "${reference.tag.slice(0, 40)}\u2026" is ${reference.tag.length} characters long; an OCI tag has at most ${MAX_TAG_LENGTH}: shorten the version`, at('version'));
    }
}
/** The manifest's size, built as the push will build it, once the chart is packaged and signed. */
async function checkManifestSize(chart, build = defaultArtifact) {
    const { source, metadata } = chart.chart;
    const at = (key) => ({ file: source.file, line: source.keyLines.get(key) });
    const artifact = await build(chart);
    if (artifact.manifest.size > MAX_MANIFEST_BYTES) {
        const largest = [...artifact.annotations].sort((a, b) => b[1].length - a[1].length)[0];
        const key = largest?.[0] === 'org.opencontainers.image.description' ? 'description' : 'annotations';
        throw new shared_errors/* ChartError */.DA(`the OCI manifest of ${metadata.name} ${metadata.version} would be ${artifact.manifest.size} bytes; registries accept at most ` +
            `${MAX_MANIFEST_BYTES} (4 MiB). Chart.yaml's description, maintainers and annotations are copied into it` +
            (largest ? ` (the largest, ${largest[0]}, has ${largest[1].length} characters)` : '') +
            ': shorten them', at(key));
    }
}
async function defaultArtifact(chart) {
    return (0,artifact/* helmArtifact */.hr)({
        metadata: chart.chart.metadata,
        chart: await (0,promises_.readFile)(chart.package.path),
        ...(chart.provenance ? { provenance: Buffer.from(chart.provenance.text, 'utf8') } : {}),
        created: chart.epoch,
    });
}

// EXTERNAL MODULE: ./src/oci/reference.ts
var reference = __webpack_require__(62148);
;// CONCATENATED MODULE: ./src/publish/run.ts
















async function publishCharts(chartDirs, options, steps) {
    const { logger } = steps;
    const workspace = (0,external_node_path_.resolve)(options.workspace);
    const paths = chartDirs.map((dir) => relativePath(workspace, dir));
    await checkOutputDirOutsideCharts(workspace, options.outputDir, paths);
    const dates = await resolveSourceDates(paths, {
        sourceDateEpoch: options.sourceDateEpoch,
        workspace,
        git: steps.git,
        logger,
    });
    // Plan: everything that can fail without touching the registry.
    const outcomes = [];
    const ready = new Map();
    for (const path of paths) {
        const outcome = { name: '', version: '', path, reference: '', tag: '', status: 'failed' };
        outcomes.push(outcome);
        await logger.group(`Chart ${path}`, async () => {
            try {
                notStopped(steps.signal);
                const date = dates.get(path) ?? { epoch: 0, source: 'default' };
                const chart = await prepareChart(path, date.epoch, options, steps, outcome);
                logger.info(`Packaged ${chart.package.fileName}: ${chart.package.entries} entries, ${chart.package.size} bytes, sha256:${chart.package.sha256} (entries dated ${new Date(date.epoch * 1000).toISOString()}, ${date.source})`);
                ready.set(chart, outcome);
                outcome.status = options.dryRun ? 'dry-run' : 'skipped';
            }
            catch (error) {
                fail(outcome, error, logger);
            }
        });
    }
    rejectDuplicates(ready, logger);
    const charts = [...ready.keys()].map((chart) => ({ key: chart, path: chart.path, metadata: chart.artifactHub }));
    for (const [chart, error] of sharedRepositoryIds(charts)) {
        fail(ready.get(chart), error, logger);
        ready.delete(chart);
    }
    const onInvalid = options.onInvalid ?? 'fail';
    if (onInvalid === 'skip')
        holdBack(ready, outcomes, logger, options.dryRun);
    const report = {
        dryRun: options.dryRun,
        registry: (0,reference/* ociNamespaceText */.eR)(options.target),
        charts: outcomes,
        deleted: options.deleted ?? [],
        ...(options.selection ? { selection: options.selection } : {}),
        onInvalid,
    };
    const failedNow = () => outcomes.filter((o) => o.status === 'failed').length;
    const blocking = (registry = false) => `${failedNow()} of ${outcomes.length} selected chart(s) failed, and nothing is pushed unless every selected chart validates` +
        `${registry ? ' and the registry can take it' : ''} (on-invalid: fail)`;
    // Act.
    if (options.dryRun) {
        const check = steps.check;
        if (check) {
            await (0,shared_concurrency/* mapLimit */.s)([...ready], options.concurrency, async ([chart, outcome]) => {
                try {
                    notStopped(steps.signal);
                    apply(outcome, await check(chart), logger, chart);
                }
                catch (error) {
                    fail(outcome, error, logger, chart);
                }
            });
        }
        await attachAll(ready, ['dry-run'], options, steps);
        if (onInvalid === 'fail' && failedNow() > 0) {
            report.blocked = `a real run would push nothing: ${blocking(check !== undefined)}`;
            for (const outcome of ready.values()) {
                if (outcome.status === 'dry-run')
                    outcome.reason = `${outcome.reason ? `${outcome.reason}; ` : ''}not while other charts fail`;
            }
        }
        else if (onInvalid === 'skip')
            holdBack(ready, outcomes, logger, true);
        return report;
    }
    if (onInvalid === 'fail' && failedNow() > 0)
        return notPushed(report, ready, blocking());
    const lookup = steps.lookup;
    if (!lookup && !steps.push)
        throw new Error('publishing needs a registry client');
    let waves;
    try {
        waves = steps.order ? steps.order([...ready.keys()]) : [[...ready.keys()]];
    }
    catch (error) {
        // A dependency cycle among the charts of this run: none of them can go first.
        for (const [chart, outcome] of ready)
            fail(outcome, error, logger, chart);
        return report;
    }
    // The plan against the registry: every chart is looked up before the first write.
    const pushes = new Map();
    if (lookup) {
        await (0,shared_concurrency/* mapLimit */.s)([...ready], options.concurrency, async ([chart, outcome]) => {
            try {
                notStopped(steps.signal);
                const found = await lookup(chart);
                if ('result' in found)
                    apply(outcome, found.result, logger, chart);
                else
                    pushes.set(chart, found.push);
            }
            catch (error) {
                fail(outcome, error, logger, chart);
            }
        });
        if (failedNow() > 0) {
            if (onInvalid === 'fail')
                return notPushed(report, ready, blocking(true));
            holdBack(ready, outcomes, logger, false);
        }
    }
    else {
        const push = steps.push;
        for (const chart of ready.keys())
            pushes.set(chart, () => push(chart));
    }
    for (const wave of waves) {
        await (0,shared_concurrency/* mapLimit */.s)(wave.filter((chart) => ready.has(chart) && pushes.has(chart)), options.concurrency, async (chart) => {
            const outcome = ready.get(chart);
            try {
                notStopped(steps.signal);
                apply(outcome, await pushes.get(chart)(), logger, chart);
            }
            catch (error) {
                fail(outcome, error, logger, chart);
            }
        });
    }
    await attachAll(ready, ['published', 'unchanged'], options, steps);
    return report;
}
/**
 * Signatures and attestations (RunSteps.attach), once the charts they are about are in the
 * registry, pushed now or found unchanged (in a dry-run: checked). A failure fails that chart.
 */
async function attachAll(ready, statuses, options, steps) {
    const attach = steps.attach;
    if (!attach)
        return;
    const due = [...ready].filter(([, outcome]) => statuses.includes(outcome.status) && (outcome.digest !== undefined || options.dryRun));
    await (0,shared_concurrency/* mapLimit */.s)(due, options.concurrency, async ([chart, outcome]) => {
        try {
            notStopped(steps.signal);
            Object.assign(outcome, await attach(chart, outcome));
        }
        catch (error) {
            fail(outcome, error, steps.logger, chart);
        }
    });
}
/** Nothing is pushed: every chart that passed says why it was not. */
function notPushed(report, ready, why) {
    report.blocked = `nothing was pushed: ${why}`;
    for (const outcome of ready.values()) {
        if (outcome.status === 'skipped' && outcome.reason === undefined)
            outcome.reason = `not pushed: ${why}`;
    }
    return report;
}
/** Under on-invalid: skip, the charts that contain a failed chart of this run are not published. */
function holdBack(ready, outcomes, logger, dryRun) {
    const failed = outcomes.filter((o) => o.status === 'failed');
    for (const [chart, cause] of heldBack([...ready.keys()], failed)) {
        const outcome = ready.get(chart);
        ready.delete(chart);
        outcome.status = 'skipped';
        outcome.reason = `${dryRun ? 'would not be published' : 'not published'}: it contains ${cause}, which failed`;
        logger.warning(`${chart.reference.text}: ${outcome.reason}`, (0,version_line/* versionLine */.b)(chart));
    }
}
async function prepareChart(path, epoch, options, steps, outcome) {
    const { logger } = steps;
    let chart = applyOverrides(await (0,chart_loader/* loadChart */.Ty)(path, { workspace: options.workspace, logger }), options.overrides);
    outcome.name = chart.metadata.name;
    outcome.version = chart.metadata.version;
    for (const unknown of chart.source.unknownKeys) {
        logger.warning(`unknown key "${unknown.key}" in Chart.yaml is ignored by Helm and left out of the package`, {
            file: chart.source.file,
            line: unknown.line,
            title: 'Unknown Chart.yaml key',
        });
    }
    const problems = (0,chart_metadata/* publishingProblems */._)(chart.metadata, chart.source);
    const nonStrict = (0,chart_metadata/* nonStrictVersionProblem */.w0)(chart.metadata, chart.source, options.overrides?.version !== undefined ? 'the "version" input' : undefined);
    if (nonStrict && options.strictVersions)
        problems.push(new shared_errors/* ChartError */.DA(`${nonStrict.message} (strict-versions is true)`, nonStrict));
    else if (nonStrict)
        logger.warning(nonStrict.message, { file: nonStrict.file, line: nonStrict.line, title: 'Version not strict SemVer 2' });
    for (const problem of problems.slice(1)) {
        logger.error(problem.message, { file: problem.file, line: problem.line, title: `${chart.metadata.name} cannot be published` });
    }
    if (problems[0])
        throw problems[0];
    const reference = (0,target/* chartReference */.sL)(options.target, chart.metadata.name, chart.metadata.version);
    outcome.reference = reference.text;
    outcome.tag = reference.tag;
    checkReferenceLimits(reference, chart.source);
    if ((0,chart_loader/* missingDependencies */.kc)(chart).length > 0 && steps.buildDependencies) {
        chart = await steps.buildDependencies(chart, path);
    }
    else {
        await steps.checkVendored?.(chart, path);
    }
    const missing = (0,chart_loader/* missingDependencies */.kc)(chart);
    if (missing.length > 0) {
        throw new shared_errors/* ChartError */.DA(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, {
            file: chart.source.file,
            line: chart.source.keyLines.get('dependencies'),
        });
    }
    const checked = await runChartChecks(chart, path, {
        workspace: options.workspace,
        dryRun: options.dryRun,
        logger,
        options: options.checks,
    });
    outcome.checks = checked.notes;
    // The Artifact Hub metadata file is the registry's, not the chart's: it stays out of the package.
    const metadataFile = checked.metadata?.inChart;
    if (metadataFile)
        chart = { ...chart, files: chart.files.filter((f) => f.name !== metadataFile) };
    const pkg = await packageChart(chart, { outputDir: options.outputDir, mtime: epoch });
    outcome.package = pkg.path;
    outcome.chartDigest = `sha256:${pkg.sha256}`;
    outcome.size = pkg.size;
    const ready = { path, chart, reference, package: pkg, epoch, checks: checked.notes };
    if (checked.metadata)
        ready.artifactHub = checked.metadata;
    if (steps.sign) {
        const provenance = await steps.sign(ready);
        if (provenance) {
            ready.provenance = provenance;
            outcome.provenanceDigest = `sha256:${provenance.sha256}`;
        }
    }
    await checkManifestSize(ready, steps.artifact);
    return ready;
}
/** A chart not begun when the run is stopped says so, rather than failing on its first request. */
function notStopped(signal) {
    if (!signal?.aborted)
        return;
    const reason = signal.reason;
    throw new shared_errors/* DomainError */.Jk(`not started: ${reason instanceof Error ? reason.message : 'the run was stopped'}`, { cause: reason });
}
function apply(outcome, result, logger, chart) {
    outcome.status = result.status;
    if (result.digest)
        outcome.digest = result.digest;
    if (result.reason)
        outcome.reason = result.reason;
    if (result.wouldBe)
        outcome.wouldBe = result.wouldBe;
    if (result.provenanceDigest === null)
        delete outcome.provenanceDigest;
    else if (result.provenanceDigest)
        outcome.provenanceDigest = result.provenanceDigest;
    const line = `${chart.reference.text}: ${result.status}${result.digest ? ` (${result.digest})` : ''}${result.reason ? ` \u2014 ${result.reason}` : ''}`;
    if (result.status === 'failed')
        logger.error(line, (0,version_line/* versionLine */.b)(chart));
    else if (result.status === 'skipped')
        logger.warning(line, (0,version_line/* versionLine */.b)(chart));
    else
        logger.info(line);
}
function fail(outcome, error, logger, chart) {
    outcome.status = 'failed';
    outcome.reason = error instanceof shared_errors/* DomainError */.Jk ? (0,shared_errors/* describeError */.Uc)(error) : `unexpected error: ${(0,shared_errors/* describeError */.Uc)(error)}`;
    const title = `${outcome.name || outcome.path} cannot be published`;
    // Every problem is annotated somewhere: its own file and line, else the chart's Chart.yaml.
    const where = error instanceof shared_errors/* ChartError */.DA
        ? { file: error.file, line: error.line, title }
        : chart
            ? (0,version_line/* versionLine */.b)(chart)
            : { file: outcome.path === '.' ? 'Chart.yaml' : `${outcome.path}/Chart.yaml`, title };
    logger.error(error instanceof shared_errors/* ChartError */.DA ? error.message : outcome.reason, where);
}
/**
 * Two selected charts with the same name and version would write the same package and race
 * for the same tag: neither is published.
 */
function rejectDuplicates(ready, logger) {
    const byReference = new Map();
    for (const chart of ready.keys())
        byReference.set(chart.reference.text, [...(byReference.get(chart.reference.text) ?? []), chart]);
    for (const [reference, charts] of byReference) {
        if (charts.length < 2)
            continue;
        const names = charts.map((c) => c.path);
        const paths = names.length === 2 ? `${names.join(' and ')} are both` : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''} are all`;
        for (const chart of charts) {
            const outcome = ready.get(chart);
            ready.delete(chart);
            const error = new shared_errors/* ChartError */.DA(`${paths} ${reference}: rename one chart or give it another version`, {
                file: chart.chart.source.file,
                line: chart.chart.source.keyLines.get('name'),
            });
            fail(outcome, error, logger);
        }
    }
}
function relativePath(workspace, dir) {
    const rel = (0,external_node_path_.relative)(workspace, (0,external_node_path_.resolve)(workspace, dir)).split(external_node_path_.sep).join('/');
    return rel === '' ? '.' : rel;
}

// EXTERNAL MODULE: ./src/shared/deadline.ts
var shared_deadline = __webpack_require__(18013);
;// CONCATENATED MODULE: ./src/shared/process-runner.ts




/** A program stopped because the run ran out of time. */
class ProcessError extends shared_errors/* DomainError */.Jk {
}
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
// After the program exits, how long its output pipes may stay open (held by a process it left
// behind) before the runner stops waiting for them.
const CLOSE_GRACE_MS = 2_000;
/**
 * The one process runner, over node:child_process rather than @actions/exec, because the runner
 * must: stop a program at a time limit or at the run's deadline (exec has neither), kill the
 * whole process group a program started (a helper's own children too), survive a program that
 * exits without reading its standard input (exec writes stdin without an error listener, so
 * EPIPE crashed Node), and bound what it keeps of the output. Silent: callers decide what to
 * log, so that credential helper output (which carries secrets) never reaches the log by accident.
 */
function createProcessRunner(options = {}) {
    const deadline = options.deadline ?? shared_deadline/* noDeadline */.Wf;
    const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    return {
        run(command, args, runOptions = {}) {
            const display = describeCommand(command, args);
            return deadline.track(display, () => runProcess(command, args, runOptions, {
                display,
                signal: deadline.signal,
                timeoutMs: runOptions.timeoutMs ?? defaultTimeout,
                maxOutput,
            }));
        },
    };
}
function runProcess(command, args, options, limits) {
    const { display, signal } = limits;
    if (signal.aborted)
        return Promise.reject(stopped(display, signal.reason));
    // Loaded with the first command: a run that starts none (no git, no credential helper) skips it.
    const { spawn } = process.getBuiltinModule('node:child_process');
    return new Promise((resolve, reject) => {
        let child;
        try {
            child = spawn(command, [...args], {
                cwd: options.cwd,
                env: options.env ? { ...process.env, ...options.env } : process.env,
                stdio: ['pipe', 'pipe', 'pipe'],
                // Its own process group: a time limit kills the program and everything it started.
                detached: true,
                windowsHide: true,
            });
        }
        catch (error) {
            // spawn throws synchronously for some argument errors (e.g. a NUL byte in an argument).
            resolve(notStarted(command, display, error));
            return;
        }
        const stdout = new Output(limits.maxOutput);
        const stderr = new Output(limits.maxOutput);
        let failure;
        let exitCode;
        let settled = false;
        const killGroup = () => {
            if (child.pid === undefined)
                return;
            try {
                process.kill(-child.pid, 'SIGKILL');
            }
            catch {
                // Already gone.
            }
        };
        const finish = (result) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            clearTimeout(graceTimer);
            signal.removeEventListener('abort', onAbort);
            const value = result();
            if (value instanceof Error)
                reject(value);
            else
                resolve(value);
        };
        const onAbort = () => {
            killGroup();
            finish(() => stopped(display, signal.reason));
        };
        const timer = setTimeout(() => {
            failure ??= `${display} did not finish within ${formatDuration(limits.timeoutMs)} and was stopped`;
            exitCode = 124;
            killGroup();
        }, limits.timeoutMs);
        let graceTimer;
        signal.addEventListener('abort', onAbort, { once: true });
        const overflow = () => {
            failure ??= `${display} printed more than ${limits.maxOutput} bytes and was stopped`;
            exitCode = 1;
            killGroup();
        };
        child.stdout.on('data', (chunk) => stdout.add(chunk) || overflow());
        child.stderr.on('data', (chunk) => stderr.add(chunk) || overflow());
        // A program that exits without reading its input (or that cannot be started) closes the pipe:
        // EPIPE here says nothing the exit code does not say better.
        child.stdin.on('error', () => undefined);
        if (options.input !== undefined)
            child.stdin.end(options.input);
        else
            child.stdin.end();
        const result = () => ({
            exitCode: exitCode ?? 1,
            stdout: stdout.text(),
            // The failure ends stderr too, so that a caller showing git's stderr shows why it stopped.
            stderr: failure ? `${stderr.text().trimEnd()}\n${failure}`.trimStart() : stderr.text(),
            ...(failure ? { failure } : {}),
        });
        child.on('error', (error) => {
            // Not started (ENOENT, EACCES, ENOEXEC\u2026); kill and signal errors cannot happen here.
            finish(() => notStarted(command, display, error));
        });
        child.on('exit', (code, signalName) => {
            if (settled)
                return;
            exitCode ??= code ?? 128 + signalNumber(signalName);
            // Output pipes may be held open by something the program left running: wait a little.
            graceTimer = setTimeout(() => {
                killGroup();
                child.stdout.destroy();
                child.stderr.destroy();
                finish(result);
            }, CLOSE_GRACE_MS);
        });
        child.on('close', () => finish(result));
    });
}
class Output {
    chunks = [];
    size = 0;
    limit;
    constructor(limit) {
        this.limit = limit;
    }
    /** False once the limit is passed; the excess is dropped. */
    add(chunk) {
        if (this.size + chunk.byteLength > this.limit)
            return false;
        this.chunks.push(chunk);
        this.size += chunk.byteLength;
        return true;
    }
    text() {
        return Buffer.concat(this.chunks).toString('utf8');
    }
}
function notStarted(command, display, error) {
    const code = error.code;
    const why = code === 'ENOENT'
        ? command.includes('/')
            ? 'the file, or the interpreter its #! line names, does not exist'
            : 'not found on PATH'
        : code === 'EACCES'
            ? 'not executable (permission denied)'
            : code === 'ENOEXEC'
                ? 'not a program this system can run'
                : (code ?? (error instanceof Error ? error.message : String(error)));
    const failure = `${display} could not be started: ${why}`;
    // The shell's convention: 127 for a program that is not there, 126 for one that cannot run.
    return { exitCode: code === 'ENOENT' ? 127 : 126, stdout: '', stderr: failure, failure };
}
function stopped(display, reason) {
    const why = reason instanceof Error ? reason.message : 'the run was cancelled';
    return new ProcessError(`${display} was stopped: ${why}`, { cause: reason });
}
/** `git fetch --quiet origin` or `docker-credential-pass get`: the program's name and its arguments, shortened. */
function describeCommand(command, args) {
    const text = [(0,external_node_path_.basename)(command), ...args].join(' ').replace(/[\r\n]+/g, ' ');
    return text.length > 200 ? `${text.slice(0, 199)}\u2026` : text;
}
function formatDuration(ms) {
    return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000} min` : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
/** The signal's number on this platform (Node's table), for the shell's 128 + n exit code. */
function signalNumber(name) {
    return name ? (external_node_os_.constants.signals[name] ?? 0) : 0;
}

;// CONCATENATED MODULE: ./src/sigstore/settings.ts
/** True when any chart is to be signed or attested with Sigstore. */
function sigstoreWanted(settings) {
    return settings.keyless || settings.key !== undefined || settings.attest;
}

;// CONCATENATED MODULE: ./src/main.ts




























/**
 * The action: read the inputs and the event, build the collaborators, select the charts, run
 * the publish engine, write the outputs and the summary. The only place that fails the step.
 */
async function run() {
    const logger = limitErrorAnnotations(createCoreLogger());
    let summary = true;
    const ending = createRunEnding({ summary: () => summary });
    ending.guardProcess();
    let deadline;
    let report;
    try {
        const env = process.env;
        const workspace = env.GITHUB_WORKSPACE || process.cwd();
        const inputs = readInputs(coreInputReader, {
            workspace,
            runnerTemp: env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
            repositoryOwner: env.GITHUB_REPOSITORY_OWNER || env.GITHUB_REPOSITORY?.split('/')[0],
        }, logger);
        const eventName = env.GITHUB_EVENT_NAME ?? '';
        const payload = await readPayload(env.GITHUB_EVENT_PATH);
        const dryRun = resolveDryRun(inputs.dryRun, eventName);
        summary = inputs.summary;
        const runDeadline = (0,shared_deadline/* startDeadline */.db)(inputs.timeoutMinutes * 60_000, `input "timeout": ${inputs.timeoutMinutes} minute(s)`);
        deadline = runDeadline;
        /** Outputs, summary and the step's result, the same for a migration and a publish. */
        const finish = async (done) => {
            ending.outputs(done);
            if (inputs.summary)
                await writeSummary(done, { plainHttp: inputs.plainHttp });
            if (runDeadline.expired)
                await ending.fail(describeDeadline(runDeadline, done));
            else if (failedCount(done) > 0)
                setFailed(failureMessage(done, logger.suppressed()));
        };
        const runner = createProcessRunner({ deadline: runDeadline });
        logger.info(`oci-chart-publish ${package_namespaceObject.rE}: ${dryRun ? 'dry-run (nothing is pushed)' : 'publish'} to ${inputs.registryText}`);
        await prepareOutputDir(inputs.outputDir);
        // The signing key is loaded (and masked) before any chart is looked at.
        // The signing code (openpgp) is a chunk of its own, loaded only by runs that sign.
        const signer = inputs.signingKey
            ? await (await Promise.all(/* import() */[__webpack_require__.e(74), __webpack_require__.e(238)]).then(__webpack_require__.bind(__webpack_require__, 5238))).loadSigningKey({
                key: inputs.signingKey,
                ...(inputs.signingPassphrase ? { passphrase: inputs.signingPassphrase } : {}),
                ...(inputs.signingKeyId ? { keyId: inputs.signingKeyId } : {}),
                logger,
            })
            : undefined;
        const signing = signer ? `${signer.algorithm} key ${signer.fingerprint} (${signer.userIds.join(', ')})` : undefined;
        if (signing)
            logger.info(`Signing with ${signing}`);
        // Sigstore code is loaded only when asked for; keys and the OIDC identity are checked before any push.
        const sigstore = sigstoreWanted(inputs.sigstore) ? await loadSigstore(inputs, { env, logger, dryRun, payload }) : undefined;
        if (inputs.migration) {
            report = await runDeadline.within(migrate(inputs, inputs.migration, { workspace, runner, logger, dryRun, env, deadline: runDeadline }), DEADLINE_GRACE_MS);
            await finish(report);
            return;
        }
        const discovery = await runDeadline.within(logger.group('Selecting charts', () => selectCharts(inputs, { workspace, eventName, payload, runner, logger, env, deadline: runDeadline })), DEADLINE_GRACE_MS);
        const { credentials, client } = registryClient(inputs, { env, runner, logger, deadline: runDeadline });
        const chartDirs = discovery.charts.map((c) => c.dir);
        const steps = await runDeadline.within(runSteps(inputs, { client, credentials, signer, sigstore, runner, logger, dryRun, env, workspace, chartDirs, deadline: runDeadline }), DEADLINE_GRACE_MS);
        report = await runDeadline.within(publishCharts(chartDirs, {
            workspace,
            target: inputs.registry,
            dryRun,
            outputDir: inputs.outputDir,
            sourceDateEpoch: env.SOURCE_DATE_EPOCH,
            concurrency: inputs.concurrency,
            onInvalid: inputs.onInvalid,
            selection: discovery.explanation,
            deleted: discovery.deleted.map((d) => d.dir),
            overrides: inputs.overrides,
            strictVersions: inputs.strictVersions,
            checks: inputs.checks,
        }, steps), DEADLINE_GRACE_MS);
        if (dryRun && discovery.base && inputs.overrides.version !== undefined) {
            logger.info(`Version bumps are not checked: every chart is published as ${inputs.overrides.version}, the "version" input`);
        }
        else if (dryRun && discovery.base && !runDeadline.expired) {
            await runDeadline.within(checkVersionBumps(report, discovery, { workspace, runner, logger }), DEADLINE_GRACE_MS);
        }
        if (signing)
            report.signing = signing;
        if (sigstore)
            report.verification = sigstore.instructions(report.charts);
        if (!dryRun)
            await appendArtifacts(env.GITHUB_ARTIFACTS, report, logger);
        await finish(report);
        if (!runDeadline.expired && report.charts.length === 0)
            logger.info('No chart was selected: nothing to do.');
    }
    catch (error) {
        if (!(error instanceof shared_errors/* DomainError */.Jk))
            logger.debug(sourceMappedStack(error));
        const message = deadline?.expired
            ? describeDeadline(deadline, report)
            : error instanceof shared_errors/* DomainError */.Jk
                ? (0,shared_errors/* describeError */.Uc)(error)
                : `Unexpected error (please report it): ${(0,shared_errors/* describeError */.Uc)(error)}`;
        // The outputs are valid JSON even when the run stops early, so that fromJSON() never breaks.
        await ending.fail(message);
    }
    finally {
        ending.finished();
        deadline?.stop();
        // Past the deadline something may still hold the event loop (a socket, a process that
        // ignores SIGKILL in uninterruptible sleep): the step's result is written, so the process ends.
        if (deadline?.expired)
            setTimeout(() => process.exit(), DEADLINE_GRACE_MS).unref();
    }
}
/** One registry client for the run, with the credential stores in their order. */
function registryClient(inputs, ctx) {
    const { env, runner, logger } = ctx;
    const runDeadline = ctx.deadline;
    const credentials = (0,oci_credentials/* createCredentialResolver */.ss)({
        ...(inputs.username && inputs.password
            ? {
                explicit: {
                    host: inputs.registry.registry,
                    username: inputs.username,
                    password: inputs.password,
                    source: 'the username and password inputs',
                },
            }
            : {}),
        ...(inputs.githubToken ? { githubToken: inputs.githubToken } : {}),
        ...(env.GITHUB_ACTOR ? { githubActor: env.GITHUB_ACTOR } : {}),
        env,
        homeDir: (0,external_node_os_.homedir)(),
        processRunner: runner,
        logger,
    });
    const client = new registry_client/* RegistryClient */.bP({
        plainHttp: inputs.plainHttp,
        credentials,
        logger,
        version: package_namespaceObject.rE,
        deadline: runDeadline,
    });
    return { credentials, client };
}
/** Existing packages pushed as they are: `migrate-from` or `packages` instead of discovery. */
async function migrate(inputs, migration, ctx) {
    const { env, logger } = ctx;
    // The migration code is a chunk of its own: a publish never loads it.
    const [{ ChartRepositoryClient, displayUrl }, { repositoryPackages, workspacePackages }, { migrateCharts }] = await Promise.all([
        __webpack_require__.e(/* import() */ 834).then(__webpack_require__.bind(__webpack_require__, 47834)),
        __webpack_require__.e(/* import() */ 414).then(__webpack_require__.bind(__webpack_require__, 39414)),
        __webpack_require__.e(/* import() */ 70).then(__webpack_require__.bind(__webpack_require__, 78070)),
    ]);
    const { credentials, client } = registryClient(inputs, ctx);
    const source = migration.source;
    const packages = source.kind === 'repository'
        ? await repositoryPackages(new ChartRepositoryClient({
            logger,
            credentials: inputs.dependencyCredentials,
            userAgent: `oci-chart-publish/${package_namespaceObject.rE}`,
        }), source.url, logger)
        : await workspacePackages(ctx.workspace, source.patterns);
    // A dry-run looks at the registry only where it has credentials for it.
    const canCheck = ctx.dryRun && (await credentials.resolve(inputs.registry.registry)) !== undefined;
    return migrateCharts(packages, {
        target: inputs.registry,
        downloadDir: (0,external_node_path_.join)(inputs.outputDir, 'migrated'),
        concurrency: inputs.concurrency,
        charts: migration.charts,
        versions: migration.versions,
        dryRun: ctx.dryRun,
        onInvalid: inputs.onInvalid,
        onConflict: inputs.onConflict,
        ...(env.GITHUB_REPOSITORY ? { repositoryUrl: `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` } : {}),
        annotations: inputs.annotations,
        from: source.kind === 'repository' ? displayUrl(source.url) : `${source.patterns.join(', ')} in the workspace`,
    }, {
        logger,
        canCheck,
        repository: (chart, push) => client.repository(chart.reference.registry, chart.reference.repository, { push }),
    });
}
// How long, after the deadline, the run gets to unwind and report its charts before it is cut short.
const DEADLINE_GRACE_MS = 5_000;
async function selectCharts(inputs, ctx) {
    const { logger, env } = ctx;
    let discovery;
    if (inputs.charts.length > 0) {
        discovery = await explicitCharts(ctx.workspace, inputs.charts);
        logger.info(discovery.explanation);
        for (const chart of discovery.charts)
            logger.info(`  ${chart.dir}`);
        // exclude wins over the charts input too: one list of exceptions for every workflow.
        discovery = (0,exclude_rules/* excludeCharts */.En)(discovery, (0,exclude_rules/* parseExclude */.Eg)(inputs.exclude, ctx.workspace), logger);
    }
    else {
        // Discovery by event (git history, the compare API) is loaded only when no chart is named.
        const [{ describeEvent }, { discoverCharts }] = await Promise.all([
            __webpack_require__.e(/* import() */ 566).then(__webpack_require__.bind(__webpack_require__, 33566)),
            __webpack_require__.e(/* import() */ 593).then(__webpack_require__.bind(__webpack_require__, 83593)),
        ]);
        const request = inputs.discover === 'all'
            ? { kind: 'all', reason: 'input "discover" is all' }
            : describeEvent({
                eventName: ctx.eventName,
                payload: ctx.payload,
                sha: env.GITHUB_SHA ?? '',
                ref: env.GITHUB_REF ?? '',
                ...(inputs.base ? { base: inputs.base } : {}),
            });
        discovery = await discoverCharts({
            workspace: ctx.workspace,
            chartsDir: inputs.chartsDirs,
            request,
            runner: ctx.runner,
            logger,
            exclude: inputs.exclude,
            versionOverride: inputs.overrides.version,
            compareApi: inputs.githubToken && env.GITHUB_REPOSITORY
                ? lazyGithubCompare({
                    token: inputs.githubToken,
                    repository: env.GITHUB_REPOSITORY,
                    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
                    deadline: ctx.deadline,
                })
                : undefined,
        });
    }
    // discoverCharts has explained its selection, chart by chart.
    return discovery;
}
async function runSteps(inputs, ctx) {
    const { env, logger } = ctx;
    // A dry-run without credentials (a fork's pull request) reads the registry anonymously.
    const anonymous = ctx.dryRun && (await ctx.credentials.resolve(inputs.registry.registry)) === undefined;
    if (anonymous)
        logger.info(`No credentials for ${inputs.registry.registry}: the dry-run reads the registry anonymously.`);
    const registry = (0,push_chart/* registrySteps */.dE)({
        anonymous,
        client: ctx.client,
        onConflict: inputs.onConflict,
        logger,
        ...(env.GITHUB_SHA ? { revision: env.GITHUB_SHA } : {}),
        ...(env.GITHUB_REPOSITORY ? { repositoryUrl: `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` } : {}),
        annotations: inputs.annotations,
    });
    const signer = ctx.signer;
    const sigstore = ctx.sigstore;
    const dependencies = lazyDependencyBuilder({
        workspace: ctx.workspace,
        cacheDir: (0,external_node_path_.join)(inputs.outputDir, '.dependencies'),
        logger,
        credentials: inputs.dependencyCredentials,
        registryCredentials: ctx.credentials,
        plainHttpHosts: inputs.plainHttp ? [inputs.registry.registry] : [],
        run: { target: inputs.registry, charts: ctx.chartDirs },
        version: package_namespaceObject.rE,
        deadline: ctx.deadline,
    });
    return {
        logger,
        git: ctx.runner,
        buildDependencies: (chart, path) => dependencies.build(chart, path),
        checkVendored: (chart, path) => dependencies.checkVendored(chart, path),
        order: publishOrder,
        artifact: registry.artifact,
        signal: ctx.deadline.signal,
        ...(signer ? { sign: async (chart) => (await Promise.all(/* import() */[__webpack_require__.e(74), __webpack_require__.e(261)]).then(__webpack_require__.bind(__webpack_require__, 89261))).signChart(chart, signer) } : {}),
        ...(sigstore
            ? {
                attach: async (chart, outcome) => {
                    const { registry, repository } = chart.reference;
                    // A dry-run of a new chart has no manifest digest yet: its package digest stands in.
                    const digest = outcome.digest ?? `sha256:${chart.package.sha256}`;
                    const open = () => ctx.client.repository(registry, repository, { push: !ctx.dryRun });
                    const { signature, attestation } = await sigstore.attach({ registry, repository, digest, open });
                    return { ...(signature ? { signature } : {}), ...(attestation ? { attestation } : {}) };
                },
            }
            : {}),
        ...(ctx.dryRun ? { check: registry.check } : { lookup: withRepositoryMetadataLookup(registry.lookup, ctx.client, logger) }),
    };
}
async function loadSigstore(inputs, ctx) {
    const { createSigstoreSigning } = await Promise.all(/* import() */[__webpack_require__.e(444), __webpack_require__.e(518)]).then(__webpack_require__.bind(__webpack_require__, 93518));
    const visibility = ctx.payload?.repository?.visibility;
    return createSigstoreSigning(inputs.sigstore, {
        env: ctx.env,
        logger: ctx.logger,
        dryRun: ctx.dryRun,
        visibility: typeof visibility === 'string' ? visibility : undefined,
        ...(inputs.githubToken ? { githubToken: inputs.githubToken } : {}),
    });
}
/**
 * In a pull request, a changed chart that existed on the base must have a greater version. Every
 * selected chart is checked, a failed one too, so that a missing bump is not found only after
 * the other problem is fixed; its reasons are then reported together.
 */
async function checkVersionBumps(report, discovery, ctx) {
    const base = discovery.base;
    if (!base)
        return;
    const { findVersionBumpProblems } = await __webpack_require__.e(/* import() */ 299).then(__webpack_require__.bind(__webpack_require__, 52299));
    const problems = await findVersionBumpProblems({
        workspace: ctx.workspace,
        charts: report.charts.map((c) => c.path),
        base,
        runner: ctx.runner,
        logger: ctx.logger,
    });
    for (const problem of problems) {
        const outcome = report.charts.find((c) => problem.file === (c.path === '.' ? 'Chart.yaml' : `${c.path}/Chart.yaml`));
        ctx.logger.error(problem.message, { file: problem.file, line: problem.line, title: 'Version not bumped' });
        if (outcome) {
            const earlier = outcome.status === 'failed' ? outcome.reason : undefined;
            outcome.status = 'failed';
            outcome.reason = earlier ? `${earlier}; ${problem.toString()}` : problem.toString();
        }
    }
}
/** An unusable output-dir is the input's problem, said before any chart is packaged. */
async function prepareOutputDir(dir) {
    try {
        await (0,promises_.mkdir)(dir, { recursive: true });
    }
    catch (error) {
        throw new shared_errors/* InputError */.dz('output-dir', `cannot create ${dir} (${error.code ?? (0,shared_errors/* describeError */.Uc)(error)}): give a writable folder`);
    }
}
async function readPayload(path) {
    if (!path)
        return {};
    try {
        return JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
    }
    catch (error) {
        throw new shared_errors/* DomainError */.Jk(`cannot read the event payload ${path}: ${(0,shared_errors/* describeError */.Uc)(error)}`, { cause: error });
    }
}


/***/ }),

/***/ 22559:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cJ: () => (/* binding */ sameRegistry),
/* harmony export */   gT: () => (/* binding */ noCredentials),
/* harmony export */   ss: () => (/* binding */ createCredentialResolver)
/* harmony export */ });
/* unused harmony exports helmRegistryConfigPath, dockerConfigPath */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(87371);
/* harmony import */ var _registry_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(77753);





/** An empty resolver, for anonymous access. */
const noCredentials = {
    resolve: () => Promise.resolve(undefined),
    describe: () => 'no credential sources configured',
};
// Docker Hub's credentials are filed under its legacy index address (helm-oci.md 3.11).
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'registry-1.docker.io', 'index.docker.io']);
const DOCKER_HUB_SERVER_ADDRESS = 'https://index.docker.io/v1/';
// docker-credential-helpers' `credentials.ErrCredentialsNotFound` text: "not found", not a failure.
const HELPER_NOT_FOUND = /credentials not found/i;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// A helper answers from a local store or a short network call; one that waits longer is stuck
// (e.g. a keychain prompt nobody can answer on a runner).
const HELPER_TIMEOUT_MS = 60_000;
/** `$HELM_REGISTRY_CONFIG`, else the registry config under Helm's config home (helm-oci.md 3.11). */
function helmRegistryConfigPath(env, homeDir) {
    if (env.HELM_REGISTRY_CONFIG)
        return env.HELM_REGISTRY_CONFIG;
    const configHome = env.HELM_CONFIG_HOME || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.XDG_CONFIG_HOME || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(homeDir, '.config'), 'helm');
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(configHome, 'registry', 'config.json');
}
/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (helm-oci.md 3.11). */
function dockerConfigPath(env, homeDir) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.DOCKER_CONFIG || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(homeDir, '.docker'), 'config.json');
}
/** The key Docker-format stores file a host's credentials under. */
function serverAddressFor(host) {
    return DOCKER_HUB_HOSTS.has(host.toLowerCase()) ? DOCKER_HUB_SERVER_ADDRESS : host.toLowerCase();
}
/**
 * Credential sources in order (helm-oci.md 3.11, plus the GitHub token): the explicit
 * username/password for the target host, Helm's registry config, Docker's config, and for
 * ghcr.io the workflow's GitHub token. The first source with a credential wins; a source that
 * fails (bad JSON, a helper that errors) stops the lookup with an error naming it, as oras does.
 */
function createCredentialResolver(options) {
    const { env, homeDir, logger } = options;
    const helmPath = () => helmRegistryConfigPath(env, homeDir);
    const dockerPath = () => dockerConfigPath(env, homeDir);
    const explicitSource = options.explicit?.source ?? 'the username/password inputs';
    function found(credential) {
        for (const secret of [credential.password, credential.identityToken, credential.registryToken]) {
            if (secret)
                logger.mask(secret);
        }
        logger.debug(`credentials for the registry: using ${credential.source}`);
        return credential;
    }
    const explicitFor = (host) => {
        const explicit = options.explicit;
        return explicit && explicit.username && explicit.password && sameRegistry(explicit.host, host) ? explicit : undefined;
    };
    const githubTokenFor = (host) => (host.toLowerCase() === 'ghcr.io' ? options.githubToken || undefined : undefined);
    async function lookUp(host) {
        const explicit = explicitFor(host);
        if (explicit)
            return found({ username: explicit.username, password: explicit.password, source: explicitSource });
        for (const [label, path] of [
            ['Helm registry config', helmPath()],
            ['Docker config', dockerPath()],
        ]) {
            const credential = await fromConfigFile(`${label} ${path}`, path, host, options);
            if (credential)
                return found(credential);
            logger.debug(`credentials for ${host}: none in ${label} ${path}`);
        }
        const githubToken = githubTokenFor(host);
        if (githubToken) {
            const username = options.githubActor || 'x-access-token';
            return found({ username, password: githubToken, source: `the github-token input (user "${username}")` });
        }
        return undefined;
    }
    // One lookup per host for the resolver's life: every registry client of a run asks, and each
    // lookup reads the config files and may run a credential helper. A failure is kept too: the
    // same broken store would fail the same way.
    const lookups = new Map();
    return {
        describe(host) {
            const places = [];
            if (explicitFor(host))
                places.push(explicitSource);
            places.push(`Helm registry config ${helmPath()}`, `Docker config ${dockerPath()}`);
            if (githubTokenFor(host))
                places.push('the github-token input');
            return places.join(', ');
        },
        resolve(host) {
            const key = host.toLowerCase();
            let lookup = lookups.get(key);
            if (!lookup) {
                lookup = lookUp(host);
                lookups.set(key, lookup);
            }
            return lookup;
        },
    };
}
async function fromConfigFile(store, path, host, options) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(store, `cannot be read: ${error.message}`, { cause: error });
    }
    // oras tolerates an empty file (helm-oci.md 3.11): `helm registry logout` can leave one behind.
    if (!text.trim())
        return undefined;
    let config;
    try {
        config = JSON.parse(text);
    }
    catch {
        // Not JSON.parse's message, nor the error as cause: V8 quotes the text around the fault,
        // which here is a base64 `auth` or a token. The position is all the reader needs.
        const at = (0,_shared_json_syntax_js__WEBPACK_IMPORTED_MODULE_3__/* .jsonSyntaxErrorPosition */ .X)(text);
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(store, `is not valid JSON${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}; fix or remove the file`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(store, 'must contain a JSON object with "auths", "credHelpers" or "credsStore"');
    }
    const serverAddress = serverAddressFor(host);
    const helper = config.credHelpers?.[serverAddress] ?? config.credHelpers?.[host] ?? config.credsStore;
    if (helper)
        return fromHelper(store, helper, serverAddress, options);
    return fromAuths(store, config.auths ?? {}, host, serverAddress, options.logger);
}
function fromAuths(store, auths, host, serverAddress, logger) {
    const wanted = host.toLowerCase();
    const key = [serverAddress, host].find((candidate) => auths[candidate] !== undefined) ??
        Object.keys(auths).find((candidate) => {
            const keyHost = hostPartOf(candidate);
            return keyHost === wanted || (DOCKER_HUB_HOSTS.has(wanted) && DOCKER_HUB_HOSTS.has(keyHost));
        });
    const entry = key === undefined ? undefined : auths[key];
    if (key === undefined || !entry)
        return undefined;
    const where = `${store} (auths["${key}"])`;
    let { username, password } = entry;
    if (entry.auth) {
        logger.mask(entry.auth);
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
            throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, '"auth" must be the base64 of "username:password"');
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    const credential = { source: where };
    if (username)
        credential.username = username;
    if (password)
        credential.password = password;
    if (entry.identitytoken)
        credential.identityToken = entry.identitytoken;
    if (entry.registrytoken)
        credential.registryToken = entry.registrytoken;
    return credential.password || credential.identityToken || credential.registryToken ? credential : undefined;
}
async function fromHelper(store, name, serverAddress, options) {
    const program = `docker-credential-${name}`;
    const where = `credential helper ${program} (configured in ${store})`;
    if (!HELPER_NAME.test(name))
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, 'the helper name may only contain letters, digits, ".", "_" and "-"');
    const executable = await findOnPath(program, options.env.PATH ?? '');
    if (!executable)
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, `${program} was not found on PATH; install it or remove it from the config`);
    const env = {};
    for (const [key, value] of Object.entries(options.env))
        if (value !== undefined)
            env[key] = value;
    const result = await options.processRunner.run(executable, ['get'], {
        input: serverAddress,
        env,
        timeoutMs: options.helperTimeoutMs ?? HELPER_TIMEOUT_MS,
    });
    // Not started, stopped at its time limit, or flooding its output: the runner's words name the helper.
    if (result.failure)
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, `${result.failure}; run "echo ${serverAddress} | ${program} get" to see why`);
    if (result.exitCode !== 0) {
        if (HELPER_NOT_FOUND.test(result.stdout) || HELPER_NOT_FOUND.test(result.stderr))
            return undefined;
        // The helper's output is never shown: what it prints can be the credential itself.
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, `"${program} get" exited with code ${result.exitCode}; its output is not shown because it may contain credentials: ` +
            `run "echo ${serverAddress} | ${program} get" to see it`);
    }
    const answer = helperAnswer(result.stdout);
    if (!answer)
        throw new _registry_error_js__WEBPACK_IMPORTED_MODULE_4__/* .CredentialError */ .oA(where, `"${program} get" did not print JSON with ServerURL, Username and Secret`);
    const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
    const username = typeof answer.Username === 'string' ? answer.Username : '';
    if (!secret)
        return undefined;
    options.logger.mask(secret);
    // docker-credential-helpers convention: the user `<token>` marks the secret as an identity token.
    if (username === '<token>')
        return { identityToken: secret, source: where };
    return { ...(username ? { username } : {}), password: secret, source: where };
}
/** The helper's JSON object; undefined for anything else. No error is kept: JSON.parse's quotes the output, secret included. */
function helperAnswer(stdout) {
    try {
        const parsed = JSON.parse(stdout);
        return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
async function findOnPath(program, pathVariable) {
    for (const dir of pathVariable.split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter)) {
        if (!dir)
            continue;
        const candidate = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, program);
        try {
            if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(candidate)).isFile()) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(candidate, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
                return candidate;
            }
        }
        catch {
            // Not in this directory (or not executable): keep looking, like a shell does.
        }
    }
    return undefined;
}
/** `https://host:port/v1/` \u2192 `host:port`, lowercase; keys without scheme or path stay as they are. */
function hostPartOf(key) {
    const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    return (withoutScheme.split('/')[0] ?? '').toLowerCase();
}
/**
 * True when two host[:port] names address one registry's credentials: case aside, and Docker
 * Hub's names (`docker.io`, `registry-1.docker.io`, `index.docker.io`) as one (helm-oci.md 3.11).
 */
function sameRegistry(a, b) {
    return serverAddressFor(a) === serverAddressFor(b);
}


/***/ }),

/***/ 68825:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   V7: () => (/* binding */ assertDigest),
/* harmony export */   _j: () => (/* binding */ matchesDigest),
/* harmony export */   m: () => (/* binding */ parseDigest),
/* harmony export */   sI: () => (/* binding */ sha256Digest)
/* harmony export */ });
/* unused harmony export digestOf */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);

/**
 * Digests as image-spec `descriptor.md#digests` defines them: `algorithm:encoded`. Only the two
 * registered algorithms whose encoded form is fixed-length lowercase hex are accepted, because a
 * digest we cannot recompute is a digest we cannot verify.
 */
const HEX_LENGTH = { sha256: 64, sha512: 128 };
/** Parses `sha256:<64 hex>` / `sha512:<128 hex>`; undefined for anything else. */
function parseDigest(text) {
    const colon = text.indexOf(':');
    if (colon < 0)
        return undefined;
    const algorithm = text.slice(0, colon);
    const hex = text.slice(colon + 1);
    if (algorithm !== 'sha256' && algorithm !== 'sha512')
        return undefined;
    if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex))
        return undefined;
    return { algorithm, hex };
}
function isDigest(text) {
    return parseDigest(text) !== undefined;
}
/** Throws a message that shows the expected form; `what` names the value for the reader. */
function assertDigest(text, what = 'digest') {
    const parsed = parseDigest(text);
    if (!parsed) {
        throw new TypeError(`Invalid ${what} "${text}": expected "sha256:" followed by 64 lowercase hex characters`);
    }
    return parsed;
}
/** `sha256:<hex>` of the bytes: the digest every blob and manifest we write is addressed by. */
function sha256Digest(bytes) {
    return digestOf(bytes, 'sha256');
}
function digestOf(bytes, algorithm) {
    return `${algorithm}:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** True when the bytes hash to the given digest (computed with the digest's own algorithm). */
function matchesDigest(bytes, digest) {
    const parsed = parseDigest(digest);
    return parsed !== undefined && digestOf(bytes, parsed.algorithm) === digest;
}


/***/ }),

/***/ 29217:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $T: () => (/* binding */ MANIFEST_MEDIA_TYPES),
/* harmony export */   X9: () => (/* binding */ BLOB_UPLOAD_CONTENT_TYPE),
/* harmony export */   k_: () => (/* binding */ OCI_MANIFEST_MEDIA_TYPE)
/* harmony export */ });
/**
 * Manifest media types a registry may answer with. Sent as the Accept list on every manifest
 * request, in the order and joining Helm's oras-go client uses (helm-oci.md 3.8 step 1).
 * Distribution 2.8 answers 404 MANIFEST_UNKNOWN for an OCI manifest unless its type is listed
 * here (registry-testbed.md \u00a72), so the list is not optional.
 */
const MANIFEST_MEDIA_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.artifact.manifest.v1+json',
];
/** The OCI image manifest type (helm-oci.md 3.1): Content-Type of a chart manifest PUT. */
const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** Blobs go up as opaque bytes; their media type only lives in descriptors (helm-oci.md 3.1). */
const BLOB_UPLOAD_CONTENT_TYPE = 'application/octet-stream';


/***/ }),

/***/ 62148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DD: () => (/* binding */ assertTag),
/* harmony export */   G4: () => (/* binding */ parseOciNamespace),
/* harmony export */   Mb: () => (/* binding */ registryApiHost),
/* harmony export */   Wo: () => (/* binding */ assertRegistry),
/* harmony export */   ZV: () => (/* binding */ assertRepository),
/* harmony export */   d: () => (/* binding */ isValidRepository),
/* harmony export */   eR: () => (/* binding */ ociNamespaceText),
/* harmony export */   r_: () => (/* binding */ isValidTag),
/* harmony export */   vt: () => (/* binding */ repositoryUnder)
/* harmony export */ });
/* unused harmony exports InvalidReferenceError, isValidRegistry */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);

/** A reference, repository, tag or registry that does not follow the grammar. */
class InvalidReferenceError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
    reference;
    constructor(reference, message) {
        super(`Invalid reference "${reference}": ${message}`);
        this.reference = reference;
    }
}
// distribution/reference grammar as quoted in helm-oci.md 3.5 step 4: lowercase path components
// separated by `/`, each made of alphanumerics joined by `.`, `_`, `__` or runs of `-`.
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$/;
// helm-oci.md 3.5 step 4: tag = one word character, then up to 127 word characters, `.` or `-`.
const TAG = /^[\w][\w.-]{0,127}$/;
// A registry is what survives `url.ParseRequestURI("dummy://" + registry)` unchanged as the URL
// host (helm-oci.md 3.5 step 4): a DNS name, an IPv4 literal or a bracketed IPv6 literal, with an
// optional numeric port.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
function isValidRepository(repository) {
    return REPOSITORY.test(repository);
}
function isValidTag(tag) {
    return TAG.test(tag);
}
function isValidRegistry(registry) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(registry);
    if (!match)
        return false;
    const [, host = '', port] = match;
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        return false;
    return HOST_NAME.test(host) || IPV6_LITERAL.test(host);
}
/** Throws InvalidReferenceError unless `repository` is a lowercase repository path. */
function assertRepository(repository) {
    if (!isValidRepository(repository)) {
        throw new InvalidReferenceError(repository, 'invalid repository: expected lowercase path components of letters and digits separated by "/", ' +
            'joined inside a component by ".", "_", "__" or "-" (e.g. "acme/charts/demo")');
    }
}
/** Throws InvalidReferenceError unless `tag` matches `^[\w][\w.-]{0,127}$`. */
function assertTag(tag) {
    if (!isValidTag(tag)) {
        throw new InvalidReferenceError(tag, 'invalid tag: expected 1 to 128 characters of letters, digits, "_", "." or "-", not starting with "." or "-" ' +
            '(a "+" in a version must be written as "_")');
    }
}
/** Throws InvalidReferenceError unless `registry` is host[:port]. */
function assertRegistry(registry) {
    if (!isValidRegistry(registry)) {
        throw new InvalidReferenceError(registry, 'invalid registry: expected a host name or IP address with an optional port, without scheme or path ' +
            '(e.g. "ghcr.io" or "127.0.0.1:5000")');
    }
}
/**
 * Parses `oci://host[:port][/namespace]`, the form Helm takes for a push target and a dependency
 * repository, to which `/<chart name>:<tag>` is appended (HIP-6; helm-oci.md \u00a73.5). As Helm's
 * path.Join, empty path segments ("//", a trailing "/") are dropped. Refused: another scheme or
 * none, credentials, a digest, a tag on the last segment, an invalid or missing host, an invalid
 * namespace.
 */
function parseOciNamespace(text) {
    if (!text.startsWith('oci://'))
        return { ok: false, problem: 'scheme' };
    const [registry = '', ...path] = text.slice('oci://'.length).split('/');
    if (registry.includes('@'))
        return { ok: false, problem: 'credentials' };
    if (path.some((p) => p.includes('@')))
        return { ok: false, problem: 'digest' };
    if (!isValidRegistry(registry))
        return { ok: false, problem: 'registry', registry };
    const parts = path.filter((p) => p !== '');
    const last = parts.at(-1) ?? '';
    const colon = last.indexOf(':');
    if (colon >= 0) {
        const untagged = `oci://${[registry, ...parts.slice(0, -1), last.slice(0, colon)].filter((p) => p !== '').join('/')}`;
        return { ok: false, problem: 'tag', tag: last.slice(colon + 1), untagged };
    }
    const namespace = parts.join('/');
    if (namespace !== '' && !isValidRepository(namespace))
        return { ok: false, problem: 'namespace', registry, namespace };
    return { ok: true, registry, namespace };
}
/** `oci://host[:port][/namespace]`, the text parseOciNamespace reads. */
function ociNamespaceText(namespace) {
    return `oci://${[namespace.registry, namespace.namespace].filter(Boolean).join('/')}`;
}
/** `host[:port]/[namespace/]name`: the repository Helm uses for chart `name` under the namespace (HIP-6). */
function repositoryUnder(namespace, name) {
    return [namespace.registry, namespace.namespace, name].filter(Boolean).join('/');
}
/**
 * The host the distribution API is served from: Docker Hub's name `docker.io` is contacted as
 * `registry-1.docker.io` (helm-oci.md 3.5 step 4).
 */
function registryApiHost(registry) {
    return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}


/***/ }),

/***/ 863:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bP: () => (/* binding */ RegistryClient),
  n0: () => (/* binding */ indexManifests)
});

// UNUSED EXPORTS: Repository

// EXTERNAL MODULE: ./src/shared/clock.ts
var clock = __webpack_require__(66103);
// EXTERNAL MODULE: ./src/shared/logger.ts
var logger = __webpack_require__(64381);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
// EXTERNAL MODULE: ./src/oci/registry-error.ts
var registry_error = __webpack_require__(77753);
// EXTERNAL MODULE: ./src/oci/transport-error.ts
var transport_error = __webpack_require__(42711);
;// CONCATENATED MODULE: ./src/oci/scope.ts
/**
 * Token scopes as the distribution token spec writes them (`docs/spec/auth/scope.md`):
 * `resourcetype:resourcename:action[,action\u2026]`, several scopes space-separated.
 */
/** `repository:<name>:<actions>` with the actions sorted, e.g. `repository:charts/demo:pull,push`. */
function repositoryScope(repository, actions) {
    return `repository:${repository}:${[...new Set(actions)].sort().join(',')}`;
}
/**
 * Merges scope lists the way oras-go does (helm-oci.md 3.9): one entry per resource with the
 * union of its actions, actions sorted, `*` absorbing the others, scopes sorted. The result is
 * both what we ask the token service for and the cache key of the token it gives.
 */
function mergeScopes(...lists) {
    const actionsByResource = new Map();
    const opaque = new Set();
    for (const scope of lists.flat()) {
        const first = scope.indexOf(':');
        const last = scope.lastIndexOf(':');
        if (first <= 0 || last <= first + 1) {
            if (scope)
                opaque.add(scope);
            continue;
        }
        const resource = scope.slice(0, last);
        const actions = actionsByResource.get(resource) ?? new Set();
        for (const action of scope.slice(last + 1).split(','))
            if (action)
                actions.add(action);
        actionsByResource.set(resource, actions);
    }
    const merged = [...opaque];
    for (const [resource, actions] of actionsByResource) {
        const list = actions.has('*') ? ['*'] : [...actions].sort();
        if (list.length)
            merged.push(`${resource}:${list.join(',')}`);
    }
    return merged.sort();
}
/** Splits the space-separated `scope` parameter of a Bearer challenge. */
function parseScopeParameter(value) {
    return value ? value.split(' ').filter(Boolean) : [];
}
/** True when every action of every scope in `wanted` is granted by some scope in `held`. */
function scopesCover(held, wanted) {
    const merged = mergeScopes(held);
    return mergeScopes(merged, wanted).every((scope) => merged.includes(scope));
}

;// CONCATENATED MODULE: ./src/oci/www-authenticate.ts
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const PARAM = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*(.*)$/s;
const SCHEME_AND_REST = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+(.*)$/s;
/**
 * Parses `WWW-Authenticate` (RFC 9110 11.6.1): several challenges, each with a token68 or
 * comma-separated `name=value` parameters, values as tokens or quoted strings. Headers that
 * fetch joined with ", " parse the same way. Malformed pieces are skipped, never thrown on:
 * the caller decides what an unusable challenge means.
 */
function parseWwwAuthenticate(header) {
    if (!header)
        return [];
    const challenges = [];
    let current;
    for (const raw of splitTopLevel(header)) {
        const item = raw.trim();
        if (!item)
            continue;
        const param = PARAM.exec(item);
        // `name=value` continues the current challenge; `Scheme rest` or a bare `Scheme` opens one.
        if (param && current) {
            addParam(current, param[1] ?? '', param[2] ?? '');
            continue;
        }
        const opened = SCHEME_AND_REST.exec(item);
        if (opened) {
            current = { scheme: (opened[1] ?? '').toLowerCase(), params: {} };
            challenges.push(current);
            const rest = (opened[2] ?? '').trim();
            const first = PARAM.exec(rest);
            // `Basic dXNlcg==` is a token68, not a parameter named dXNlcg with the value "=".
            if (TOKEN68.test(rest) && !(first && /[^=]/.test(first[2] ?? '')))
                current.token68 = rest;
            else if (first)
                addParam(current, first[1] ?? '', first[2] ?? '');
        }
        else if (TOKEN.test(item)) {
            current = { scheme: item.toLowerCase(), params: {} };
            challenges.push(current);
        }
    }
    return challenges;
}
function addParam(challenge, name, rawValue) {
    const value = rawValue.trim();
    const parsed = value.startsWith('"') ? unquote(value) : value;
    // Unquoted values should be tokens; servers that write a bare URL are accepted too.
    if (parsed === undefined || (!value.startsWith('"') && !/^[^\s"]+$/.test(value)))
        return;
    challenge.params[name.toLowerCase()] = parsed;
}
/** The content of a quoted-string (RFC 9110 5.6.4), undefined when it is not one. */
function unquote(value) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
        const ch = value[i];
        if (ch === '\\') {
            i++;
            out += value[i] ?? '';
        }
        else if (ch === '"') {
            return value.slice(i + 1).trim() === '' ? out : undefined;
        }
        else {
            out += ch;
        }
    }
    return undefined;
}
/** Splits on commas that are outside quoted strings. */
function splitTopLevel(header) {
    const parts = [];
    let start = 0;
    let quoted = false;
    for (let i = 0; i < header.length; i++) {
        const ch = header[i];
        if (quoted && ch === '\\')
            i++;
        else if (ch === '"')
            quoted = !quoted;
        else if (ch === ',' && !quoted) {
            parts.push(header.slice(start, i));
            start = i + 1;
        }
    }
    parts.push(header.slice(start));
    return parts;
}

;// CONCATENATED MODULE: ./src/oci/auth.ts





// distribution `docs/spec/auth/token.md`: "expires_in \u2026 defaults to 60 seconds".
const DEFAULT_TOKEN_LIFETIME_S = 60;
// oras-go caps token responses at 128 KiB (helm-oci.md 3.9); a token service has no reason to send more.
const MAX_TOKEN_RESPONSE_BYTES = 128 * 1024;
const MAX_AUTH_ROUNDS = 4;
/**
 * Answers registry challenges (helm-oci.md 3.9): anonymous first; on 401, Basic (then sent
 * pre-emptively to that origin) or Bearer tokens from the challenge's realm, cached per origin,
 * realm, service and scope set until they expire. Once an origin is known to want Bearer, a
 * token for a new scope set is fetched before the first request that needs it, which saves
 * the 401 round trip per repository.
 *
 * Credentials are resolved lazily, at the first challenge of an origin, and every secret \u2014
 * the Basic header value, each token \u2014 goes to `logger.mask` as soon as it exists.
 */
class RegistryAuth {
    origins = new Map();
    tokens = new Map();
    options;
    constructor(options) {
        // Every exchange here is with a registry or its token service: failures are RegistryErrors.
        this.options = { ...options, transport: (0,registry_error/* registryTransport */.Hy)(options.transport) };
    }
    /**
     * Sends `request` with whatever authorization its origin needs for `scopes` (the token scopes
     * the request would need on a Bearer registry, e.g. `repository:charts/demo:pull,push`).
     * Returns every response except a 401 that credentials could answer; throws a RegistryError
     * when the credentials are missing, rejected or not allowed to do this.
     */
    async send(request, scopes) {
        const state = this.stateFor(request.url.origin);
        // Only one request learns how an origin authenticates; the others wait for its answer
        // instead of each collecting the same 401 (a run pushes several charts at once).
        let endProbe;
        if (!state.probed) {
            if (state.probe)
                await state.probe;
            else
                state.probe = new Promise((resolve) => (endProbe = resolve));
        }
        try {
            return await this.exchange(state, request, scopes, () => {
                state.probed = true;
                endProbe?.();
            });
        }
        finally {
            state.probed = true;
            endProbe?.();
        }
    }
    async exchange(state, request, scopes, learned) {
        let wanted = mergeScopes(scopes);
        let retriedCachedToken = false;
        for (let round = 0; round < MAX_AUTH_ROUNDS; round++) {
            const sent = await this.authorize(state, request.url, wanted);
            const headers = { ...request.headers, ...(sent.header ? { authorization: sent.header } : {}) };
            const response = await this.options.transport.send({ ...request, headers });
            // A 401 from another origin (after a redirect) is not ours to answer with these credentials.
            if (response.status !== 401 || response.leftOrigin) {
                learned();
                return response;
            }
            const challenge = pickChallenge(parseWwwAuthenticate(response.headers.get('www-authenticate')));
            if (!challenge) {
                throw (0,registry_error/* responseError */.U3)('The registry answered 401 without a Basic or Bearer challenge', request.method, response, {
                    diagnosis: 'It cannot be authenticated against with the OCI distribution protocol',
                });
            }
            if (challenge.scheme === 'basic') {
                if (sent.kind === 'basic')
                    throw this.rejected(request, response, state);
                this.options.logger.debug(`auth: ${request.url.host} asks for Basic credentials`);
                state.scheme = 'basic';
                state.basicHeader = await this.basicHeader(state, request, response);
                learned();
                continue;
            }
            const realm = this.validateRealm(challenge.params.realm, request, response);
            const service = challenge.params.service || undefined;
            if (state.realm?.href !== realm.href || state.service !== service) {
                this.options.logger.debug(`auth: ${request.url.host} asks for a Bearer token (realm ${(0,transport_error/* describeUrl */.Ng)(realm)}` +
                    `${service ? `, service ${service}` : ''}${challenge.params.scope ? `, scope ${challenge.params.scope}` : ''})`);
            }
            state.scheme = 'bearer';
            state.realm = realm;
            state.service = service;
            learned();
            const asked = mergeScopes(wanted, parseScopeParameter(challenge.params.scope));
            if (sent.kind === 'bearer' && sent.scopes && scopesCover(sent.scopes, asked)) {
                // The token we sent should have been enough for this request.
                if (challenge.params.error === 'insufficient_scope')
                    throw this.insufficientScope(request, response, asked, sent.token);
                if (sent.fromCache && sent.cacheKey && !retriedCachedToken) {
                    this.options.logger.debug('auth: the registry refused a cached token; fetching a new one');
                    this.tokens.delete(sent.cacheKey);
                    retriedCachedToken = true;
                    continue;
                }
                throw this.rejected(request, response, state, sent.token);
            }
            wanted = asked;
        }
        throw new registry_error/* RegistryError */.gl('Authentication with the registry did not settle', {
            method: request.method,
            url: (0,transport_error/* describeUrl */.Ng)(request.url),
            status: 401,
        });
    }
    /**
     * The actions of `scope` (e.g. `repository:charts/demo:pull,push`) that the last token for its
     * repository is known not to grant: a token service grants what the account may do and
     * silently drops the rest, so a pull-only account gets a token that reads fine and fails only
     * at the first upload. Empty when everything was granted, or when it cannot be told (Basic
     * auth, no auth, an opaque token).
     */
    refusedActions(url, scope) {
        const last = scope.lastIndexOf(':');
        const first = scope.indexOf(':');
        const granted = this.origins.get(url.origin)?.granted?.get(scope.slice(first + 1, last));
        if (!granted || granted.has('*'))
            return [];
        return scope
            .slice(last + 1)
            .split(',')
            .filter((action) => action && !granted.has(action));
    }
    recordGrant(state, scopes, token) {
        const access = jwtAccess(token);
        if (!access)
            return;
        state.granted ??= new Map();
        for (const scope of scopes) {
            if (!scope.startsWith('repository:'))
                continue;
            const name = scope.slice('repository:'.length, scope.lastIndexOf(':'));
            const entry = access.filter((a) => a.type === 'repository' && a.name === name).flatMap((a) => a.actions);
            state.granted.set(name, new Set(entry));
        }
    }
    /** Source of the credentials sent to this origin (for diagnoses); undefined when anonymous. */
    credentialSource(url) {
        return this.origins.get(url.origin)?.sentCredentialSource;
    }
    stateFor(origin) {
        let state = this.origins.get(origin);
        if (!state) {
            state = {};
            this.origins.set(origin, state);
        }
        return state;
    }
    credential(state, host) {
        state.credential ??= this.options.credentials.resolve(host);
        return state.credential;
    }
    async authorize(state, url, scopes) {
        if (state.scheme === 'basic' && state.basicHeader)
            return { kind: 'basic', header: state.basicHeader };
        if (state.scheme !== 'bearer' || !state.realm)
            return { kind: 'none' };
        const key = [url.origin, state.realm.href, state.service ?? '', scopes.join(' ')].join('\n');
        const cached = this.tokens.get(key);
        if (cached) {
            const token = await cached.catch(() => undefined);
            if (token && token.expiresAt > this.options.clock.now()) {
                this.options.logger.debug(`auth: using the cached token for ${scopes.join(' ')}`);
                return { kind: 'bearer', header: `Bearer ${token.value}`, scopes, token, cacheKey: key, fromCache: true };
            }
            this.tokens.delete(key);
        }
        const pending = this.fetchToken(state, url, state.realm, scopes);
        this.tokens.set(key, pending);
        pending.catch(() => this.tokens.delete(key));
        const token = await pending;
        return { kind: 'bearer', header: `Bearer ${token.value}`, scopes, token, cacheKey: key, fromCache: false };
    }
    async basicHeader(state, request, response) {
        const credential = await this.credential(state, request.url.host);
        if (!credential)
            throw this.missing(request, response);
        if (!credential.username || !credential.password) {
            throw (0,registry_error/* responseError */.U3)(`The registry asks for a username and password, but ${credential.source} holds a token`, request.method, response, {
                diagnosis: `Provide a username and password for ${request.url.host}`,
            });
        }
        const encoded = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
        this.options.logger.mask(encoded);
        state.sentCredentialSource = credential.source;
        this.options.logger.debug(`auth: sending Basic credentials from ${credential.source} to ${request.url.host} from now on`);
        return `Basic ${encoded}`;
    }
    async fetchToken(state, registryUrl, realm, scopes) {
        const { logger, clock, transport } = this.options;
        const credential = await this.credential(state, registryUrl.host);
        const scopeText = scopes.join(' ') || '(no scope)';
        if (credential?.registryToken) {
            logger.debug(`auth: using the registry token from ${credential.source} for ${scopeText}`);
            state.sentCredentialSource = credential.source;
            return { value: credential.registryToken, expiresAt: Number.POSITIVE_INFINITY, credentialSource: credential.source };
        }
        let request;
        if (credential?.identityToken) {
            // distribution `docs/spec/auth/oauth.md`: a refresh token is exchanged by POSTing a form.
            const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken });
            if (state.service)
                form.set('service', state.service);
            form.set('client_id', this.options.clientId ?? 'oci-chart-publish');
            if (scopes.length)
                form.set('scope', scopes.join(' '));
            request = {
                method: 'POST',
                url: realm,
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: new TextEncoder().encode(form.toString()),
                maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES,
            };
            logger.debug(`auth: fetching a token for ${scopeText} from ${(0,transport_error/* describeUrl */.Ng)(realm)} (POST, refresh token from ${credential.source})`);
        }
        else {
            // distribution `docs/spec/auth/token.md`: GET realm?scope=\u2026&service=\u2026, Basic when we have a user.
            const url = new URL(realm);
            for (const scope of scopes)
                url.searchParams.append('scope', scope);
            if (state.service)
                url.searchParams.append('service', state.service);
            const headers = {};
            if (credential?.username || credential?.password) {
                const encoded = Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`).toString('base64');
                logger.mask(encoded);
                headers.authorization = `Basic ${encoded}`;
            }
            request = { method: 'GET', url, headers, maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES };
            logger.debug(`auth: fetching a token for ${scopeText} from ${(0,transport_error/* describeUrl */.Ng)(realm)} ` +
                `(GET, ${headers.authorization ? `credentials from ${credential?.source}` : 'anonymous'})`);
        }
        if (credential)
            state.sentCredentialSource = credential.source;
        const response = await transport.send(request);
        if (response.status !== 200) {
            const who = credential ? `the credentials from ${credential.source}` : 'anonymous access';
            throw (0,registry_error/* responseError */.U3)(`The token service refused ${who}`, request.method, response, {
                diagnosis: response.status === 401 || response.status === 403
                    ? credential
                        ? `Check ${credential.source}: the token service rejected them`
                        : `No credentials were found for ${registryUrl.host} (looked in ${this.options.credentials.describe(registryUrl.host)})`
                    : undefined,
            });
        }
        const token = this.parseTokenResponse(response, request);
        logger.debug(`auth: got a token for ${scopeText}, valid for ${Math.round((token.expiresAt - clock.now()) / 1000)} s`);
        this.recordGrant(state, scopes, token.value);
        return { ...token, credentialSource: credential?.source };
    }
    parseTokenResponse(response, request) {
        let parsed;
        try {
            parsed = JSON.parse(new TextDecoder().decode(response.body));
        }
        catch {
            // No cause: JSON.parse's message quotes the body, which is where the token would be.
            throw new registry_error/* RegistryError */.gl('The token service answered something other than JSON', {
                method: request.method,
                url: (0,transport_error/* describeUrl */.Ng)(response.url),
                status: response.status,
            });
        }
        // distribution `docs/spec/auth/token.md`: `access_token` is the OAuth2 name; `token` the legacy one.
        const value = typeof parsed.access_token === 'string' && parsed.access_token ? parsed.access_token : parsed.token;
        if (typeof value !== 'string' || !value) {
            throw new registry_error/* RegistryError */.gl('The token service answered without "access_token" or "token"', {
                method: request.method,
                url: (0,transport_error/* describeUrl */.Ng)(response.url),
                status: response.status,
            });
        }
        this.options.logger.mask(value);
        if (typeof parsed.refresh_token === 'string' && parsed.refresh_token)
            this.options.logger.mask(parsed.refresh_token);
        const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_LIFETIME_S;
        // Renew a little early so that a token does not expire between cache lookup and use.
        return { value, expiresAt: this.options.clock.now() + lifetime * 1000 * 0.9 };
    }
    /**
     * The realm receives our credentials, so it must be at least as protected as the registry
     * (helm-oci.md 3.9): https, or http only for a plain-http registry; a loopback or private
     * address only when the registry itself is one.
     */
    validateRealm(raw, request, response) {
        const refuse = (why) => (0,registry_error/* responseError */.U3)(`Refusing the registry's token realm: ${why}`, request.method, response, {
            diagnosis: 'The registry or a proxy in front of it is misconfigured',
        });
        if (!raw)
            throw refuse('the Bearer challenge has no realm');
        let realm;
        try {
            realm = new URL(raw);
        }
        catch {
            throw refuse(`"${raw}" is not a URL`);
        }
        if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && request.url.protocol === 'http:')) {
            throw refuse(`${(0,transport_error/* describeUrl */.Ng)(realm)} does not use https while the registry does`);
        }
        const realmKind = addressKind(realm.hostname);
        const registryKind = addressKind(request.url.hostname);
        if ((realmKind === 'loopback' && registryKind !== 'loopback') || (realmKind === 'private' && registryKind === 'public')) {
            throw refuse(`${(0,transport_error/* describeUrl */.Ng)(realm)} is a ${realmKind} address but the registry is not`);
        }
        return realm;
    }
    missing(request, response) {
        const host = request.url.host;
        return (0,registry_error/* responseError */.U3)(`The registry requires authentication and no credentials were found for ${host}`, request.method, response, {
            diagnosis: `Looked in: ${this.options.credentials.describe(host)}`,
        });
    }
    rejected(request, response, state, token) {
        const source = token ? token.credentialSource : state.sentCredentialSource;
        if (!source)
            return this.missing(request, response);
        return (0,registry_error/* responseError */.U3)(`The registry rejected the credentials from ${source}`, request.method, response, {
            diagnosis: `Check ${source}: the username, password or token is wrong or has expired`,
        });
    }
    insufficientScope(request, response, scopes, token) {
        const who = token?.credentialSource ? `the credentials from ${token.credentialSource}` : 'anonymous access';
        return (0,registry_error/* responseError */.U3)(`The registry refused ${who}: insufficient_scope for ${scopes.join(' ')}`, request.method, response, {
            diagnosis: request.url.hostname === 'ghcr.io'
                ? 'On ghcr.io the workflow needs "permissions: packages: write" and the package must be linked to this repository'
                : `The account is not granted ${scopes.map(describeScope).join(' and ')}`,
            ...(token?.credentialSource ? { credentialSource: token.credentialSource } : {}),
        });
    }
}
/**
 * The `access` claim of a JWT bearer token, read without verifying it: only to tell the user
 * early that the token lacks an action, never to grant anything. Undefined for opaque tokens.
 */
function jwtAccess(token) {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts[1])
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        if (!Array.isArray(claims.access))
            return undefined;
        return claims.access.flatMap((entry) => {
            const { type, name, actions } = (entry ?? {});
            if (typeof type !== 'string' || typeof name !== 'string' || !Array.isArray(actions))
                return [];
            return [{ type, name, actions: actions.filter((a) => typeof a === 'string') }];
        });
    }
    catch {
        return undefined;
    }
}
/** Bearer is preferred when a registry offers both: it never sends the password to the registry. */
function pickChallenge(challenges) {
    return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
/** `repository:charts/demo:pull,push` \u2192 `"pull,push" on repository charts/demo`. */
function describeScope(scope) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first <= 0 || last <= first)
        return scope;
    return `"${scope.slice(last + 1)}" on ${scope.slice(0, first)} ${scope.slice(first + 1, last)}`;
}
function addressKind(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost'))
        return 'loopback';
    const version = (0,external_node_net_.isIP)(host);
    if (version === 4) {
        const [a = 0, b = 0] = host.split('.').map(Number);
        if (a === 127 || a === 0)
            return 'loopback';
        if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254))
            return 'private';
        return 'public';
    }
    if (version === 6) {
        if (host === '::1' || host === '::')
            return 'loopback';
        // IPv4-mapped addresses (WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1).
        const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
        if (mapped?.[1] && mapped[2]) {
            const high = parseInt(mapped[1], 16);
            const low = parseInt(mapped[2], 16);
            return addressKind(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
        }
        if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host))
            return 'private';
    }
    return 'public';
}

// EXTERNAL MODULE: ./src/oci/credentials.ts
var credentials = __webpack_require__(22559);
// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
// EXTERNAL MODULE: ./src/oci/reference.ts
var oci_reference = __webpack_require__(62148);
// EXTERNAL MODULE: ./src/oci/transport.ts + 1 modules
var oci_transport = __webpack_require__(56380);
;// CONCATENATED MODULE: ./src/oci/registry-client.ts











const DEFAULT_TIMEOUT_MS = 60_000;
// oras-go reads at most 4 MiB of a manifest (`defaultMaxMetadataBytes`, registry/remote/utils.go), and
// distribution-spec "Pushing Manifests" lets registries refuse bigger ones; so do we.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
// Above Helm's 100 MiB decompressed-chart limit (helm-oci.md 1.14): no chart blob is larger.
const DEFAULT_MAX_BLOB_BYTES = 128 * 1024 * 1024;
const MAX_TAG_PAGES = 1000;
// Added to the timeout per byte of a transfer: at least 1 MB/s is expected of a registry link.
const TRANSFER_MS_PER_BYTE = 1 / 1000;
/**
 * A client of the OCI distribution API (distribution-spec v1.1, as Helm uses it: helm-oci.md 3.8).
 * It holds the authentication state (challenges, token cache) of every registry it talks to,
 * so one client should serve a whole run. It knows nothing of Helm.
 */
class RegistryClient {
    auth;
    scheme;
    logger;
    timeoutMs;
    constructor(options = {}) {
        this.logger = options.logger ?? logger/* silentLogger */.q;
        this.scheme = options.plainHttp ? 'http' : 'https';
        this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const transport = (0,oci_transport/* createTransport */.o)({
            fetch: options.fetch,
            clock: options.clock,
            logger: this.logger,
            random: options.random,
            retry: options.retry,
            timeoutMs: this.timeoutMs,
            userAgent: `oci-chart-publish/${options.version ?? 'dev'}`,
            onRequest: options.onRequest,
            deadline: options.deadline,
        });
        this.auth = new RegistryAuth({
            transport,
            credentials: options.credentials ?? credentials/* noCredentials */.gT,
            logger: this.logger,
            clock: options.clock ?? clock/* systemClock */.m,
        });
    }
    /** The repository `name` on `registry` (host[:port]); throws InvalidReferenceError for bad names. */
    repository(registry, name, options = {}) {
        (0,oci_reference/* assertRegistry */.Wo)(registry);
        (0,oci_reference/* assertRepository */.ZV)(name);
        const base = new URL(`${this.scheme}://${(0,oci_reference/* registryApiHost */.Mb)(registry)}/v2/${name}/`);
        return new Repository({
            auth: this.auth,
            logger: this.logger,
            base,
            name,
            push: options.push ?? false,
            timeoutMs: this.timeoutMs,
        });
    }
}
/** One repository of a registry; obtained from `RegistryClient.repository`. */
class Repository {
    context;
    constructor(context) {
        this.context = context;
    }
    /** `registry/name`, for messages. */
    get displayName() {
        return `${this.context.base.host}/${this.context.name}`;
    }
    /**
     * HEAD a manifest by tag or digest. Returns its descriptor, or undefined when the registry
     * answers 404. Costs one request unless the registry omits Docker-Content-Digest on HEAD,
     * in which case the manifest is fetched to compute it.
     */
    async headManifest(reference) {
        assertTagOrDigest(reference);
        const response = await this.call({
            method: 'HEAD',
            url: this.url(`manifests/${reference}`),
            headers: { accept: media_types/* MANIFEST_MEDIA_TYPES */.$T.join(', ') },
        });
        if (response.status === 404)
            return undefined;
        if (response.status !== 200)
            throw this.fail(`Cannot check manifest ${this.displayName}:${reference}`, 'HEAD', response);
        const headerDigest = response.headers.get('docker-content-digest') ?? undefined;
        const size = Number(response.headers.get('content-length') ?? Number.NaN);
        const mediaType = contentType(response);
        if ((0,oci_digest/* isDigest */.Bc)(reference) && headerDigest !== undefined && headerDigest !== reference) {
            throw this.fail(`The registry answered for ${headerDigest} when asked for ${reference}`, 'HEAD', response);
        }
        const digest = headerDigest ?? ((0,oci_digest/* isDigest */.Bc)(reference) ? reference : undefined);
        if (digest === undefined || !(0,oci_digest/* parseDigest */.m)(digest) || !Number.isSafeInteger(size) || mediaType === undefined) {
            this.context.logger.debug(`HEAD ${this.displayName}:${reference} gave no usable descriptor; fetching the manifest`);
            return (await this.getManifest(reference)).descriptor;
        }
        return { mediaType, digest, size };
    }
    /**
     * Throws when the token service is known to have refused this repository's push (its token
     * grants pull only): checked after a read, so that a run stops before its first upload
     * rather than at it. Costs no request; says nothing when it cannot be told.
     */
    assertPushGranted() {
        const scope = repositoryScope(this.context.name, ['pull', 'push']);
        const refused = this.context.auth.refusedActions(this.context.base, scope);
        if (!refused.includes('push'))
            return;
        const source = this.context.auth.credentialSource(this.context.base);
        throw new registry_error/* RegistryError */.gl(`The token service did not grant "push" on ${this.displayName} to ${source ? `the credentials from ${source}` : 'anonymous access'}: ` +
            'the token it gave allows reading only', {
            diagnosis: this.context.base.hostname === 'ghcr.io'
                ? 'On ghcr.io the workflow needs "permissions: packages: write" and the package must be linked to this repository'
                : `Grant the account push on repository ${this.context.name}`,
        });
    }
    /** GET a manifest by tag or digest; its bytes are checked against the digest asked for or announced. */
    async getManifest(reference) {
        assertTagOrDigest(reference);
        const response = await this.call({
            method: 'GET',
            url: this.url(`manifests/${reference}`),
            headers: { accept: media_types/* MANIFEST_MEDIA_TYPES */.$T.join(', ') },
            maxResponseBytes: MAX_MANIFEST_BYTES,
        });
        if (response.status !== 200)
            throw this.fail(`Cannot get manifest ${this.displayName}:${reference}`, 'GET', response);
        const bytes = response.body;
        const announced = response.headers.get('docker-content-digest') ?? undefined;
        for (const expected of [(0,oci_digest/* isDigest */.Bc)(reference) ? reference : undefined, announced]) {
            if (expected !== undefined && (0,oci_digest/* parseDigest */.m)(expected) && !(0,oci_digest/* matchesDigest */._j)(bytes, expected)) {
                throw new registry_error/* RegistryError */.gl(`The manifest ${this.displayName}:${reference} does not match its digest ${expected}`, {
                    method: 'GET',
                    url: (0,transport_error/* describeUrl */.Ng)(response.url),
                    status: response.status,
                    diagnosis: 'The registry returned different content than it announced; it may be corrupt or tampered with',
                });
            }
        }
        const digest = (0,oci_digest/* isDigest */.Bc)(reference) ? reference : (0,oci_digest/* sha256Digest */.sI)(bytes);
        const mediaType = contentType(response) ?? mediaTypeField(bytes) ?? 'application/octet-stream';
        return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
    }
    /**
     * PUT a manifest under a tag or its digest. The bytes go up unchanged (the digest is of these
     * bytes); `mediaType` is the Content-Type and must equal the manifest's own `mediaType` field
     * when it has one (registry-testbed.md \u00a72). Returns the manifest's descriptor.
     */
    async putManifest(reference, mediaType, bytes) {
        assertTagOrDigest(reference);
        const digest = (0,oci_digest/* sha256Digest */.sI)(bytes);
        if ((0,oci_digest/* isDigest */.Bc)(reference) && !(0,oci_digest/* matchesDigest */._j)(bytes, reference)) {
            throw new TypeError(`putManifest: the manifest bytes do not match the digest ${reference} they are pushed under`);
        }
        const response = await this.call({
            method: 'PUT',
            url: this.url(`manifests/${reference}`),
            headers: { 'content-type': mediaType },
            body: bytes,
            maxResponseBytes: MAX_MANIFEST_BYTES,
        });
        if (response.status < 200 || response.status > 299) {
            throw this.fail(`Cannot push manifest ${this.displayName}:${reference}`, 'PUT', response);
        }
        this.checkAnnouncedDigest(response, digest, 'PUT');
        const subject = response.headers.get('oci-subject') ?? undefined;
        return { mediaType, digest, size: bytes.byteLength, ...(subject ? { subject } : {}) };
    }
    /**
     * The referrers of a manifest through the referrers API (distribution-spec v1.1 "Listing
     * Referrers"), following `Link` pages. Undefined when the registry has no such API (404, as
     * Distribution 2.8 answers): the caller then reads the `sha256-<hex>` tag-schema index.
     */
    async listReferrers(digest) {
        (0,oci_digest/* assertDigest */.V7)(digest);
        const referrers = [];
        const seen = new Set();
        let url = this.url(`referrers/${digest}`);
        for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
            seen.add(url.href);
            const response = await this.call({ method: 'GET', url, maxResponseBytes: MAX_MANIFEST_BYTES });
            if (response.status === 404 && page === 0)
                return undefined;
            if (response.status !== 200)
                throw this.fail(`Cannot list the referrers of ${this.displayName}@${digest}`, 'GET', response);
            // A registry answering some other document (an HTML page, an error body) has no referrers API.
            if (page === 0 && contentType(response) !== 'application/vnd.oci.image.index.v1+json')
                return undefined;
            referrers.push(...indexManifests(response.body, `The referrers list of ${this.displayName}@${digest}`));
            const next = nextLink(response.headers.get('link'), url);
            url = next && next.origin === this.context.base.origin && !seen.has(next.href) ? next : undefined;
        }
        return referrers;
    }
    /** HEAD a blob: true when the repository has it. */
    async blobExists(digest) {
        (0,oci_digest/* assertDigest */.V7)(digest);
        const response = await this.call({ method: 'HEAD', url: this.url(`blobs/${digest}`) });
        if (response.status === 200)
            return true;
        if (response.status === 404)
            return false;
        throw this.fail(`Cannot check blob ${digest} in ${this.displayName}`, 'HEAD', response);
    }
    /**
     * Uploads a blob: POST an upload session, then PUT the whole body to its Location with the
     * digest (helm-oci.md 3.8 step 3). Never a single POST with `?digest=`: Distribution answers
     * it with 202 and drops the body (registry-testbed.md \u00a72). Two requests per blob.
     */
    async pushBlob(descriptor, bytes) {
        (0,oci_digest/* assertDigest */.V7)(descriptor.digest, 'blob digest');
        if (bytes.byteLength !== descriptor.size || !(0,oci_digest/* matchesDigest */._j)(bytes, descriptor.digest)) {
            throw new TypeError(`pushBlob: the bytes do not match the descriptor (${descriptor.digest}, ${descriptor.size} bytes)`);
        }
        // A second session only when the first one vanished (see below); more would hide a real fault.
        for (let session = 1; session <= 2; session++) {
            const start = await this.call({
                method: 'POST',
                url: this.url('blobs/uploads/'),
                headers: { 'content-length': '0' },
            });
            // distribution-spec "Pushing Blobs": a POST without `digest` or `mount` opens a session (202).
            // A 201 instead completes nothing we sent; it stands for our blob only when it names it,
            // or when the registry holds the blob anyway.
            if (start.status === 201) {
                if (start.headers.get('docker-content-digest') === descriptor.digest)
                    return;
                if (await this.blobExists(descriptor.digest)) {
                    this.context.logger.debug(`POST for ${descriptor.digest} answered 201 without naming it; the blob is there`);
                    return;
                }
                throw new registry_error/* RegistryError */.gl(`Cannot start uploading blob ${descriptor.digest} to ${this.displayName}`, {
                    method: 'POST',
                    url: (0,transport_error/* describeUrl */.Ng)(start.url),
                    status: start.status,
                    diagnosis: 'The registry answered 201 Created instead of 202 Accepted with an upload Location, and does not have the blob; ' +
                        'it does not follow the distribution spec for blob uploads',
                });
            }
            if (start.status !== 202)
                throw this.fail(`Cannot start uploading blob ${descriptor.digest} to ${this.displayName}`, 'POST', start);
            const location = this.uploadLocation(start);
            location.search = `${location.search ? `${location.search}&` : '?'}digest=${encodeURIComponent(descriptor.digest)}`;
            const finish = await this.call({
                method: 'PUT',
                url: location,
                headers: { 'content-type': media_types/* BLOB_UPLOAD_CONTENT_TYPE */.X9 },
                body: bytes,
                timeoutMs: this.context.timeoutMs + bytes.byteLength * TRANSFER_MS_PER_BYTE,
            });
            if (finish.status === 201 || finish.status === 204) {
                this.checkAnnouncedDigest(finish, descriptor.digest, 'PUT');
                return;
            }
            // 404 BLOB_UPLOAD_UNKNOWN: the session is gone. Either an earlier attempt of this PUT was
            // committed and only its answer was lost (then the blob is there), or the session expired.
            if (finish.status === 404 && session === 1) {
                if (await this.blobExists(descriptor.digest))
                    return;
                this.context.logger.debug(`upload session for ${descriptor.digest} vanished; starting a new one`);
                continue;
            }
            throw this.fail(`Cannot upload blob ${descriptor.digest} to ${this.displayName}`, 'PUT', finish);
        }
    }
    /**
     * GET a blob and check it against its digest. Redirects to storage are followed without
     * credentials. `maxBytes` (default 128 MiB) bounds what is read.
     */
    async fetchBlob(digest, options = {}) {
        (0,oci_digest/* assertDigest */.V7)(digest);
        const maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
        const response = await this.call({
            method: 'GET',
            url: this.url(`blobs/${digest}`),
            maxResponseBytes: maxBytes,
            timeoutMs: this.context.timeoutMs + maxBytes * TRANSFER_MS_PER_BYTE,
        });
        if (response.status !== 200)
            throw this.fail(`Cannot download blob ${digest} from ${this.displayName}`, 'GET', response);
        if (!(0,oci_digest/* matchesDigest */._j)(response.body, digest)) {
            throw new registry_error/* RegistryError */.gl(`The blob ${digest} from ${this.displayName} does not match its digest`, {
                method: 'GET',
                url: (0,transport_error/* describeUrl */.Ng)(response.url),
                status: response.status,
                diagnosis: 'The stored blob is corrupt or was replaced',
            });
        }
        return response.body;
    }
    /** All tags of the repository, following `Link: <\u2026>; rel="next"` pages (distribution-spec "Listing Tags"). */
    async listTags() {
        const tags = [];
        const seen = new Set();
        let url = this.url('tags/list');
        for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
            seen.add(url.href);
            const response = await this.call({ method: 'GET', url });
            if (response.status !== 200)
                throw this.fail(`Cannot list the tags of ${this.displayName}`, 'GET', response);
            let parsed;
            try {
                parsed = JSON.parse(new TextDecoder().decode(response.body));
            }
            catch (error) {
                throw new registry_error/* RegistryError */.gl(`The tag list of ${this.displayName} is not JSON`, { method: 'GET', url: (0,transport_error/* describeUrl */.Ng)(url) }, { cause: error });
            }
            // One by one: the list is the server's, and a spread of a long one into push() overflows the stack.
            if (Array.isArray(parsed.tags))
                for (const tag of parsed.tags)
                    if (typeof tag === 'string')
                        tags.push(tag);
            const next = nextLink(response.headers.get('link'), url);
            if (next && next.origin !== this.context.base.origin) {
                throw new registry_error/* RegistryError */.gl(`The tag list of ${this.displayName} points to another origin (${next.origin})`, {
                    method: 'GET',
                    url: (0,transport_error/* describeUrl */.Ng)(url),
                });
            }
            url = next && !seen.has(next.href) ? next : undefined;
        }
        return tags;
    }
    url(path) {
        return new URL(path, this.context.base);
    }
    scopes(method) {
        const actions = this.context.push || (method !== 'GET' && method !== 'HEAD') ? ['pull', 'push'] : ['pull'];
        return [repositoryScope(this.context.name, actions)];
    }
    call(call) {
        return this.context.auth.send(call, this.scopes(call.method));
    }
    /**
     * The upload URL from a POST's Location: absolute or relative, but on the registry's own origin,
     * so that the PUT (which carries our credentials) cannot be steered elsewhere or to plain http
     * (the hardening of oras GHSA-jxpm-75mh-9fp7, helm-oci.md 3.8 step 3).
     */
    uploadLocation(response) {
        const location = response.headers.get('location');
        if (!location)
            throw this.fail('The registry opened an upload session without a Location', 'POST', response);
        let url;
        try {
            url = new URL(location, response.url);
        }
        catch {
            throw this.fail(`The upload Location "${location}" is not a URL`, 'POST', response);
        }
        if (url.origin !== this.context.base.origin) {
            throw this.fail(`Refusing the upload Location on another origin (${url.origin}, registry ${this.context.base.origin})`, 'POST', response);
        }
        return url;
    }
    checkAnnouncedDigest(response, digest, method) {
        const announced = response.headers.get('docker-content-digest');
        if (announced && announced !== digest) {
            throw new registry_error/* RegistryError */.gl(`The registry stored ${announced} where ${digest} was sent`, {
                method,
                url: (0,transport_error/* describeUrl */.Ng)(response.url),
                status: response.status,
            });
        }
    }
    fail(summary, method, response) {
        return (0,registry_error/* responseError */.U3)(summary, method, response, {
            repository: this.context.name,
            credentialSource: this.context.auth.credentialSource(this.context.base),
        });
    }
}
function assertTagOrDigest(reference) {
    if (reference.includes(':'))
        (0,oci_digest/* assertDigest */.V7)(reference);
    else
        (0,oci_reference/* assertTag */.DD)(reference);
}
/**
 * The `manifests` of an image index; entries without a digest are dropped. A document that is
 * no image index is an error, not an empty list: the `sha256-<hex>` index is read, added to and
 * written back, and reading garbage as "no referrers" would erase every referrer listed there.
 */
function indexManifests(bytes, what) {
    let parsed;
    try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
    }
    catch (error) {
        throw new registry_error/* RegistryError */.gl(`${what} is not JSON`, {}, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.manifests)) {
        throw new registry_error/* RegistryError */.gl(`${what} is not an image index (no "manifests" list)`);
    }
    return parsed.manifests.filter((m) => typeof m === 'object' &&
        m !== null &&
        typeof m.digest === 'string' &&
        (0,oci_digest/* parseDigest */.m)(m.digest) !== undefined);
}
function contentType(response) {
    const value = response.headers.get('content-type');
    return value ? (value.split(';')[0] ?? '').trim() || undefined : undefined;
}
function mediaTypeField(bytes) {
    try {
        const parsed = JSON.parse(new TextDecoder().decode(bytes));
        return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
    }
    catch {
        return undefined;
    }
}
/** The `rel="next"` target of a Link header (RFC 8288), resolved against the request URL. */
function nextLink(header, base) {
    if (!header)
        return undefined;
    for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
        const params = match[2] ?? '';
        if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params))
            return new URL(match[1] ?? '', base);
    }
    return undefined;
}


/***/ }),

/***/ 77753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hy: () => (/* binding */ registryTransport),
/* harmony export */   U3: () => (/* binding */ responseError),
/* harmony export */   gl: () => (/* binding */ RegistryError),
/* harmony export */   oA: () => (/* binding */ CredentialError)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);
/* harmony import */ var _transport_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42711);


/** A registry or token service refused or failed a request; chains the network error as cause. */
class RegistryError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
    method;
    url;
    status;
    codes;
    registryMessage;
    requestId;
    diagnosis;
    constructor(summary, details = {}, options) {
        super(composeMessage(summary, details), options);
        this.method = details.method;
        this.url = details.url;
        this.status = details.status;
        this.codes = details.codes ?? [];
        this.registryMessage = details.registryMessage;
        this.requestId = details.requestId;
        this.diagnosis = details.diagnosis;
    }
}
/**
 * A transport failure as the registry client reports it: the same exchange, with advice worded
 * for a registry and its `plain-http` input.
 */
function registryErrorFrom(error) {
    return new RegistryError(error.summary, {
        method: error.method,
        url: error.url,
        ...(error.status !== undefined ? { status: error.status } : {}),
        diagnosis: (0,_transport_error_js__WEBPACK_IMPORTED_MODULE_1__/* .networkAdvice */ .B0)(error.network, 'registry', 'if it is a plain-http registry, enable plain http'),
    }, { cause: error.cause });
}
/** The transport, for registry callers: its failures become RegistryErrors. */
function registryTransport(transport) {
    return {
        send: async (request) => {
            try {
                return await transport.send(request);
            }
            catch (error) {
                throw error instanceof _transport_error_js__WEBPACK_IMPORTED_MODULE_1__/* .TransportError */ .wX ? registryErrorFrom(error) : error;
            }
        },
    };
}
/** A credential store (config file or helper) that could not be read; names the file or helper. */
class CredentialError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
    store;
    constructor(store, message, options) {
        super(`${store}: ${message}`, options);
        this.store = store;
    }
}
function composeMessage(summary, details) {
    const exchange = [];
    if (details.method && details.url)
        exchange.push(`${details.method} ${details.url}`);
    if (details.status !== undefined)
        exchange.push(`HTTP ${details.status}`);
    if (details.codes?.length)
        exchange.push(details.codes.join(', '));
    let message = summary;
    if (exchange.length)
        message += ` (${exchange.join(' \u2192 ')})`;
    if (details.registryMessage)
        message += `: ${details.registryMessage}`;
    if (details.requestId)
        message += ` [request id ${details.requestId}]`;
    if (details.diagnosis)
        message += `. ${details.diagnosis}`;
    return message;
}
const REQUEST_ID_HEADERS = ['x-request-id', 'x-github-request-id', 'x-amzn-requestid', 'x-ms-request-id', 'cf-ray'];
function requestIdOf(headers) {
    for (const name of REQUEST_ID_HEADERS) {
        const value = headers.get(name);
        if (value)
            return value;
    }
    return undefined;
}
/**
 * Reads the distribution-spec error body (`{"errors":[{"code","message","detail"}]}`,
 * distribution-spec "Error Codes"); falls back to a one-line snippet of any other body.
 */
function parseErrorBody(body) {
    const text = new TextDecoder().decode(body).trim();
    if (!text)
        return { codes: [], message: undefined };
    try {
        const parsed = JSON.parse(text);
        const errors = parsed.errors;
        if (Array.isArray(errors)) {
            const codes = [];
            const messages = [];
            for (const entry of errors) {
                if (typeof entry?.code === 'string')
                    codes.push(entry.code);
                if (typeof entry?.message === 'string' && entry.message)
                    messages.push(entry.message);
            }
            return { codes, message: messages.length ? messages.join('; ') : undefined };
        }
        const single = parsed;
        for (const value of [single.details, single.message, single.error]) {
            if (typeof value === 'string' && value)
                return { codes: [], message: value };
        }
    }
    catch {
        // Not JSON: a proxy page or a plain-text error; a short snippet still helps the reader.
    }
    const oneLine = text.replace(/\s+/g, ' ');
    return { codes: [], message: oneLine.length > 200 ? `${oneLine.slice(0, 200)}\u2026` : oneLine };
}
const ECR_HOST = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
/** A sentence telling the user what to change, for the failures whose cause we can guess. */
function diagnose(context) {
    const { host, status, codes, credentialSource } = context;
    const repository = context.repository ?? '<repository>';
    if (ECR_HOST.test(host) && codes.includes('NAME_UNKNOWN')) {
        return (`Amazon ECR does not create repositories on push: create "${repository}" first ` +
            `(aws ecr create-repository --repository-name ${repository})`);
    }
    if (status === 400 && /HTTP request to an HTTPS server/i.test(context.registryMessage ?? '')) {
        return 'The registry speaks https on this port; turn plain http off';
    }
    if (host === 'ghcr.io' && status === 403) {
        return ('On ghcr.io a 403 usually means the workflow lacks "permissions: packages: write", or the package ' +
            'already exists and is not linked to this repository (package settings \u2192 "Manage Actions access")');
    }
    if (status === 401) {
        return credentialSource
            ? `The registry rejected the credentials from ${credentialSource}`
            : `The registry requires authentication and no credentials were found for ${host}`;
    }
    if (status === 403 || codes.includes('DENIED')) {
        return credentialSource
            ? `The credentials from ${credentialSource} are not allowed to do this on ${host}/${repository}`
            : `Anonymous access to ${host}/${repository} is not allowed; provide credentials`;
    }
    if (status === 413)
        return 'The registry refused the request size';
    return undefined;
}
/** A RegistryError for a response we cannot use, with the registry's codes and a diagnosis. */
function responseError(summary, method, response, context = {}) {
    const { codes, message } = parseErrorBody(response.body);
    const diagnosis = context.diagnosis ??
        diagnose({
            host: response.url.host,
            status: response.status,
            codes,
            repository: context.repository,
            credentialSource: context.credentialSource,
            registryMessage: message,
        });
    return new RegistryError(response.attempts > 1 ? `${summary} after ${response.attempts} attempts` : summary, {
        method,
        url: (0,_transport_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeUrl */ .Ng)(response.url),
        status: response.status,
        codes,
        registryMessage: message,
        requestId: requestIdOf(response.headers),
        diagnosis,
    });
}


/***/ }),

/***/ 31726:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hr: () => (/* binding */ isRetryableNetworkError),
/* harmony export */   PS: () => (/* binding */ isRetryableStatus),
/* harmony export */   a2: () => (/* binding */ retryDelay),
/* harmony export */   cO: () => (/* binding */ DEFAULT_RETRY_POLICY),
/* harmony export */   eB: () => (/* binding */ errorChain),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
const DEFAULT_RETRY_POLICY = {
    maxRetries: 5,
    baseDelayMs: 250,
    factor: 2,
    jitter: 0.1,
    minDelayMs: 200,
    maxDelayMs: 3_000,
    maxRetryAfterMs: 60_000,
    maxElapsedMs: 120_000,
};
/**
 * Statuses worth another try: 408 and 429 (RFC 9110 15.5.9, RFC 6585 4) and server errors,
 * except 501 and 505, which say the server will never do this and retrying cannot change that.
 */
function isRetryableStatus(status) {
    if (status === 408 || status === 429)
        return true;
    return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
// Transient connection failures as Node (libuv) and undici report them. TLS verification,
// DNS NXDOMAIN and refused connections are left out: they do not heal within seconds.
const RETRYABLE_CODES = new Set([
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
/** The `code`s and messages along an error's cause chain, e.g. fetch's TypeError \u2192 SocketError. */
function errorChain(error) {
    const chain = [];
    let current = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
        if (typeof current === 'object') {
            const { code, name, message } = current;
            chain.push({
                ...(typeof code === 'string' ? { code } : {}),
                ...(typeof name === 'string' ? { name } : {}),
                message: typeof message === 'string' ? message : Object.prototype.toString.call(current),
            });
            current = current.cause;
        }
        else {
            // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive: objects took the branch above
            chain.push({ message: String(current) });
            break;
        }
    }
    return chain;
}
/** True for connection resets, hang-ups and network timeouts (not for a caller's abort). */
function isRetryableNetworkError(error) {
    return errorChain(error).some((link) => (link.code !== undefined && RETRYABLE_CODES.has(link.code)) ||
        link.name === 'TimeoutError' ||
        /socket hang up|other side closed|ECONNRESET/i.test(link.message));
}
/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Undefined when absent, malformed, zero or in the past \u2014 the caller then uses its backoff.
 */
function parseRetryAfter(value, nowMs) {
    if (value === null || value === undefined)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text)) {
        const seconds = Number(text);
        return seconds > 0 ? seconds * 1000 : undefined;
    }
    // Date.parse accepts IMF-fixdate and the obsolete RFC 850 / asctime forms RFC 9110 5.6.7 allows;
    // requiring a weekday-comma or GMT keeps it from accepting arbitrary text as a date.
    if (!/GMT|^\w{3},/.test(text))
        return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at))
        return undefined;
    const delta = at - nowMs;
    return delta > 0 ? delta : undefined;
}
/**
 * The wait before retry number `retry` (0-based). A server's Retry-After, when given, replaces the
 * exponential backoff and gets up to 10 % added so that clients it throttled together spread out.
 */
function retryDelay(retry, policy, random, retryAfterMs) {
    if (retryAfterMs !== undefined) {
        const capped = Math.min(retryAfterMs, policy.maxRetryAfterMs);
        const withJitter = capped + capped * policy.jitter * random();
        return clamp(withJitter, policy.minDelayMs, policy.maxRetryAfterMs);
    }
    const base = policy.baseDelayMs * policy.factor ** retry;
    const withJitter = base * (1 - policy.jitter) + base * 2 * policy.jitter * random();
    return clamp(withJitter, policy.minDelayMs, policy.maxDelayMs);
}
function clamp(value, min, max) {
    return Math.round(Math.min(Math.max(value, min), max));
}


/***/ }),

/***/ 42711:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B0: () => (/* binding */ networkAdvice),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   Ng: () => (/* binding */ describeUrl),
/* harmony export */   wX: () => (/* binding */ TransportError)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);
/* harmony import */ var _retry_policy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31726);


/**
 * An exchange the transport could not complete: the network failed (after its retries), a
 * redirect was refused, or a body exceeded its limit. Worded without naming the server's kind;
 * the failure below (a fetch error) is the cause.
 */
class TransportError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
    /** The sentence before the exchange, e.g. `Request failed after 3 attempts: \u2026 (ECONNRESET)`. */
    summary;
    method;
    url;
    status;
    network;
    constructor(summary, details, options) {
        const exchange = `${details.method} ${details.url}${details.status !== undefined ? ` \u2192 HTTP ${details.status}` : ''}`;
        super(`${summary} (${exchange})`, options);
        this.summary = summary;
        this.method = details.method;
        this.url = details.url;
        this.status = details.status;
        this.network = details.network;
    }
}
const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/** The error codes along a fetch failure's cause chain, read as something a user can fix. */
function classifyNetworkError(error) {
    const codes = (0,_retry_policy_js__WEBPACK_IMPORTED_MODULE_1__/* .errorChain */ .eB)(error).map((link) => link.code ?? '');
    if (codes.some((code) => UNTRUSTED_CERTIFICATE.test(code)))
        return 'untrusted-certificate';
    if (codes.some((code) => code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO'))
        return 'not-tls';
    if (codes.includes('ECONNREFUSED'))
        return 'refused';
    if (codes.includes('ENOTFOUND'))
        return 'unresolved';
    return undefined;
}
/**
 * The advice for a network failure, for a server of the given kind (`registry`, `chart
 * repository`): what the user changes is the same, the words name what they configured.
 */
function networkAdvice(failure, server, plainHttpSetting) {
    switch (failure) {
        case 'untrusted-certificate':
            return `The ${server}'s TLS certificate is not trusted: give Node its CA certificate with NODE_EXTRA_CA_CERTS (set before the action starts)`;
        case 'not-tls':
            return `The ${server} does not speak TLS on this port; ${plainHttpSetting}`;
        case 'refused':
            return `Nothing listens at this address; check the ${server} host and port`;
        case 'unresolved':
            return `The ${server} host name does not resolve`;
        default:
            return undefined;
    }
}
/** `scheme://host[:port]/path` without userinfo, query or fragment. */
function describeUrl(url) {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}


/***/ }),

/***/ 56380:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  o: () => (/* binding */ createTransport)
});

// EXTERNAL MODULE: ./src/shared/clock.ts
var shared_clock = __webpack_require__(66103);
// EXTERNAL MODULE: ./src/shared/deadline.ts
var shared_deadline = __webpack_require__(18013);
// EXTERNAL MODULE: ./src/shared/logger.ts
var shared_logger = __webpack_require__(64381);
// EXTERNAL MODULE: ./src/oci/retry-policy.ts
var retry_policy = __webpack_require__(31726);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./src/oci/http-exchange.ts

/**
 * HTTP/1.1 over Node's own http and https modules: the default exchange of the transport.
 *
 * Global fetch would do the same work, but its first call loads and compiles Node's bundled
 * undici (some 50 ms, a fifth of a one-chart dry-run's start); node:http is part of Node's
 * start-up snapshot, and node:https (with TLS) is loaded only for an https URL. Node's global
 * agents keep connections alive between requests to the same origin, as fetch does.
 *
 * A URL with userinfo (`https://user:pass@host/`, say a dependency's repository in Chart.yaml) is
 * refused, as fetch refuses it: credentials come from the inputs and the credential stores, which
 * know the origin they belong to, and the message shows the URL without them.
 */
const nodeExchange = async (request) => {
    const { url, signal } = request;
    signal.throwIfAborted();
    if (url.username || url.password) {
        throw new TypeError(`a URL with credentials in it is not requested (${url.protocol}//***@${url.host}${url.pathname})`);
    }
    const { request: send } = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 44708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 37067, 23));
    signal.throwIfAborted();
    const headers = { ...request.headers };
    if (request.body !== undefined)
        headers['content-length'] = String(request.body.byteLength);
    else if (request.method === 'PUT' || request.method === 'POST' || request.method === 'PATCH')
        headers['content-length'] = '0';
    const options = {
        method: request.method,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers,
    };
    return new Promise((resolve, reject) => {
        const outgoing = send(options);
        const abortRequest = () => outgoing.destroy(asError(signal.reason));
        signal.addEventListener('abort', abortRequest, { once: true });
        // Errors after the answer arrived reach the response (and the body's reader) as well.
        outgoing.on('error', (error) => {
            signal.removeEventListener('abort', abortRequest);
            reject(error);
        });
        outgoing.on('response', (incoming) => {
            signal.removeEventListener('abort', abortRequest);
            const abortBody = () => incoming.destroy(asError(signal.reason));
            signal.addEventListener('abort', abortBody, { once: true });
            incoming.once('close', () => signal.removeEventListener('abort', abortBody));
            const empty = request.method === 'HEAD' || incoming.statusCode === 204 || incoming.statusCode === 304;
            resolve({
                status: incoming.statusCode ?? 0,
                headers: new NodeHeaders(incoming.headers),
                body: empty ? undefined : decoded(incoming),
                discard: () => incoming.destroy(),
            });
            if (empty)
                incoming.resume();
        });
        outgoing.end(request.body);
    });
};
/** Node's header object read as `Headers.get` reads: repeated values joined with ", ". */
class NodeHeaders {
    raw;
    constructor(raw) {
        this.raw = raw;
    }
    get(name) {
        const value = this.raw[name.toLowerCase()];
        if (value === undefined)
            return null;
        return Array.isArray(value) ? value.join(', ') : value;
    }
}
/**
 * The body as sent, or decoded when the server applied a content coding although the transport
 * asked for `identity` (fetch decodes those too); limits apply to the decoded bytes.
 */
function decoded(incoming) {
    const coding = (incoming.headers['content-encoding'] ?? '').trim().toLowerCase();
    const decoder = coding === 'gzip' || coding === 'x-gzip'
        ? (0,external_node_zlib_.createGunzip)()
        : coding === 'deflate'
            ? (0,external_node_zlib_.createInflate)()
            : coding === 'br'
                ? (0,external_node_zlib_.createBrotliDecompress)()
                : undefined;
    if (!decoder)
        return incoming;
    incoming.on('error', (error) => decoder.destroy(error));
    decoder.on('close', () => incoming.destroy());
    return incoming.pipe(decoder);
}
function asError(reason) {
    return reason instanceof Error ? reason : new Error(String(reason));
}

// EXTERNAL MODULE: ./src/oci/transport-error.ts
var transport_error = __webpack_require__(42711);
;// CONCATENATED MODULE: ./src/oci/transport.ts






const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Headers that carry the caller's identity for the original origin; RFC 9110 15.4 lets a client
// keep them across a redirect, but a registry redirecting a blob GET to object storage must not
// hand that storage our token (the rule @sigstore/oci and oras-go follow too).
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
class AttemptTimeout extends Error {
    name = 'TimeoutError';
}
/**
 * HTTP for the registry client: per-attempt timeouts, bounded retries with jittered backoff,
 * and redirects followed by hand so that credentials never leave the origin they belong to
 * and https is never downgraded to http.
 */
function createTransport(options = {}) {
    const exchange = options.fetch ? fetchExchange(options.fetch) : nodeExchange;
    const clock = options.clock ?? shared_clock/* systemClock */.m;
    const logger = options.logger ?? shared_logger/* silentLogger */.q;
    const random = options.random ?? Math.random;
    const policy = { ...retry_policy/* DEFAULT_RETRY_POLICY */.cO, ...options.retry };
    const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const deadline = options.deadline ?? shared_deadline/* noDeadline */.Wf;
    async function attempt(request, attemptNumber) {
        const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(new AttemptTimeout(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
        const signal = AbortSignal.any([deadline.signal, timeout.signal, ...(request.signal ? [request.signal] : [])]);
        const headers = {
            // Identity encoding keeps the bytes we hash equal to the bytes the registry stored.
            'accept-encoding': 'identity',
            ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
            ...request.headers,
        };
        try {
            const response = await exchange({ method: request.method, url: request.url, headers, body: request.body, signal });
            const body = await readBody(response, request);
            return { status: response.status, headers: response.headers, body, url: request.url, leftOrigin: false, attempts: attemptNumber };
        }
        finally {
            clearTimeout(timer);
        }
    }
    async function sendWithRetries(request, startedAt) {
        const where = (0,transport_error/* describeUrl */.Ng)(request.url);
        for (let retry = 0;; retry++) {
            const attemptNumber = retry + 1;
            let response;
            let failure;
            try {
                response = await attempt(request, attemptNumber);
            }
            catch (error) {
                failure = error;
            }
            options.onRequest?.({
                method: request.method,
                url: where,
                attempt: attemptNumber,
                ...(response ? { status: response.status } : { error: describeFailure(failure) }),
            });
            if (response)
                logger.debug(`${request.method} ${where} \u2192 ${response.status}`);
            if (response && !(0,retry_policy/* isRetryableStatus */.PS)(response.status))
                return response;
            if (deadline.signal.aborted)
                throw stoppedByDeadline(deadline.signal.reason, request);
            if (failure !== undefined) {
                if (failure instanceof transport_error/* TransportError */.wX || request.signal?.aborted || !(0,retry_policy/* isRetryableNetworkError */.Hr)(failure)) {
                    throw asTransportError(failure, request, attemptNumber);
                }
            }
            const retryAfterMs = response && (response.status === 429 || response.status === 503)
                ? (0,retry_policy/* parseRetryAfter */.mu)(response.headers.get('retry-after'), clock.now())
                : undefined;
            const why = response ? `HTTP ${response.status}` : describeFailure(failure);
            const delay = (0,retry_policy/* retryDelay */.a2)(retry, policy, random, retryAfterMs);
            const elapsed = clock.now() - startedAt;
            if (retry >= policy.maxRetries || elapsed + delay > policy.maxElapsedMs) {
                const bound = retry >= policy.maxRetries
                    ? `after ${attemptNumber} attempts`
                    : `after ${attemptNumber} attempts; waiting ${delay} ms more would exceed the ${policy.maxElapsedMs} ms retry budget`;
                logger.debug(`giving up on ${request.method} ${where} ${bound} (${why})`);
                if (response)
                    return response;
                throw asTransportError(failure, request, attemptNumber, bound);
            }
            logger.debug(`retrying ${request.method} ${where} in ${delay} ms after ${why}` +
                `${retryAfterMs !== undefined ? ` (Retry-After ${Math.round(retryAfterMs)} ms)` : ''} ` +
                `(attempt ${attemptNumber + 1} of at most ${policy.maxRetries + 1})`);
            await clock
                .sleep(delay, request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal)
                .catch((error) => {
                throw deadline.signal.aborted ? stoppedByDeadline(deadline.signal.reason, request) : error;
            });
        }
    }
    return {
        send(request) {
            return deadline.track(`${request.method} ${(0,transport_error/* describeUrl */.Ng)(request.url)}`, () => sendFollowingRedirects(request));
        },
    };
    async function sendFollowingRedirects(request) {
        const startedAt = clock.now();
        const origin = request.url.origin;
        let current = request;
        let leftOrigin = false;
        for (let hop = 0;; hop++) {
            const response = await sendWithRetries(current, startedAt);
            const location = response.headers.get('location');
            if (!REDIRECT_STATUSES.has(response.status) || !location)
                return { ...response, leftOrigin };
            if (hop >= maxRedirects) {
                throw new transport_error/* TransportError */.wX(`Too many redirects (more than ${maxRedirects})`, {
                    method: request.method,
                    url: (0,transport_error/* describeUrl */.Ng)(request.url),
                });
            }
            const next = resolveRedirect(current, location);
            if (!leftOrigin && next.origin !== origin) {
                leftOrigin = true;
                logger.debug(`redirect to ${next.origin} leaves ${origin}: credentials are not sent there`);
            }
            current = redirectedRequest(current, response.status, next, leftOrigin);
        }
    }
}
/** The run's deadline ended the request: no retry, and the message says which request it was. */
function stoppedByDeadline(reason, request) {
    const why = reason instanceof Error ? reason.message : 'the run was cancelled';
    return new transport_error/* TransportError */.wX(`Request stopped: ${why}`, { method: request.method, url: (0,transport_error/* describeUrl */.Ng)(request.url) }, { cause: reason });
}
function resolveRedirect(request, location) {
    let next;
    try {
        next = new URL(location, request.url);
    }
    catch (error) {
        throw new transport_error/* TransportError */.wX(`The server redirected to an invalid URL`, { method: request.method, url: (0,transport_error/* describeUrl */.Ng)(request.url) }, { cause: error });
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new transport_error/* TransportError */.wX(`Refusing a redirect to the "${next.protocol}" scheme`, {
            method: request.method,
            url: (0,transport_error/* describeUrl */.Ng)(request.url),
        });
    }
    if (request.url.protocol === 'https:' && next.protocol === 'http:') {
        throw new transport_error/* TransportError */.wX(`Refusing a redirect from https to http (${(0,transport_error/* describeUrl */.Ng)(next)}): it would expose the request`, {
            method: request.method,
            url: (0,transport_error/* describeUrl */.Ng)(request.url),
        });
    }
    return next;
}
/** RFC 9110 15.4: 303 (and, by long practice, 301/302 after POST) turn into a body-less GET. */
function redirectedRequest(request, status, url, leftOrigin) {
    const toGet = (status === 303 && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST');
    const headers = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
        const lower = name.toLowerCase();
        if (leftOrigin && ORIGIN_BOUND_HEADERS.has(lower))
            continue;
        if (toGet && (lower === 'content-type' || lower === 'content-length'))
            continue;
        headers[name] = value;
    }
    const next = { ...request, url, headers, method: toGet ? 'GET' : request.method };
    if (toGet)
        delete next.body;
    return next;
}
async function readBody(response, request) {
    const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const tooLarge = (size) => new transport_error/* TransportError */.wX(`The response body is larger than the ${limit}-byte limit (${size})`, {
        method: request.method,
        url: (0,transport_error/* describeUrl */.Ng)(request.url),
        status: response.status,
    });
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (request.method === 'HEAD' || !response.body) {
        response.discard();
        return new Uint8Array(0);
    }
    if (declared > limit) {
        response.discard();
        throw tooLarge(`Content-Length ${declared}`);
    }
    const chunks = [];
    let total = 0;
    // Leaving the loop (the limit, an abort) closes the body.
    for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > limit)
            throw tooLarge(`more than ${limit} bytes received`);
        chunks.push(chunk);
    }
    return concat(chunks, total);
}
/** An exchange over a WHATWG fetch: redirects are left to the transport, as with Node's http. */
function fetchExchange(fetchImpl) {
    return async ({ method, url, headers, body, signal }) => {
        const init = { method, headers, redirect: 'manual', signal };
        if (body !== undefined)
            init.body = body;
        const response = await fetchImpl(url, init);
        const stream = response.body;
        // Cancellation is not awaited: it may wait for a peer that is gone (or for the other branch of
        // a tee), and nothing depends on it.
        const cancel = (target) => void target.cancel().catch(() => undefined);
        return {
            status: response.status,
            headers: response.headers,
            body: stream
                ? {
                    [Symbol.asyncIterator]: () => {
                        const reader = stream.getReader();
                        return {
                            next: async () => {
                                const { done, value } = await reader.read();
                                return done ? { done: true, value: undefined } : { done: false, value };
                            },
                            return: () => {
                                cancel(reader);
                                return Promise.resolve({ done: true, value: undefined });
                            },
                        };
                    },
                }
                : undefined,
            discard: () => stream && cancel(stream),
        };
    };
}
function concat(chunks, total) {
    if (chunks.length === 1 && chunks[0])
        return chunks[0];
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return out;
}
function describeFailure(error) {
    const chain = (0,retry_policy/* errorChain */.eB)(error);
    const codes = chain.map((link) => link.code).filter((code) => code !== undefined);
    const deepest = chain.at(-1)?.message ?? String(error);
    // "connect ECONNREFUSED 127.0.0.1:5000" names its code already: say it once.
    const unsaid = [...new Set(codes)].filter((code) => !deepest.includes(code));
    return unsaid.length ? `${deepest} (${unsaid.join(', ')})` : deepest;
}
function asTransportError(error, request, attempts, bound) {
    if (error instanceof transport_error/* TransportError */.wX)
        return error;
    const summary = bound
        ? `Request failed ${bound}: ${describeFailure(error)}`
        : `Request failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${describeFailure(error)}`;
    return new transport_error/* TransportError */.wX(summary, { method: request.method, url: (0,transport_error/* describeUrl */.Ng)(request.url), network: (0,transport_error/* classifyNetworkError */.LW)(error) }, { cause: error });
}


/***/ }),

/***/ 67625:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hr: () => (/* binding */ helmArtifact)
/* harmony export */ });
/* unused harmony exports manifestAnnotations, rfc3339 */
/* harmony import */ var _chart_go_go_json_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(15444);
/* harmony import */ var _chart_metadata_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(45907);
/* harmony import */ var _chart_oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(61312);
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(29217);
/* harmony import */ var _shared_byte_order_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(17302);
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(68825);






/**
 * The OCI artifact `helm push` makes of a chart (../shared/spec/helm-oci.md \u00a73): Helm's config
 * blob (the chart metadata as encoding/json), the chart layer and the optional provenance
 * layer sorted by digest, and the manifest as Go marshals image-spec's Manifest. Helm writes no
 * top-level `mediaType` in the manifest; neither do we, so that a chart pushed here and one
 * pushed by Helm with the same bytes and time have the same manifest digest, and Helm's golden
 * vectors hold. Every registry that takes `helm push` takes this manifest (Distribution
 * accepts it with the OCI Content-Type, registry-testbed.md \u00a72).
 */
const TITLE = 'org.opencontainers.image.title';
const VERSION = 'org.opencontainers.image.version';
const CREATED = 'org.opencontainers.image.created';
const SOURCE = 'org.opencontainers.image.source';
const REVISION = 'org.opencontainers.image.revision';
function helmArtifact(input) {
    const config = blob(_chart_oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__/* .HELM_CONFIG_MEDIA_TYPE */ .A5, Buffer.from((0,_chart_metadata_js__WEBPACK_IMPORTED_MODULE_0__/* .metadataJson */ .YE)(input.metadata), 'utf8'));
    const chartLayer = blob(_chart_oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__/* .HELM_CHART_MEDIA_TYPE */ .y$, input.chart);
    const provenanceLayer = input.provenance ? blob(_chart_oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__/* .HELM_PROVENANCE_MEDIA_TYPE */ .Rz, input.provenance) : undefined;
    // \u00a73.3: "sort layers for determinism", by digest string.
    const layers = [chartLayer, ...(provenanceLayer ? [provenanceLayer] : [])].sort((a, b) => a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0);
    const annotations = manifestAnnotations(input);
    const manifest = blob(_oci_media_types_js__WEBPACK_IMPORTED_MODULE_3__/* .OCI_MANIFEST_MEDIA_TYPE */ .k_, Buffer.from(manifestJson(config, layers, annotations), 'utf8'));
    return { config, layers, chartLayer, ...(provenanceLayer ? { provenanceLayer } : {}), manifest, annotations };
}
/**
 * Helm's generateOCIAnnotations (\u00a73.4) with a reproducible `created`, then ours: `revision` is
 * the commit this run built, which nothing in Chart.yaml can know better, so it is always
 * written; `source` is only a fallback, because a chart may live in one repository and name its
 * sources in another. The `annotations` input comes last (inputs.ts refuses title and version).
 */
function manifestAnnotations(input) {
    const md = input.metadata;
    const out = new Map();
    const add = (key, value) => {
        if (value !== undefined && value.trim() !== '')
            out.set(key, value);
    };
    add('org.opencontainers.image.description', md.description);
    add(TITLE, md.name);
    add(VERSION, md.version);
    add('org.opencontainers.image.url', md.home);
    add(CREATED, rfc3339(input.created));
    if (md.sources && md.sources.length > 0)
        add(SOURCE, md.sources[0]);
    if (md.maintainers && md.maintainers.length > 0) {
        add('org.opencontainers.image.authors', md.maintainers.map((m) => `${m?.name ?? ''}${m?.email ? ` (${m.email})` : ''}`).join(', '));
    }
    for (const [key, value] of md.annotations ?? [])
        if (key !== TITLE && key !== VERSION)
            out.set(key, value);
    add(REVISION, input.revision);
    if (!out.has(SOURCE))
        add(SOURCE, input.repositoryUrl);
    for (const [key, value] of input.extra ?? [])
        if (key !== TITLE && key !== VERSION)
            out.set(key, value);
    return out;
}
/** encoding/json of image-spec's Manifest: schemaVersion, config, layers, annotations. */
function manifestJson(config, layers, annotations) {
    const descriptor = (b) => `{"mediaType":${(0,_chart_go_go_json_js__WEBPACK_IMPORTED_MODULE_4__/* .goJsonString */ .A)(b.mediaType)},"digest":${(0,_chart_go_go_json_js__WEBPACK_IMPORTED_MODULE_4__/* .goJsonString */ .A)(b.digest)},"size":${b.size}}`;
    const keys = [...annotations.keys()].sort(_shared_byte_order_js__WEBPACK_IMPORTED_MODULE_5__/* .compareBytewise */ .G);
    const annotationJson = keys.map((k) => `${(0,_chart_go_go_json_js__WEBPACK_IMPORTED_MODULE_4__/* .goJsonString */ .A)(k)}:${(0,_chart_go_go_json_js__WEBPACK_IMPORTED_MODULE_4__/* .goJsonString */ .A)(annotations.get(k) ?? '')}`).join(',');
    return (`{"schemaVersion":2,"config":${descriptor(config)},"layers":[${layers.map(descriptor).join(',')}]` +
        (keys.length > 0 ? `,"annotations":{${annotationJson}}` : '') +
        '}');
}
function blob(mediaType, bytes) {
    return { mediaType, digest: (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_1__/* .sha256Digest */ .sI)(bytes), size: bytes.length, bytes };
}
/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 writes it. */
function rfc3339(epochSeconds) {
    return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}


/***/ }),

/***/ 7370:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dE: () => (/* binding */ registrySteps),
/* harmony export */   tG: () => (/* binding */ checkChart),
/* harmony export */   zO: () => (/* binding */ pushChart)
/* harmony export */ });
/* unused harmony export lookupChart */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _chart_archive_reader_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(69996);
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(29217);
/* harmony import */ var _oci_registry_error_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(77753);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(58382);
/* harmony import */ var _shared_clock_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(66103);
/* harmony import */ var _chart_helm_manifest_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(51206);
/* harmony import */ var _artifact_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(67625);
/* harmony import */ var _version_line_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(40490);









/**
 * Publishing one chart with the immutability guard: a version already in the registry is
 * never silently replaced. HEAD the manifest by tag first; absent \u2192 push; same manifest \u2192
 * unchanged, nothing uploaded; otherwise look at what is there: the same chart layer, or the
 * same chart content packaged by another tool or runtime (compared entry by entry), is
 * unchanged too; different content follows `on-conflict`.
 */
/** The largest existing chart layer downloaded for a content comparison. */
const MAX_COMPARED_LAYER = 64 * 1024 * 1024;
/**
 * A look-up older than this when the manifest is about to be PUT is repeated first: another
 * run may have published the tag since. A younger one is as fresh as the look-up a push made
 * before its blob uploads, and repeating it would cost every chart of a fast run a request.
 */
const RECHECK_AFTER_MS = 10_000;
/** Looks a chart up and pushes it at once: a run's plan and act for a single chart. */
async function pushChart(chart, ctx) {
    const found = await lookupChart(chart, ctx);
    return 'result' in found ? found.result : found.push();
}
/**
 * The plan's look-up of one chart: HEAD the manifest by tag (one request) and, when a manifest
 * is there, compare it with ours. Reads only; the push it returns writes.
 */
async function lookupChart(chart, ctx) {
    const clock = ctx.clock ?? _shared_clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m;
    const repository = ctx.repository(chart);
    const tag = chart.reference.tag;
    const existing = await repository.headManifest(tag);
    const lookedUp = clock.now();
    if (!existing) {
        ctx.logger.debug(`${chart.reference.text} does not exist yet: it will be pushed`);
        // A token that reads but cannot push fails the plan, not the first upload.
        repository.assertPushGranted();
        return {
            // Built again (the same bytes) rather than kept: a run's charts are not all held in memory.
            push: async () => {
                const built = await buildArtifact(chart, ctx);
                await uploadBlobs(repository, built, false, ctx.logger);
                if (clock.now() - lookedUp > RECHECK_AFTER_MS) {
                    const raced = await repository.headManifest(tag);
                    if (raced)
                        return raceResult(chart, repository, raced.digest, built, ctx);
                }
                await repository.putManifest(tag, _oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__/* .OCI_MANIFEST_MEDIA_TYPE */ .k_, built.manifest.bytes);
                return { status: 'published', digest: built.manifest.digest };
            },
        };
    }
    // Built only to compare with what is there: a new chart's push builds its own.
    const artifact = await buildArtifact(chart, ctx);
    const verdict = await compareExisting(repository, existing.digest, artifact, ctx.logger);
    if (verdict.same) {
        return {
            result: { status: 'unchanged', digest: existing.digest, reason: verdict.reason, ...theirProvenance(verdict, artifact) },
        };
    }
    const conflict = `${conflictMessage(chart, existing.digest, verdict.reason)}; published versions are immutable: ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
    switch (ctx.onConflict) {
        case 'fail':
            return { result: { status: 'failed', digest: existing.digest, reason: conflict } };
        case 'skip':
            return { result: { status: 'skipped', digest: existing.digest, reason: `${conflict}; on-conflict: skip leaves it as it is` } };
        case 'overwrite':
            repository.assertPushGranted();
            return {
                push: async () => {
                    const built = await buildArtifact(chart, ctx);
                    await uploadBlobs(repository, built, true, ctx.logger);
                    await repository.putManifest(tag, _oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__/* .OCI_MANIFEST_MEDIA_TYPE */ .k_, built.manifest.bytes);
                    return { status: 'published', digest: built.manifest.digest, reason: `overwrote ${existing.digest} (on-conflict: overwrite)` };
                },
            };
    }
}
/** The tag appeared between the look-up and the manifest PUT: another run published it. */
async function raceResult(chart, repository, digest, artifact, ctx) {
    const verdict = await compareExisting(repository, digest, artifact, ctx.logger);
    if (verdict.same) {
        return {
            status: 'unchanged',
            digest,
            reason: `published meanwhile by another run: ${verdict.reason}`,
            ...theirProvenance(verdict, artifact),
        };
    }
    const conflict = `${conflictMessage(chart, digest, verdict.reason)}: another run published it while this one was pushing; ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
    return ctx.onConflict === 'skip'
        ? { status: 'skipped', digest, reason: `${conflict}; on-conflict: skip leaves it as it is` }
        : { status: 'failed', digest, reason: conflict };
}
/**
 * The read-only look a dry-run takes: would this chart publish, be unchanged, or conflict?
 * A conflict is an error now, in the pull request, rather than at release.
 */
async function checkChart(chart, ctx) {
    const repository = ctx.repository(chart);
    const existing = await repository.headManifest(chart.reference.tag);
    if (!existing)
        return { status: 'dry-run', reason: 'new version: would be published', wouldBe: 'published' };
    const artifact = await buildArtifact(chart, ctx);
    const verdict = await compareExisting(repository, existing.digest, artifact, ctx.logger);
    if (verdict.same) {
        return {
            status: 'dry-run',
            digest: existing.digest,
            reason: `already published with identical content: would be unchanged, ${verdict.reason}`,
            wouldBe: 'unchanged',
            ...theirProvenance(verdict, artifact),
        };
    }
    const message = `${conflictMessage(chart, existing.digest, verdict.reason)}; the release would ${ctx.onConflict}: ${ctx.conflictAdvice ?? 'bump version in Chart.yaml'}`;
    if (ctx.onConflict === 'fail')
        return { status: 'failed', digest: existing.digest, reason: message };
    return { status: 'dry-run', digest: existing.digest, reason: message, wouldBe: ctx.onConflict === 'skip' ? 'skipped' : 'published' };
}
function conflictMessage(chart, existing, difference) {
    return `version ${chart.chart.metadata.version} is already published as ${existing} with different chart content (${difference})`;
}
/**
 * An unchanged chart keeps the manifest the registry has; when that is not ours, its
 * provenance layer (or none) is what users can pull, not the .prov made in this run.
 */
function theirProvenance(verdict, artifact) {
    if (verdict.manifestDigest === artifact.manifest.digest)
        return {};
    return { provenanceDigest: verdict.provenanceDigest ?? null };
}
async function buildArtifact(chart, ctx) {
    return (0,_artifact_js__WEBPACK_IMPORTED_MODULE_5__/* .helmArtifact */ .hr)({
        metadata: chart.chart.metadata,
        chart: await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(chart.package.path),
        ...(chart.provenance ? { provenance: Buffer.from(chart.provenance.text, 'utf8') } : {}),
        created: chart.epoch,
        ...(ctx.revision ? { revision: ctx.revision } : {}),
        ...(ctx.repositoryUrl ? { repositoryUrl: ctx.repositoryUrl } : {}),
        ...(ctx.annotations ? { extra: ctx.annotations } : {}),
    });
}
/**
 * Blobs first, in parallel as oras-go does for Helm (\u00a73.8); the manifest follows by tag, so
 * that a tag never points at missing content.
 */
async function uploadBlobs(repository, artifact, mayExist, logger) {
    await Promise.all([artifact.config, ...artifact.layers].map(async (blob) => {
        // A new version has new blobs; only when replacing one is a HEAD worth its round trip.
        if (mayExist && (await repository.blobExists(blob.digest))) {
            logger.debug(`${blob.digest} (${blob.mediaType}) is already in ${repository.displayName}`);
            return;
        }
        await repository.pushBlob(blob, blob.bytes);
        logger.debug(`uploaded ${blob.digest} (${blob.mediaType}, ${blob.size} bytes)`);
    }));
}
async function compareExisting(repository, digest, artifact, logger) {
    if (digest === artifact.manifest.digest)
        return { same: true, reason: 'same manifest digest', manifestDigest: digest };
    const manifest = await repository.getManifest(digest);
    let helm;
    try {
        helm = (0,_chart_helm_manifest_js__WEBPACK_IMPORTED_MODULE_7__/* .readHelmManifest */ .g)(manifest.bytes);
    }
    catch {
        return { same: false, reason: `the existing manifest ${digest} is not JSON`, manifestDigest: digest };
    }
    // The last layer of a type wins, as on `helm pull` (\u00a73.6).
    const theirs = helm.chart;
    const provenance = helm.provenance?.digest;
    const verdict = (same, reason) => ({
        same,
        reason,
        manifestDigest: digest,
        ...(provenance ? { provenanceDigest: provenance } : {}),
    });
    if (!theirs?.digest)
        return verdict(false, `the existing manifest ${digest} has no chart layer`);
    if (theirs.digest === artifact.chartLayer.digest) {
        return verdict(true, 'same chart layer; only the manifest differs (e.g. annotations or provenance)');
    }
    if ((theirs.size ?? 0) > MAX_COMPARED_LAYER)
        return verdict(false, `chart layer ${theirs.digest} differs`);
    // Same files, compressed by another tool, another zlib, or stamped with other times?
    const existing = await repository.fetchBlob(theirs.digest, { maxBytes: MAX_COMPARED_LAYER });
    const difference = await contentDifference(existing, artifact.chartLayer);
    if (difference === undefined) {
        logger.debug(`${theirs.digest} holds the same files as ${artifact.chartLayer.digest}`);
        return verdict(true, 'same chart files, packaged differently');
    }
    return verdict(false, difference);
}
/** Undefined when both archives hold the same files with the same bytes; else the first difference. */
async function contentDifference(existing, ours) {
    let theirs;
    try {
        theirs = await (0,_chart_archive_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .readChartArchive */ .hR)(existing);
    }
    catch (error) {
        if (error instanceof _chart_archive_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveError */ .di)
            return `the published chart layer cannot be read: ${error.message}`;
        throw error;
    }
    const mine = await (0,_chart_archive_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .readChartArchive */ .hR)(ours.bytes);
    const byName = new Map(theirs.map((f) => [f.name, f.data]));
    for (const file of mine) {
        const other = byName.get(file.name);
        if (!other)
            return `${file.name} is new`;
        if (!other.equals(file.data))
            return `${file.name} changed`;
        byName.delete(file.name);
    }
    const removed = [...byName.keys()][0];
    return removed === undefined ? undefined : `${removed} was removed`;
}
/**
 * The look-up, push and dry-run check steps of a run over one registry client. The look-up
 * opens each repository for pushing, so that its one token serves the push too. In a dry-run,
 * a registry that cannot be read (no credentials on a fork, 401/403, network) is reported, not
 * fatal: only a definite conflict fails the pull request.
 */
function registrySteps(options) {
    const open = (push) => (chart) => options.client.repository(chart.reference.registry, chart.reference.repository, { push });
    const { client: _client, anonymous, ...rest } = options;
    let unreadableSaid = false;
    // A registry that cannot be reached at all is not asked again for every chart, each with its retries.
    let unreachable;
    return {
        lookup: (chart) => lookupChart(chart, { ...rest, repository: open(true) }),
        artifact: (chart) => buildArtifact(chart, { ...rest, repository: open(false) }),
        push: (chart) => pushChart(chart, { ...rest, repository: open(true) }),
        check: async (chart) => {
            if (unreachable !== undefined)
                return { status: 'dry-run', reason: `registry not checked: ${unreachable}` };
            try {
                return await checkChart(chart, { ...rest, repository: open(false) });
            }
            catch (error) {
                if (!(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .DomainError */ .Jk))
                    throw error;
                const why = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .describeError */ .Uc)(error);
                if (error instanceof _oci_registry_error_js__WEBPACK_IMPORTED_MODULE_2__/* .RegistryError */ .gl && error.status === undefined)
                    unreachable = `unreachable: ${why}`;
                if (!anonymous) {
                    options.logger.warning(`${chart.reference.text}: the registry could not be checked: ${why}`, (0,_version_line_js__WEBPACK_IMPORTED_MODULE_8__/* .versionLine */ .b)(chart));
                }
                else if (!unreadableSaid) {
                    unreadableSaid = true;
                    options.logger.info(`The registry was not checked: without credentials it could not be read anonymously: ${why}. ` +
                        'A version that is already published shows only when the charts are released.');
                }
                else {
                    options.logger.debug(`${chart.reference.text}: not checked either: ${why}`);
                }
                // The why is in the log once; the chart's reason says where to find it.
                return {
                    status: 'dry-run',
                    reason: anonymous
                        ? `registry not checked: ${unreachable ? 'unreachable' : 'it refused anonymous reads'} (see the log)`
                        : `registry not checked: ${why}`,
                };
            }
        },
    };
}


/***/ }),

/***/ 47018:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ii: () => (/* binding */ parseRegistryNamespace),
/* harmony export */   Vm: () => (/* binding */ defaultRegistry),
/* harmony export */   sL: () => (/* binding */ chartReference)
/* harmony export */ });
/* harmony import */ var _chart_metadata_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(45907);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58382);
/* harmony import */ var _oci_reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(62148);



const INPUT = 'registry';
const EXAMPLE = 'e.g. oci://ghcr.io/my-org/charts';
function parseRegistryNamespace(value) {
    const text = value.trim();
    const parsed = (0,_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseOciNamespace */ .G4)(text);
    if (parsed.ok)
        return { registry: parsed.registry, namespace: parsed.namespace };
    switch (parsed.problem) {
        case 'scheme': {
            const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)?.[1];
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, scheme
                ? `scheme "${scheme}" is not supported: use "oci://host[:port]/namespace" (${EXAMPLE})`
                : `"${text}" has no "oci://" prefix: expected oci://host[:port]/namespace (${EXAMPLE})`);
        }
        case 'credentials':
            // Never repeat the value: it holds a password.
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, 'must not contain credentials (user:password@): give them in username and password, or log in with docker/login-action');
        case 'digest':
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, `"${text}" must not contain a digest: give the namespace only (${EXAMPLE})`);
        case 'registry':
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, `"${parsed.registry}" is not a registry host: expected oci://host[:port]/namespace (${EXAMPLE})`);
        case 'tag':
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, `"${text}" must not contain a tag (":${parsed.tag}"): the chart version becomes the tag; write ${parsed.untagged}`);
        case 'namespace':
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(INPUT, `namespace "${parsed.namespace}" is not a valid OCI repository path: use lowercase letters, digits and separators ".", "_", "-" (${EXAMPLE})`);
    }
}
/**
 * The reference a chart is published under. The chart must have passed publishingProblems
 * (its name is a valid repository component and its version a valid tag). A namespace that
 * already ends in the chart name is an organisation named like its chart (`oci://ghcr.io/traefik`
 * for traefik \u2192 `ghcr.io/traefik/traefik`): `helm push` appends the name all the same (\u00a73.6), and
 * HIP-6 forbids only a name the user appends to the push reference, which cannot be told apart.
 */
function chartReference(target, name, version) {
    const repository = target.namespace === '' ? name : `${target.namespace}/${name}`;
    const tag = (0,_chart_metadata_js__WEBPACK_IMPORTED_MODULE_0__/* .ociTag */ .uR)(version);
    return { registry: target.registry, repository, tag, text: `${target.registry}/${repository}:${tag}` };
}
/** The default namespace: the repository owner's GHCR charts folder. */
function defaultRegistry(repositoryOwner) {
    const owner = (repositoryOwner ?? '').toLowerCase();
    return owner ? `oci://ghcr.io/${owner}/charts` : '';
}


/***/ }),

/***/ 40490:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ versionLine)
/* harmony export */ });
/**
 * Where registry problems are annotated: the chart's `version:` line (bump the version). Its own
 * module so that the push steps, which the lazily loaded migration shares, need nothing of the
 * run at runtime.
 */
function versionLine(chart) {
    return {
        file: chart.chart.source.file,
        line: chart.chart.source.keyLines.get('version'),
        title: `${chart.chart.metadata.name} ${chart.chart.metadata.version}`,
    };
}


/***/ }),

/***/ 17302:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ compareBytewise)
/* harmony export */ });
/**
 * Go's order of strings (`<`, sort.Strings): by their UTF-8 bytes. JavaScript's default order
 * compares UTF-16 code units, which differs for characters beyond U+FFFF against U+E000\u2013U+FFFF;
 * every order Helm writes (map keys in YAML and JSON, walk order, annotations) is Go's.
 */
function compareBytewise(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}


/***/ }),

/***/ 66103:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    }),
};


/***/ }),

/***/ 60438:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/** Runs fn over items with at most `limit` in flight; results keep the input order. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}


/***/ }),

/***/ 18013:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Wf: () => (/* binding */ noDeadline),
/* harmony export */   db: () => (/* binding */ startDeadline)
/* harmony export */ });
/* unused harmony export DeadlineError */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);

/** The run stopped at its time limit; the message names the limit and what was still running. */
class DeadlineError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
}
/** No time limit: a signal that never aborts. For engine callers without a run (tests, tools). */
const noDeadline = {
    signal: new AbortController().signal,
    track: (_what, work) => work(),
};
/**
 * Starts the run's clock. `limitText` is how the limit is named to the user, e.g.
 * 'input "timeout": 30 minutes'.
 */
function startDeadline(ms, limitText) {
    const controller = new AbortController();
    const inFlight = new Map();
    let nextId = 0;
    let snapshot = [];
    let resolveReached = () => undefined;
    const reached = new Promise((resolve) => (resolveReached = resolve));
    const timer = setTimeout(() => {
        snapshot = [...new Set(inFlight.values())];
        controller.abort(new DeadlineError(`the run's time limit (${limitText}) was reached`));
        resolveReached();
    }, ms);
    // The deadline alone must never keep the process alive.
    timer.unref();
    return {
        signal: controller.signal,
        get inFlightAtExpiry() {
            return snapshot;
        },
        get expired() {
            return controller.signal.aborted;
        },
        reached,
        stop: () => clearTimeout(timer),
        within(work, graceMs) {
            let graceTimer;
            const late = reached.then(() => new Promise((_resolve, reject) => {
                graceTimer = setTimeout(() => reject(controller.signal.reason), graceMs);
                graceTimer.unref();
            }));
            return Promise.race([work, late]).finally(() => clearTimeout(graceTimer));
        },
        async track(what, work) {
            const id = nextId++;
            inFlight.set(id, what);
            try {
                return await work();
            }
            finally {
                inFlight.delete(id);
            }
        },
    };
}


/***/ }),

/***/ 58382:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DA: () => (/* binding */ ChartError),
/* harmony export */   Jk: () => (/* binding */ DomainError),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   dz: () => (/* binding */ InputError)
/* harmony export */ });
/* harmony import */ var _secret_redactor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3682);

/**
 * Base class of every error the action expects: the message is written for the user and
 * says what to fix. Anything that is not a DomainError is a bug and is reported as such.
 */
class DomainError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = new.target.name;
    }
}
/** A problem in a chart's files; points at the file (workspace-relative) and line when known. */
class ChartError extends DomainError {
    file;
    line;
    column;
    constructor(message, where, options) {
        super(message, options);
        this.file = where.file;
        this.line = where.line;
        this.column = where.column;
    }
    /** "charts/demo/Chart.yaml:4: message" \u2014 the form used in logs and summaries. */
    toString() {
        const at = this.line === undefined ? this.file : `${this.file}:${this.line}`;
        return `${at}: ${this.message}`;
    }
}
/** An action input with an unusable value; names the input and the expected form. */
class InputError extends DomainError {
    input;
    constructor(input, message, options) {
        super(`Input "${input}": ${message}`, options);
        this.input = input;
    }
}
/**
 * Renders any thrown value as one line for the user, following the cause chain. Secrets are
 * removed here, the choke point every error passes on its way to the log, outputs and summary:
 * Node's own error text quotes URLs with their userinfo, servers echo what they were sent.
 */
function describeError(error) {
    return (0,_secret_redactor_js__WEBPACK_IMPORTED_MODULE_0__/* .redactSecrets */ .fp)(withoutJsonExcerpt(renderError(error)));
}
/**
 * JSON.parse quotes about ten characters of its input (`Unexpected token 'x', "\u2026"... is not
 * valid JSON`): from a server's body that can be the start of an echoed secret, too short a
 * piece for any redaction to recognise. The excerpt is dropped; the position stays when given.
 */
function withoutJsonExcerpt(text) {
    return text.replace(/(Unexpected token '.', )(?:\.\.\.)?".*?"(?:\.\.\.)? is not valid JSON/g, '$1the input is not valid JSON');
}
function renderError(error) {
    if (error instanceof ChartError)
        return error.toString();
    if (error instanceof Error) {
        const parts = [error.message];
        let cause = error.cause;
        while (cause instanceof Error && !parts.some((p) => p.includes(cause instanceof Error ? cause.message : ''))) {
            parts.push(cause.message);
            cause = cause.cause;
        }
        return parts.join(': ');
    }
    return String(error);
}


/***/ }),

/***/ 44806:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ FileSystemError),
/* harmony export */   u: () => (/* binding */ fileSystemError)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);

/**
 * Turns a Node file-system error into a message that names the path and says what to do,
 * instead of an "unexpected error" carrying only `EACCES: permission denied, scandir '\u2026'`.
 * Anything that is not a file-system error is returned unchanged.
 */
const ADVICE = {
    EACCES: 'permission denied: make it readable (and folders listable) by the user the runner runs as, or add it to .helmignore',
    EPERM: 'operation not permitted: check its permissions and attributes, or add it to .helmignore',
    ENAMETOOLONG: 'the name is too long for the file system (255 bytes per name, 4096 per path): shorten it',
    ENOSPC: 'no space left on the device: free disk space or give another output-dir',
    EDQUOT: 'the disk quota is exceeded: free space or give another output-dir',
    EROFS: 'the file system is read-only: give a writable output-dir',
    ELOOP: 'too many levels of symbolic links (a symbolic link loop): replace the link',
    ENOENT: 'it does not exist (was it removed while the action ran?)',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder where a file was expected',
    EMFILE: 'too many open files: lower concurrency',
    ENFILE: 'too many open files on the system: lower concurrency',
    EIO: 'an input/output error from the disk',
    EBUSY: 'the file is busy',
};
class FileSystemError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
    code;
    path;
    constructor(message, code, path, options) {
        super(message, options);
        this.code = code;
        this.path = path;
    }
}
function isErrnoException(error) {
    return error instanceof Error && typeof error.code === 'string';
}
/** `cannot <doing> <path>: <advice> (<CODE>)`; `path` as the user knows it (workspace-relative). */
function fileSystemError(error, doing, path) {
    if (!isErrnoException(error) || error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk)
        return error;
    const code = error.code ?? 'EUNKNOWN';
    const advice = ADVICE[code] ?? error.message;
    return new FileSystemError(`cannot ${doing} ${path}: ${advice} (${code})`, code, path, { cause: error });
}


/***/ }),

/***/ 84025:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yo: () => (/* binding */ mayBeInsideWorkTree),
/* harmony export */   lD: () => (/* binding */ createGit)
/* harmony export */ });
/* unused harmony exports GitError, nonInteractiveGitEnv */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(58382);



/** A git command that failed; the message says what was attempted and carries git's stderr. */
class GitError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DomainError */ .Jk {
}
/**
 * A fetch deepening a large monorepo's history may take minutes; a local command that takes
 * more than two is stuck (a lock, a hung filter). The run's deadline bounds both anyway.
 */
const DEFAULT_GIT_LIMITS = { remoteMs: 5 * 60_000, localMs: 2 * 60_000 };
const REMOTE_COMMANDS = new Set(['fetch', 'ls-remote', 'pull', 'clone', 'push', 'remote']);
/**
 * Configuration that keeps git from ever waiting for a person: no terminal prompt, no askpass
 * program (an empty GIT_ASKPASS wins over core.askPass and SSH_ASKPASS), ssh in batch mode, and
 * Git Credential Manager told not to open a dialog. A fetch that needs a password fails at once
 * (persist-credentials: false on a private repository) and the compare API takes over.
 */
function nonInteractiveGitEnv(env = process.env) {
    const config = [
        ['core.askPass', ''],
        ['credential.interactive', 'never'],
    ];
    // Added after any GIT_CONFIG_* pairs the environment already carries (git \u2265 2.31).
    const existing = Number(env.GIT_CONFIG_COUNT ?? '0');
    const base = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
    const out = {
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        SSH_ASKPASS: '',
        SSH_ASKPASS_REQUIRE: 'never',
        GCM_INTERACTIVE: 'never',
        GIT_SSH_COMMAND: `${env.GIT_SSH_COMMAND || 'ssh'} -o BatchMode=yes`,
        GIT_CONFIG_COUNT: String(base + config.length),
    };
    config.forEach(([key, value], i) => {
        out[`GIT_CONFIG_KEY_${base + i}`] = key;
        out[`GIT_CONFIG_VALUE_${base + i}`] = value;
    });
    return out;
}
function createGit(runner, cwd, limits = DEFAULT_GIT_LIMITS) {
    const env = nonInteractiveGitEnv();
    const run = (args, input) => {
        const timeoutMs = REMOTE_COMMANDS.has(args[0] ?? '') ? limits.remoteMs : limits.localMs;
        return runner.run('git', args, input === undefined ? { cwd, env, timeoutMs } : { cwd, env, timeoutMs, input });
    };
    return {
        cwd,
        run,
        async output(args, purpose, input) {
            const result = await run(args, input);
            if (result.exitCode !== 0) {
                const detail = result.stderr.trim() || `exit code ${result.exitCode}`;
                const hint = result.exitCode === 127 ? ' (is git installed and on PATH?)' : '';
                throw new GitError(`${purpose}: git ${args.join(' ')} failed${hint}: ${detail}`);
            }
            return result.stdout;
        },
    };
}
/**
 * False when git cannot find a work tree from `dir`: git looks for `.git` (a directory, or the
 * file of a worktree or submodule) there and in every parent, unless GIT_DIR names one. Asking
 * git costs a process start; this costs a few file look-ups, so a workspace that is no checkout
 * (an unpacked source archive) is known for one without git at all.
 */
async function mayBeInsideWorkTree(dir, env = process.env) {
    if (env.GIT_DIR)
        return true;
    for (let current = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir);; current = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(current)) {
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.access)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(current, '.git'));
            return true;
        }
        catch {
            if ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(current) === current)
                return false;
        }
    }
}


/***/ }),

/***/ 87371:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ jsonSyntaxErrorPosition)
/* harmony export */ });
/**
 * Where a JSON text (RFC 8259) first stops being JSON. Used instead of JSON.parse's own message
 * wherever the text may hold secrets: V8 quotes the text around the fault (`Unexpected token 'x',
 * "{"auth": "dXNlcjpwYXNz\u2026" is not valid JSON`), and for that kind of fault gives no position.
 */
// Deeper than any config file; past it we give up on a position rather than risk the stack.
const MAX_DEPTH = 512;
/** The line and column of the first syntax error; undefined when the text is valid JSON. */
function jsonSyntaxErrorPosition(text) {
    const offset = firstErrorOffset(text);
    if (offset === undefined)
        return undefined;
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
class Fault extends Error {
    offset;
    constructor(offset) {
        super(`JSON syntax error at offset ${offset}`);
        this.offset = offset;
    }
}
const ESCAPES = '"\\/bfnrt';
const isDigit = (char) => char !== undefined && char >= '0' && char <= '9';
function firstErrorOffset(text) {
    let i = 0;
    const fail = () => {
        throw new Fault(i);
    };
    const space = () => {
        while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
            i++;
    };
    const expect = (char) => {
        if (text[i] !== char)
            fail();
        i++;
    };
    const string = () => {
        expect('"');
        for (;;) {
            if (i >= text.length)
                fail();
            const code = text.charCodeAt(i);
            if (code === 0x22) {
                i++;
                return;
            }
            if (code < 0x20)
                fail();
            if (code === 0x5c) {
                i++;
                if (text[i] === 'u') {
                    for (let k = 0; k < 4; k++) {
                        i++;
                        if (!/[0-9a-fA-F]/.test(text[i] ?? ''))
                            fail();
                    }
                }
                else if (!ESCAPES.includes(text[i] ?? 'x')) {
                    fail();
                }
            }
            i++;
        }
    };
    const digits = () => {
        if (!isDigit(text[i]))
            fail();
        while (isDigit(text[i]))
            i++;
    };
    const number = () => {
        if (text[i] === '-')
            i++;
        if (text[i] === '0')
            i++;
        else
            digits();
        if (text[i] === '.') {
            i++;
            digits();
        }
        if (text[i] === 'e' || text[i] === 'E') {
            i++;
            if (text[i] === '+' || text[i] === '-')
                i++;
            digits();
        }
    };
    const value = (depth) => {
        if (depth > MAX_DEPTH)
            throw new RangeError('too deep');
        space();
        const c = text[i];
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            space();
            if (text[i] === close) {
                i++;
                return;
            }
            for (;;) {
                if (c === '{') {
                    space();
                    string();
                    space();
                    expect(':');
                }
                value(depth + 1);
                space();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                expect(close);
                return;
            }
        }
        if (c === '"')
            return string();
        if (c === '-' || isDigit(c))
            return number();
        for (const word of ['true', 'false', 'null']) {
            if (text[i] !== word[0])
                continue;
            for (const char of word)
                expect(char);
            return;
        }
        fail();
    };
    try {
        value(0);
        space();
        if (i < text.length)
            fail();
        return undefined;
    }
    catch (error) {
        if (error instanceof Fault)
            return error.offset;
        if (error instanceof RangeError)
            return undefined;
        throw error;
    }
}


/***/ }),

/***/ 64381:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ silentLogger)
/* harmony export */ });
/** A logger that drops everything; for callers that have nothing to say. */
const silentLogger = {
    debug() { },
    info() { },
    warning() { },
    error() { },
    group: (_name, fn) => fn(),
    mask() { },
    isDebug: () => false,
};


/***/ }),

/***/ 3682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cl: () => (/* binding */ registerSecret),
/* harmony export */   fp: () => (/* binding */ redactSecrets)
/* harmony export */ });
/* unused harmony export clearSecrets */
/**
 * The one place that knows the run's secrets and removes them from text before it reaches the
 * log, an annotation, the outputs or the job summary. The runner's own masking matches exact
 * values line by line; this also catches the forms secrets take in error text from Node, git,
 * helpers and servers: credentials in URLs (`https://user:pass@host`), percent- and
 * JSON-escaped copies, base64 encodings (`Basic dXNlcjpwYXNz`), and Authorization header values.
 *
 * State is process-wide on purpose: a secret registered by any Logger (through mask()) must be
 * removed from every message, including errors rendered far from where the secret was read.
 */
const REDACTED = '***';
/** Shorter values would turn ordinary words into `***`; the runner still masks them exactly. */
const MIN_SECRET_LENGTH = 3;
const secrets = new Set();
/** Longest first, so that a secret containing another is removed whole. */
let ordered = [];
/** Registers a secret (and its escaped and encoded forms) to be removed from every message. */
function registerSecret(secret) {
    const forms = [secret, secret.trim(), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    forms.push(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
    let added = false;
    for (const form of forms) {
        if (form.length >= MIN_SECRET_LENGTH && !secrets.has(form)) {
            secrets.add(form);
            added = true;
        }
    }
    if (added)
        ordered = [...secrets].sort((a, b) => b.length - a.length);
}
/** Forgets every registered secret; for tests that need a clean slate. */
function clearSecrets() {
    secrets.clear();
    ordered = [];
}
/** `scheme://user:password@` and `scheme://token@` in URLs: the userinfo goes, the host stays. */
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^\s/?#@'"<>`]+@/g;
/**
 * Authorization header values (RFC 7617 Basic, RFC 6750 Bearer) in server bodies and error
 * text. A credential holds a digit or a base64/JWT symbol: "Basic credentials" is prose.
 */
const AUTH_SCHEME = /\b(Basic|Bearer)(\s+)(?=[A-Za-z0-9._~+/-]*[0-9+/=.])[A-Za-z0-9._~+/-]{8,}=*/g;
/** Base64 runs long enough to hold `user:password`; decoded to look for a registered secret. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
/** Removes every registered secret and every credential-shaped substring from text. */
function redactSecrets(text) {
    let out = text.replace(URL_USERINFO, `$1${REDACTED}@`);
    out = out.replace(AUTH_SCHEME, (_match, scheme, separator) => `${scheme}${separator}${REDACTED}`);
    if (ordered.length === 0)
        return out;
    for (const secret of ordered) {
        if (out.includes(secret))
            out = out.split(secret).join(REDACTED);
    }
    // base64 of `user:password` (or of anything holding a secret) that no rule above matched.
    return out.replace(BASE64_RUN, (run) => (containsSecret(decodeBase64(run)) ? REDACTED : run));
}
function decodeBase64(run) {
    return Buffer.from(run.replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('latin1');
}
function containsSecret(text) {
    for (const secret of secrets)
        if (text.includes(secret))
            return true;
    return false;
}


/***/ })

};

//# sourceMappingURL=864.index.js.map