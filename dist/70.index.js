export const id = 70;
export const ids = [70];
export const modules = {

/***/ 78070:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MIGRATED_FROM_ANNOTATION: () => (/* binding */ MIGRATED_FROM_ANNOTATION),
  migrateCharts: () => (/* binding */ migrateCharts)
});

// EXTERNAL MODULE: ./src/oci/reference.ts
var reference = __webpack_require__(62148);
// EXTERNAL MODULE: ./src/publish/push-chart.ts
var push_chart = __webpack_require__(7370);
// EXTERNAL MODULE: ./src/shared/concurrency.ts
var concurrency = __webpack_require__(60438);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/chart/chart-loader.ts
var chart_loader = __webpack_require__(96858);
// EXTERNAL MODULE: ./src/chart/metadata.ts + 2 modules
var metadata = __webpack_require__(45907);
// EXTERNAL MODULE: ./src/chart/go/version-constraints.ts
var version_constraints = __webpack_require__(95422);
// EXTERNAL MODULE: ./src/publish/target.ts
var target = __webpack_require__(47018);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./src/migrate/archive-time.ts

/**
 * When an existing package was made, read from its own bytes: the newest modification time of
 * its tar entries (`helm package` stamps every entry). It becomes the manifest's `created`, so
 * that migrating the same archive twice, from a repository or from a folder, gives the same
 * manifest. Undefined when the archive carries no time (old Helm wrote 0) or cannot be read;
 * the archive itself is validated elsewhere.
 */
const BLOCK = 512;
// Enough for any chart Helm loads (100 MiB of files, \u00a71.14) plus headers.
const MAX_TAR_STREAM = 256 * 1024 * 1024;
function archiveTime(archive) {
    let tar;
    try {
        tar = (0,external_node_zlib_.gunzipSync)(archive, { maxOutputLength: MAX_TAR_STREAM });
    }
    catch {
        return undefined;
    }
    let newest = 0;
    for (let offset = 0; offset + BLOCK <= tar.length;) {
        const header = tar.subarray(offset, offset + BLOCK);
        if (header.every((b) => b === 0))
            break;
        const size = octal(header.subarray(124, 136));
        const mtime = octal(header.subarray(136, 148));
        if (size === undefined)
            break;
        if (mtime !== undefined && mtime > newest)
            newest = mtime;
        offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return newest > 0 ? newest : undefined;
}
/** A tar numeric field: octal digits, NUL or space terminated. */
function octal(field) {
    const text = field
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
        .trim();
    if (!/^[0-7]*$/.test(text))
        return undefined;
    return text === '' ? 0 : Number.parseInt(text, 8);
}

// EXTERNAL MODULE: ./src/shared/sha256.ts
var shared_sha256 = __webpack_require__(81510);
;// CONCATENATED MODULE: ./src/migrate/migration-plan.ts











class NotMigratable extends errors/* DomainError */.Jk {
}
async function planMigration(packages, options) {
    const { logger } = options;
    // A name in migrate-charts that the source does not have is a mistake, said before downloading.
    if (packages.every((p) => p.name !== ''))
        unknownCharts(options.charts, new Set(packages.map((p) => p.name)));
    const selected = packages.filter((p) => p.name === '' || selects(options, p.name, p.version, logger));
    const total = selected.length;
    let done = 0;
    let bytes = 0;
    const excluded = new Set();
    const planned = await (0,concurrency/* mapLimit */.s)(selected, options.concurrency, async (pkg) => {
        const outcome = {
            name: pkg.name,
            version: pkg.version,
            path: pkg.location,
            reference: '',
            tag: '',
            status: 'failed',
            ...(pkg.deprecated ? { deprecated: true } : {}),
        };
        const result = { outcome, package: pkg };
        try {
            const prepared = await prepare(pkg, outcome, options);
            if (prepared) {
                result.prepared = prepared;
                bytes += prepared.package.size;
                outcome.status = 'skipped';
            }
            else
                excluded.add(result);
        }
        catch (error) {
            outcome.reason = error instanceof errors/* DomainError */.Jk ? (0,errors/* describeError */.Uc)(error) : `unexpected error: ${(0,errors/* describeError */.Uc)(error)}`;
            logger.error(`${label(outcome)} cannot be migrated: ${outcome.reason}`);
        }
        done++;
        const size = result.prepared
            ? `${result.prepared.package.size} bytes${result.prepared.provenance ? ' and .prov' : ''}`
            : excluded.has(result)
                ? 'not selected'
                : 'cannot be migrated';
        logger.info(`[${done}/${total}] ${label(outcome)}: ${size} (${bytes} bytes so far)`);
        return result;
    });
    // Files are only known by their Chart.yaml: those outside migrate-charts/migrate-versions drop out now.
    const kept = planned.filter((p) => !excluded.has(p));
    unknownCharts(options.charts, new Set([...packages.map((p) => p.name), ...planned.map((p) => p.outcome.name)]));
    rejectDuplicates(kept, logger);
    logger.info(`Planned ${kept.filter((p) => p.prepared).length} of ${kept.length} version(s), ${bytes} bytes`);
    return kept;
}
function unknownCharts(charts, names) {
    const unknown = charts.filter((name) => !names.has(name));
    if (unknown.length > 0) {
        throw new errors/* InputError */.dz('migrate-charts', `${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among the charts to migrate ` +
            `(${shortList([...names].filter(Boolean).sort())})`);
    }
}
function shortList(names) {
    if (names.length === 0)
        return 'none';
    return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}
function selects(options, name, version, logger) {
    if (options.charts.length > 0 && !options.charts.includes(name))
        return false;
    if (options.versions) {
        const parsed = (0,version_constraints/* parseVersion */.ot)(version);
        if (!parsed || !options.versions.check(parsed)) {
            logger.debug(`${name} ${version} does not satisfy migrate-versions "${options.versions.text}"`);
            return false;
        }
    }
    return true;
}
async function prepare(pkg, outcome, options) {
    if (pkg.problem)
        throw new NotMigratable(pkg.problem);
    if (pkg.name)
        checkNameAndVersion(pkg.name, pkg.version);
    const archive = Buffer.from(await pkg.archive());
    const sha256 = (0,shared_sha256/* sha256Hex */.f)(archive);
    outcome.chartDigest = `sha256:${sha256}`;
    outcome.size = archive.length;
    if (pkg.expectedDigest && pkg.expectedDigest !== sha256) {
        throw new NotMigratable(`the archive's sha256 is ${sha256}, but index.yaml says ${pkg.expectedDigest}: it was changed or corrupted`);
    }
    // The config blob is the metadata of the archive's own Chart.yaml, as `helm push` reads it (\u00a73.2).
    const chart = await (0,chart_loader/* loadChartArchive */.Pg)(archive, pkg.location, options.logger);
    const { name, version } = chart.metadata;
    if (pkg.name && (name !== pkg.name || version !== pkg.version)) {
        throw new NotMigratable(`index.yaml lists ${pkg.name} ${pkg.version}, but the archive's Chart.yaml is ${name} ${version}`);
    }
    outcome.name = name;
    outcome.version = version;
    if (!pkg.name) {
        if (!selects(options, name, version, options.logger))
            return undefined;
        checkNameAndVersion(name, version);
    }
    if (!(0,metadata/* isStrictSemver */.iS)(version)) {
        options.logger.warning(`${name} ${version}: not a strict SemVer 2 version; migrated as it is, but \`helm pull\` ranges cannot find it`);
    }
    const reference = (0,target/* chartReference */.sL)(options.target, name, version);
    outcome.reference = reference.text;
    outcome.tag = reference.tag;
    const provenanceBytes = await pkg.provenance().catch((error) => {
        throw new NotMigratable(`cannot download its .prov: ${(0,errors/* describeError */.Uc)(error)}`, { cause: error });
    });
    let provenance;
    if (provenanceBytes) {
        const text = Buffer.from(provenanceBytes).toString('utf8');
        // The engine carries the .prov as text; only UTF-8 survives the round trip byte for byte.
        if (!Buffer.from(text, 'utf8').equals(Buffer.from(provenanceBytes)))
            throw new NotMigratable('its .prov is not UTF-8 text');
        // Helm's .prov names the archive's sha256 in its `files:` map; pushed as it is, but said.
        if (!text.includes(`sha256:${sha256}`)) {
            options.logger.warning(`${name} ${version}: its .prov does not name this archive's sha256, so \`helm verify\` will reject it`);
        }
        const provSha = (0,shared_sha256/* sha256Hex */.f)(provenanceBytes);
        provenance = { path: `${pkg.location}.prov`, sha256: provSha, text };
        outcome.provenanceDigest = `sha256:${provSha}`;
    }
    let path = pkg.file;
    if (!path) {
        // Kept on disk, not in memory: a repository may hold thousands of versions.
        await (0,promises_.mkdir)((0,external_node_path_.join)(options.downloadDir, name), { recursive: true });
        path = (0,external_node_path_.join)(options.downloadDir, name, `${name}-${version}.tgz`);
        await (0,promises_.writeFile)(path, archive);
    }
    outcome.package = path;
    return {
        path: pkg.location,
        // Only the metadata is needed from here on; the files stay in the archive on disk, so that a
        // repository of thousands of versions is not held in memory until the pushes.
        chart: { ...chart, values: null, schema: null, templates: [], files: [], dependencies: [] },
        reference,
        package: { path, fileName: `${name}-${version}.tgz`, sha256, size: archive.length, entries: 0 },
        epoch: archiveTime(archive) ?? pkg.created ?? 0,
        ...(provenance ? { provenance } : {}),
    };
}
/** What OCI needs of a chart name and version (helm-oci.md \u00a73.5); Helm's own index rules first. */
function checkNameAndVersion(name, version) {
    if (name.includes('/') || !(0,reference/* isValidRepository */.d)(name)) {
        throw new NotMigratable(`chart name "${name}" cannot be an OCI repository name: OCI allows lowercase letters and digits, ` +
            'separated by single ".", "_", "__" or runs of "-"');
    }
    if (!(0,version_constraints/* parseVersion */.ot)(version)) {
        throw new NotMigratable(`version "${version}" is not SemVer: Helm itself skips this entry of index.yaml`);
    }
    if (!(0,reference/* isValidTag */.r_)((0,metadata/* ociTag */.uR)(version))) {
        throw new NotMigratable(`version "${version}" cannot become an OCI tag ("${(0,metadata/* ociTag */.uR)(version)}" is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
    }
}
/** The same name and version listed twice would race for one tag: the later ones are reported. */
function rejectDuplicates(planned, logger) {
    const seen = new Map();
    for (const item of planned) {
        const prepared = item.prepared;
        if (!prepared)
            continue;
        const first = seen.get(prepared.reference.text);
        if (!first) {
            seen.set(prepared.reference.text, item);
            continue;
        }
        delete item.prepared;
        item.outcome.status = 'failed';
        item.outcome.reason = `${item.outcome.name} ${item.outcome.version} is also at ${first.outcome.path}: only the first is migrated`;
        logger.error(`${label(item.outcome)} cannot be migrated: ${item.outcome.reason}`);
    }
}
function label(outcome) {
    return outcome.name ? `${outcome.name} ${outcome.version}` : outcome.path;
}

;// CONCATENATED MODULE: ./src/migrate/migration-run.ts





/**
 * A migration: existing chart packages (from a chart repository's index.yaml or from workspace
 * files) pushed byte for byte, with the guarantees of a publish. Plan, then act: every selected
 * version is downloaded and checked first. Under `on-invalid: fail` nothing is pushed when any
 * selected version cannot be migrated; under `skip` the others are. Each push goes through the
 * immutability guard (push-chart.ts): a version already migrated is `unchanged` and nothing is
 * uploaded, so an interrupted migration is simply run again.
 */
/** Where the URL a chart was migrated from is recorded in its manifest. */
const MIGRATED_FROM_ANNOTATION = 'io.github.oci-chart-publish.migrated-from';
async function migrateCharts(packages, options, steps) {
    const { logger } = steps;
    const planned = await logger.group(`Downloading and checking ${packages.length} package(s) from ${options.from}`, () => planMigration(packages, { ...options, logger }));
    const ready = planned.filter((p) => p.prepared !== undefined);
    const invalid = planned.length - ready.length;
    const deprecated = planned.filter((p) => p.package.deprecated).length;
    const report = {
        dryRun: options.dryRun,
        registry: (0,reference/* ociNamespaceText */.eR)(options.target),
        charts: planned.map((p) => p.outcome),
        deleted: [],
        onInvalid: options.onInvalid,
        selection: `migration of ${planned.length} version(s) of ${new Set(planned.map((p) => p.outcome.name || p.outcome.path)).size} chart(s) ` +
            `from ${options.from}` +
            (deprecated > 0 ? `, ${deprecated} of them deprecated` : '') +
            (invalid > 0 ? `; ${invalid} cannot be migrated` : ''),
    };
    const contextFor = (item, push) => ({
        repository: (chart) => steps.repository(chart, push),
        onConflict: options.onConflict,
        conflictAdvice: 'compare the two, then set on-conflict to skip (keep the registry version) or overwrite (take the migrated one)',
        logger,
        ...(options.repositoryUrl ? { repositoryUrl: options.repositoryUrl } : {}),
        annotations: new Map([
            ...options.annotations,
            ...(item.package.downloadUrl ? [[MIGRATED_FROM_ANNOTATION, item.package.downloadUrl]] : []),
        ]),
    });
    if (options.dryRun) {
        for (const item of ready) {
            item.outcome.status = 'dry-run';
            item.outcome.reason = 'would be pushed as it is';
        }
        if (steps.canCheck) {
            await logger.group('Checking the registry (dry-run)', () => (0,concurrency/* mapLimit */.s)(ready, options.concurrency, async (item) => {
                try {
                    apply(item.outcome, await (0,push_chart/* checkChart */.tG)(item.prepared, contextFor(item, false)), logger);
                }
                catch (error) {
                    if (!(error instanceof errors/* DomainError */.Jk))
                        throw error;
                    logger.warning(`${item.prepared.reference.text}: the registry could not be checked (${(0,errors/* describeError */.Uc)(error)})`);
                    item.outcome.reason = `registry not checked: ${(0,errors/* describeError */.Uc)(error)}`;
                }
            }));
        }
        if (invalid > 0 && options.onInvalid === 'fail') {
            for (const item of ready) {
                item.outcome.reason = `${item.outcome.reason ?? ''}; but nothing would be pushed: ${invalid} selected version(s) cannot be migrated (on-invalid: fail)`;
            }
        }
        return report;
    }
    if (invalid > 0 && options.onInvalid === 'fail') {
        for (const item of ready) {
            item.outcome.reason =
                `not pushed: ${invalid} selected version(s) cannot be migrated, and on-invalid: fail pushes nothing ` +
                    'unless every selected version can be (on-invalid: skip pushes the others)';
        }
        logger.error(`${invalid} of ${planned.length} selected version(s) cannot be migrated: nothing is pushed (on-invalid: fail)`);
        report.blocked = `${invalid} of ${planned.length} selected version(s) cannot be migrated, and on-invalid: fail pushes nothing`;
        return report;
    }
    const total = ready.length;
    let done = 0;
    let bytes = 0;
    await logger.group(`Pushing ${total} version(s) to ${report.registry}`, () => (0,concurrency/* mapLimit */.s)(ready, options.concurrency, async (item) => {
        try {
            const result = await (0,push_chart/* pushChart */.zO)(item.prepared, contextFor(item, true));
            apply(item.outcome, result, logger);
            if (result.status === 'published')
                bytes += item.prepared.package.size;
        }
        catch (error) {
            item.outcome.status = 'failed';
            item.outcome.reason = error instanceof errors/* DomainError */.Jk ? (0,errors/* describeError */.Uc)(error) : `unexpected error: ${(0,errors/* describeError */.Uc)(error)}`;
            logger.error(`${item.prepared.reference.text}: failed \u2014 ${item.outcome.reason}`);
        }
        done++;
        logger.info(`[${done}/${total}] ${label(item.outcome)}: ${item.outcome.status} (${bytes} bytes uploaded so far)`);
    }));
    return report;
}
function apply(outcome, result, logger) {
    outcome.status = result.status;
    if (result.digest)
        outcome.digest = result.digest;
    if (result.reason)
        outcome.reason = result.reason;
    else
        delete outcome.reason;
    if (result.wouldBe)
        outcome.wouldBe = result.wouldBe;
    if (result.provenanceDigest === null)
        delete outcome.provenanceDigest;
    else if (result.provenanceDigest)
        outcome.provenanceDigest = result.provenanceDigest;
    const line = `${outcome.reference}: ${result.status}${result.digest ? ` (${result.digest})` : ''}${result.reason ? ` \u2014 ${result.reason}` : ''}`;
    if (result.status === 'failed')
        logger.error(line);
    else if (result.status === 'skipped')
        logger.warning(line);
    else
        logger.info(line);
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

//# sourceMappingURL=70.index.js.map