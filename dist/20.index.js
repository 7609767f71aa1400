export const id = 20;
export const ids = [20];
export const modules = {

/***/ 41020:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkValuesSchemas: () => (/* binding */ checkValuesSchemas)
});

// UNUSED EXPORTS: lineOfPointer

// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var dist_ajv = __webpack_require__(42463);
// EXTERNAL MODULE: ./node_modules/ajv/dist/2019.js
var _2019 = __webpack_require__(60878);
// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(52210);
// EXTERNAL MODULE: ./node_modules/ajv-draft-04/dist/index.js
var dist = __webpack_require__(70905);
var dist_default = /*#__PURE__*/__webpack_require__.n(dist);
// EXTERNAL MODULE: ./node_modules/ajv-formats/dist/index.js
var ajv_formats_dist = __webpack_require__(82815);
var ajv_formats_dist_default = /*#__PURE__*/__webpack_require__.n(ajv_formats_dist);
// EXTERNAL MODULE: ./node_modules/ajv/dist/refs/json-schema-draft-06.json
var json_schema_draft_06 = __webpack_require__(66012);
// EXTERNAL MODULE: ./src/chart/chart-loader.ts
var chart_loader = __webpack_require__(96858);
// EXTERNAL MODULE: ./src/shared/json-syntax.ts
var json_syntax = __webpack_require__(87371);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(58382);
// EXTERNAL MODULE: ./src/chart/go/yaml-decode.ts
var yaml_decode = __webpack_require__(83167);
;// CONCATENATED MODULE: ./src/chart/values-coalesce.ts



function escapePointer(key) {
    return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
function isMap(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Location of a values.yaml file in messages. */
function valuesFile(chart) {
    if (chart.location.includes(':') || chart.location.endsWith('.tgz'))
        return `${chart.location}:values.yaml`;
    return chart.location === '.' ? 'values.yaml' : `${chart.location}/values.yaml`;
}
async function readDefaults(chart, pointer, origins, decoded) {
    if (!chart.values)
        return {};
    const file = valuesFile(chart);
    if (!decoded.has(chart)) {
        try {
            decoded.set(chart, (0,yaml_decode/* decodeYaml */.SE)((await (0,chart_loader/* readChartFile */.PP)(chart.values)).toString('utf8')));
        }
        catch (error) {
            if (error instanceof yaml_decode/* YamlSyntaxError */.nN) {
                throw new errors/* ChartError */.DA(`cannot read values.yaml: ${error.message}`, { file, line: error.line, column: error.column });
            }
            throw error;
        }
    }
    const node = decoded.get(chart);
    if (!node || node.kind === 'null')
        return {};
    const value = toValue(node, file, pointer, origins);
    return isMap(value) ? value : {};
}
function toValue(node, file, pointer, origins, keyLine) {
    // A map entry is pointed at by its key's line: a nested map or list starts on the next one.
    origins.set(pointer, { file, line: keyLine ?? node.pos.line });
    switch (node.kind) {
        case 'null':
            return null;
        case 'bool':
        case 'float':
        case 'string':
            return node.value;
        case 'int':
            return Number(node.value);
        case 'seq':
            return node.items.map((item, i) => toValue(item, file, `${pointer}/${i}`, origins));
        case 'map': {
            const out = {};
            for (const { key, value } of node.entries) {
                // sigs.k8s.io/yaml turns every key into a JSON object key (a string).
                const name = key.kind === 'null' ? 'null' : 'value' in key ? String(key.value) : '';
                out[name] = toValue(value, file, `${pointer}/${escapePointer(name)}`, origins, key.pos.line);
            }
            return out;
        }
    }
}
/** Copies the origins of a subtree from one pointer to another. */
function copyOrigins(value, from, to, source, target) {
    const origin = source.get(from);
    if (origin)
        target.set(to, origin);
    if (Array.isArray(value))
        value.forEach((v, i) => copyOrigins(v, `${from}/${i}`, `${to}/${i}`, source, target));
    else if (isMap(value)) {
        for (const [k, v] of Object.entries(value))
            copyOrigins(v, `${from}/${escapePointer(k)}`, `${to}/${escapePointer(k)}`, source, target);
    }
}
function clone(value) {
    return structuredClone(value);
}
/**
 * coalesceTablesFullKey: keys of `src` missing in `dst` are copied; maps are merged with
 * `dst` winning; a null in `dst` removes the key (coalescing, not merging).
 */
function coalesceTables(dst, src, pointer, srcPointer, srcOrigins, origins, deleteNulls) {
    for (const [key, value] of Object.entries(src)) {
        const at = `${pointer}/${escapePointer(key)}`;
        const from = `${srcPointer}/${escapePointer(key)}`;
        if (!(key in dst)) {
            dst[key] = clone(value);
            copyOrigins(value, from, at, srcOrigins, origins);
            continue;
        }
        const mine = dst[key];
        if (mine === null && deleteNulls)
            delete dst[key];
        else if (isMap(mine) && isMap(value))
            coalesceTables(mine, value, at, from, srcOrigins, origins, deleteNulls);
    }
}
/** coalesceGlobals: the parent's `global` is copied into the subchart's, the parent winning. */
function coalesceGlobals(dest, src, destPointer, srcPointer, origins) {
    const sg = src.global;
    if (!isMap(sg))
        return;
    let dg = dest.global;
    if (!isMap(dg)) {
        dg = {};
        dest.global = dg;
        const origin = origins.get(`${srcPointer}/global`);
        if (origin)
            origins.set(`${destPointer}/global`, origin);
    }
    for (const [key, value] of Object.entries(sg)) {
        const from = `${srcPointer}/global/${escapePointer(key)}`;
        const at = `${destPointer}/global/${escapePointer(key)}`;
        const existing = dg[key];
        if (isMap(value)) {
            const copy = clone(value);
            if (existing === undefined) {
                dg[key] = copy;
                copyOrigins(value, from, at, origins, origins);
            }
            else if (isMap(existing)) {
                const scratch = new Map();
                copyOrigins(existing, at, at, origins, scratch);
                copyOrigins(value, from, at, origins, origins);
                coalesceTables(copy, existing, at, at, scratch, origins, false);
                dg[key] = copy;
            }
        }
        else if (!isMap(existing)) {
            dg[key] = clone(value);
            copyOrigins(value, from, at, origins, origins);
        }
    }
}
/**
 * Coalesces the chart's defaults into `values` (the values given to it by its parent), then
 * its subcharts', recursively (Helm's coalesce \u2192 coalesceValues \u2192 coalesceDeps).
 */
async function coalesce(instance, values, origins, decoded) {
    const defaultsOrigins = new Map();
    const defaults = await readDefaults(instance.chart, instance.pointer, defaultsOrigins, decoded);
    coalesceTables(values, defaults, instance.pointer, instance.pointer, defaultsOrigins, origins, true);
    for (const dep of instance.dependencies) {
        let sub = values[dep.name];
        if (sub === undefined || sub === null) {
            sub = {};
            values[dep.name] = sub;
            origins.set(dep.pointer, { file: valuesFile(dep.chart) });
        }
        if (!isMap(sub))
            continue;
        coalesceGlobals(sub, values, dep.pointer, instance.pointer, origins);
        await coalesce(dep, sub, origins, decoded);
    }
}
/** The subchart tree with aliases applied (Helm's getAliasDependency); no conditions yet. */
function instances(chart, pointer, path, enabled) {
    const root = { chart, name: chart.metadata.name, pointer, path, dependencies: [], disabled: [] };
    const declared = (chart.metadata.dependencies ?? []).filter((d) => d !== null);
    const used = new Set();
    const add = (sub, name, condition) => {
        const dep = instances(sub, `${pointer}/${escapePointer(name)}`, `${path}${name}.`, enabled);
        dep.name = name;
        if (enabled(dep, condition))
            root.dependencies.push(dep);
        else
            root.disabled.push(name);
    };
    for (const d of declared) {
        const sub = chart.dependencies.find((c) => c.metadata.name === d.name);
        if (!sub)
            continue;
        used.add(sub);
        add(sub, d.alias || d.name, { condition: d.condition, tags: d.tags ?? [] });
    }
    // A chart in charts/ that Chart.yaml does not declare is always rendered, under its own name.
    for (const sub of chart.dependencies)
        if (!used.has(sub))
            add(sub, sub.metadata.name, { condition: '', tags: [] });
    return root;
}
/** Helm's processDependencyEnabled: tags first, then the first condition path that is a boolean. */
function isEnabled(values, parentPath, condition) {
    let enabled = true;
    const tags = values.tags;
    if (condition.tags.length > 0 && isMap(tags)) {
        const set = condition.tags.map((t) => tags[t]).filter((t) => typeof t === 'boolean');
        if (set.length > 0)
            enabled = set.some((t) => t);
    }
    for (const c of condition.condition.split(',').map((s) => s.trim())) {
        if (c === '')
            continue;
        const found = pathValue(values, `${parentPath}${c}`);
        if (typeof found === 'boolean')
            return found;
    }
    return enabled;
}
function pathValue(values, path) {
    let current = values;
    for (const part of path.split('.')) {
        if (!isMap(current))
            return undefined;
        current = current[part];
    }
    return current;
}
/**
 * The chart's default values as Helm validates them: subcharts disabled by their condition or
 * tags (evaluated on the fully coalesced values, as Helm does) are left out.
 */
async function coalescedDefaults(chart) {
    const everything = instances(chart, '', '', () => true);
    const decoded = new Map();
    const probe = {};
    await coalesce(everything, probe, new Map(), decoded);
    const parentPath = (dep) => dep.path.slice(0, dep.path.length - dep.name.length - 1);
    const root = instances(chart, '', '', (dep, condition) => isEnabled(probe, parentPath(dep), condition));
    const values = {};
    const origins = new Map();
    await coalesce(root, values, origins, decoded);
    return { values, origins, root };
}
/** The origin of the value at `pointer`, or of its nearest ancestor that has one. */
function originOf(origins, pointer) {
    let at = pointer;
    for (;;) {
        const origin = origins.get(at);
        if (origin)
            return origin;
        if (at === '')
            return undefined;
        at = at.slice(0, at.lastIndexOf('/'));
    }
}

;// CONCATENATED MODULE: ./src/chart/values-schema.ts









const DRAFT_URIS = {
    // santhosh-tekuri v6 reads the unversioned URI as its latest draft (2020-12).
    'json-schema.org/schema': '2020-12',
    'json-schema.org/draft/2020-12/schema': '2020-12',
    'json-schema.org/draft/2019-09/schema': '2019-09',
    'json-schema.org/draft-07/schema': '07',
    'json-schema.org/draft-06/schema': '06',
    'json-schema.org/draft-04/schema': '04',
};
const CANONICAL = {
    '2020-12': 'https://json-schema.org/draft/2020-12/schema',
    '2019-09': 'https://json-schema.org/draft/2019-09/schema',
    '07': 'http://json-schema.org/draft-07/schema#',
    '06': 'http://json-schema.org/draft-06/schema#',
    '04': 'http://json-schema.org/draft-04/schema#',
};
/** Helm compiles the schema as this resource; relative references resolve against it. */
const BASE_URI = 'file:///values.schema.json';
const MAX_ERRORS_PER_SCHEMA = 20;
/** Checks every schema of the chart (and its enabled subcharts) and the default values against them. */
async function checkValuesSchemas(chart, options) {
    const report = { findings: [], notes: [] };
    if (!(0,chart_loader/* hasValuesSchema */.sQ)(chart))
        return report;
    const coalesced = await coalescedDefaults(chart);
    await checkInstance(coalesced.root, coalesced.values, coalesced.origins, options, report);
    return report;
}
function schemaFile(chart) {
    if (chart.location.includes(':') || chart.location.endsWith('.tgz'))
        return `${chart.location}:values.schema.json`;
    return chart.location === '.' ? 'values.schema.json' : `${chart.location}/values.schema.json`;
}
async function checkInstance(instance, values, origins, options, report) {
    const label = instance.pointer === '' ? instance.chart.metadata.name : `${instance.chart.metadata.name} (as ${instance.path.slice(0, -1)})`;
    if (instance.chart.schema) {
        const file = schemaFile(instance.chart);
        const before = report.findings.filter((f) => f.severity === 'error').length;
        const validate = await compileSchema(instance.chart, file, options, report);
        if (validate) {
            if (!validate(values)) {
                const found = (validate.errors ?? []).map((error) => valuesError(error, instance, file, origins));
                found.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
                report.findings.push(...found.slice(0, MAX_ERRORS_PER_SCHEMA));
            }
        }
        const errors = report.findings.filter((f) => f.severity === 'error').length - before;
        report.notes.push(errors === 0
            ? `${file}: default values of ${label} validate${instance.disabled.length ? ` (disabled: ${instance.disabled.join(', ')})` : ''}`
            : `${file}: ${errors} problem(s) for ${label}`);
    }
    for (const dep of instance.dependencies) {
        const raw = values[dep.name];
        if (raw === undefined || raw === null)
            continue;
        if (typeof raw !== 'object' || Array.isArray(raw)) {
            const origin = originOf(origins, dep.pointer);
            report.findings.push({
                severity: 'error',
                message: `values for subchart ${dep.name} must be a map, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
                file: origin?.file ?? schemaFile(dep.chart),
                ...(origin?.line ? { line: origin.line } : {}),
            });
            continue;
        }
        await checkInstance(dep, raw, origins, options, report);
    }
}
async function compileSchema(chart, file, options, report) {
    const text = (await (0,chart_loader/* readChartFile */.PP)(chart.schema)).toString('utf8');
    let schema;
    try {
        schema = JSON.parse(text);
    }
    catch (error) {
        report.findings.push({
            severity: 'error',
            file,
            ...(0,json_syntax/* jsonSyntaxErrorPosition */.X)(text),
            message: `invalid JSON: ${error.message}`,
        });
        return undefined;
    }
    if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
        report.findings.push({ severity: 'error', file, message: 'values.schema.json must hold a JSON object (or a boolean) schema' });
        return undefined;
    }
    const declared = typeof schema === 'object' ? schema.$schema : undefined;
    let draft = '2020-12';
    if (typeof declared === 'string') {
        const key = declared.replace(/#$/, '').replace(/^https?:\/\//, '');
        const known = DRAFT_URIS[key];
        if (known)
            draft = known;
        else {
            report.findings.push({
                severity: options.remoteRefs === 'allow' ? 'warning' : 'error',
                file,
                line: lineOfKey(text, '$schema'),
                message: `"$schema": "${declared}" is not a JSON Schema draft Helm knows: Helm downloads it as a custom meta-schema at install time, ` +
                    'which fails without network access; declare a standard draft such as https://json-schema.org/draft/2020-12/schema' +
                    (options.remoteRefs === 'allow' ? ' (schema-remote-refs: allow; checked here as 2020-12)' : ''),
            });
            if (options.remoteRefs !== 'allow')
                return undefined;
        }
    }
    const walk = walkSchema(schema, draft);
    const before = report.findings.length;
    for (const [id, pointers] of walk.ids) {
        if (pointers.length < 2)
            continue;
        report.findings.push({
            severity: 'error',
            file,
            line: lineOfPointer(text, pointers[1]),
            message: `"$id" ${id} appears ${pointers.length} times (at ${pointers.map((p) => `#${p}`).join(', ')}); Helm's schema engine refuses a schema whose $ids repeat: give each a unique $id`,
        });
    }
    const external = new Set();
    for (const ref of walk.refs) {
        const target = ref.resolved.split('#')[0] ?? '';
        if (walk.documents.has(target))
            continue;
        const kind = target.startsWith('http:') || target.startsWith('https:') ? 'remote' : target.startsWith('urn:') ? 'urn' : 'file';
        if (kind === 'urn') {
            report.findings.push({
                severity: 'warning',
                file,
                line: lineOfPointer(text, ref.pointer),
                message: `"$ref": "${ref.ref}" is a URN that Helm cannot resolve; it validates nothing (Helm substitutes an always-true schema)`,
            });
        }
        else {
            const allow = options.remoteRefs === 'allow';
            report.findings.push({
                severity: allow ? 'warning' : 'error',
                file,
                line: lineOfPointer(text, ref.pointer),
                message: `"$ref": "${ref.ref}" points ${kind === 'remote' ? `to ${target}, which Helm downloads` : `to the file ${target}, which Helm reads from the installing machine`} ` +
                    'at install time: installs without network access (or from another directory) fail. Inline the referenced schema under $defs' +
                    (allow ? ' (schema-remote-refs: allow; not checked here)' : ', or set schema-remote-refs: allow'),
            });
        }
        external.add(target);
    }
    if (report.findings.slice(before).some((f) => f.severity === 'error'))
        return undefined;
    const ajv = newAjv(draft);
    // Allowed external documents validate anything here: their content is not ours to check.
    for (const target of external)
        ajv.addSchema({}, target);
    // Compiled as Helm compiles it: as the resource file:///values.schema.json, so that relative
    // references resolve as they do for Helm.
    const idKey = draft === '04' ? 'id' : '$id';
    const compilable = typeof schema === 'object' ? { [idKey]: BASE_URI, ...schema, $schema: CANONICAL[draft] } : schema;
    try {
        if (typeof compilable === 'object' && !ajv.validateSchema(compilable)) {
            const first = ajv.errors?.[0];
            report.findings.push({
                severity: 'error',
                file,
                line: first ? lineOfPointer(text, first.instancePath) : undefined,
                message: `does not compile as JSON Schema ${draft}: ${first ? `#${first.instancePath} ${first.message ?? 'is invalid'}` : 'invalid schema'}`,
            });
            return undefined;
        }
        return ajv.compile(compilable);
    }
    catch (error) {
        report.findings.push({
            severity: 'error',
            file,
            message: `does not compile as JSON Schema ${draft}: ${error instanceof Error ? error.message : String(error)}`,
        });
        return undefined;
    }
}
function newAjv(draft) {
    // strict: false: Helm's engine ignores unknown keywords and formats, and so must we.
    const options = { strict: false, allErrors: true, logger: false, validateFormats: draft !== '2019-09' && draft !== '2020-12' };
    let ajv;
    if (draft === '2020-12')
        ajv = new _2020.Ajv2020(options);
    else if (draft === '2019-09')
        ajv = new _2019.Ajv2019(options);
    else if (draft === '04')
        ajv = new (dist_default())(options);
    else {
        ajv = new dist_ajv.Ajv(options);
        if (draft === '06')
            ajv.addMetaSchema(json_schema_draft_06);
    }
    ajv_formats_dist_default()(ajv);
    return ajv;
}
/** Keywords whose value is a map of name \u2192 subschema (the names are not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
/** Keywords whose value is data, not schema. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example', 'required']);
function walkSchema(schema, draft) {
    const walk = { ids: new Map(), documents: new Set([BASE_URI]), refs: [] };
    const idKey = draft === '04' ? 'id' : '$id';
    const visit = (node, pointer, base) => {
        if (Array.isArray(node)) {
            node.forEach((item, i) => visit(item, `${pointer}/${i}`, base));
            return;
        }
        if (typeof node !== 'object' || node === null)
            return;
        const obj = node;
        let here = base;
        const id = obj[idKey];
        if (typeof id === 'string' && !id.startsWith('#')) {
            here = resolveUri(id, base);
            const doc = here.split('#')[0] ?? here;
            walk.documents.add(doc);
            walk.ids.set(doc, [...(walk.ids.get(doc) ?? []), pointer]);
        }
        for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) {
            const ref = obj[key];
            if (typeof ref === 'string')
                walk.refs.push({ ref, resolved: resolveUri(ref, here), pointer: `${pointer}/${escapePointer(key)}` });
        }
        for (const [key, value] of Object.entries(obj)) {
            if (DATA_KEYWORDS.has(key))
                continue;
            const at = `${pointer}/${escapePointer(key)}`;
            if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
                for (const [name, sub] of Object.entries(value))
                    visit(sub, `${at}/${escapePointer(name)}`, here);
            }
            else
                visit(value, at, here);
        }
    };
    visit(schema, '', BASE_URI);
    // Ids reached through references to the document itself are not external.
    return walk;
}
function resolveUri(ref, base) {
    try {
        return new URL(ref, base).href;
    }
    catch {
        return ref;
    }
}
function valuesError(error, instance, schemaFileName, origins) {
    let pointer = instance.pointer + error.instancePath;
    const params = error.params;
    if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
        pointer += `/${escapePointer(params.additionalProperty)}`;
    }
    const origin = originOf(origins, pointer);
    const path = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).split('/').join('.');
    const extra = params.additionalProperty !== undefined ? ` "${params.additionalProperty}"` : '';
    const message = `${path}: ${error.message ?? 'is invalid'}${extra} (${schemaFileName}${error.schemaPath})`;
    return {
        severity: 'error',
        message: `default values do not validate against ${schemaFileName}: ${message}`,
        file: origin?.file ?? schemaFileName,
        ...(origin?.line ? { line: origin.line } : {}),
    };
}
/** The line of the first `"key":` in the text; enough for the top-level $schema. */
function lineOfKey(text, key) {
    const at = text.indexOf(`"${key}"`);
    return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}
/**
 * The line of the value at a JSON pointer, found by a small scan of the JSON text (the parsed
 * value has no positions). Undefined when the pointer cannot be followed.
 */
function lineOfPointer(text, pointer) {
    const parts = pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    let i = 0;
    const ws = () => {
        while (i < text.length && /\s/.test(text[i]))
            i++;
    };
    const skipString = () => {
        i++;
        while (i < text.length && text[i] !== '"')
            i += text[i] === '\\' ? 2 : 1;
        i++;
    };
    const skipValue = () => {
        ws();
        const c = text[i];
        if (c === '"')
            return skipString();
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            ws();
            while (i < text.length && text[i] !== close) {
                if (c === '{') {
                    skipString();
                    ws();
                    i++; // :
                }
                skipValue();
                ws();
                if (text[i] === ',')
                    i++;
                ws();
            }
            i++;
            return;
        }
        while (i < text.length && !/[\s,\]}]/.test(text[i]))
            i++;
    };
    ws();
    for (const part of parts) {
        ws();
        const c = text[i];
        if (c === '{') {
            i++;
            for (;;) {
                ws();
                if (text[i] !== '"')
                    return undefined;
                const start = i;
                skipString();
                const key = JSON.parse(text.slice(start, i));
                ws();
                i++; // :
                ws();
                if (key === part)
                    break;
                skipValue();
                ws();
                if (text[i] !== ',')
                    return undefined;
                i++;
            }
        }
        else if (c === '[') {
            i++;
            const index = Number(part);
            for (let n = 0; n < index; n++) {
                skipValue();
                ws();
                if (text[i] !== ',')
                    return undefined;
                i++;
            }
            ws();
        }
        else
            return undefined;
    }
    return text.slice(0, i).split('\n').length;
}


/***/ })

};

//# sourceMappingURL=20.index.js.map