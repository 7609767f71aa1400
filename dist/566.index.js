export const id = 566;
export const ids = [566];
export const modules = {

/***/ 33566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   describeEvent: () => (/* binding */ describeEvent)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);

const ZERO_SHA = /^0+$/;
/** `release` activity types that take a release down rather than put one out. */
const RELEASE_WITHDRAWN = new Set(['deleted', 'unpublished']);
function describeEvent(context) {
    const { eventName, payload, sha } = context;
    const defaultBranch = context.defaultBranch || text(payload, 'repository', 'default_branch');
    const base = context.base?.trim();
    if (base) {
        const head = eventHead(context) ?? sha;
        return { kind: 'range', base, head, reason: `input "base" ${base} (instead of what the ${eventName} event compares)` };
    }
    switch (eventName) {
        case 'pull_request':
        case 'pull_request_target': {
            const pr = `pull request #${text(payload, 'number') ?? text(payload, 'pull_request', 'number') ?? '?'}`;
            const action = text(payload, 'action');
            return {
                kind: 'merge-base',
                base: required(payload, eventName, 'pull_request', 'base', 'sha'),
                head: required(payload, eventName, 'pull_request', 'head', 'sha'),
                reason: `${eventName} (${pr}${action ? `, ${action}` : ''}) from ${text(payload, 'pull_request', 'head', 'ref') ?? 'its branch'} into ${text(payload, 'pull_request', 'base', 'ref') ?? 'its base'}`,
            };
        }
        case 'merge_group':
            return {
                kind: 'merge-base',
                base: required(payload, eventName, 'merge_group', 'base_sha'),
                head: required(payload, eventName, 'merge_group', 'head_sha'),
                reason: `merge_group into ${text(payload, 'merge_group', 'base_ref') ?? 'its base'}`,
            };
        case 'push':
            return describePush(context, defaultBranch);
        case 'release': {
            const tag = required(payload, eventName, 'release', 'tag_name');
            const action = text(payload, 'action');
            // A release taken down is no reason to publish its tag, as a deleted tag is not.
            if (action !== undefined && RELEASE_WITHDRAWN.has(action)) {
                return { kind: 'none', reason: `release ${tag} ${action}: nothing to publish` };
            }
            return { kind: 'tag', tag, head: sha, reason: `release ${tag} (${action ?? 'event'})` };
        }
        case 'create': {
            const ref = required(payload, eventName, 'ref');
            if (text(payload, 'ref_type') === 'tag')
                return { kind: 'tag', tag: ref, head: sha, reason: `create of tag ${ref}` };
            return newBranch(ref, sha, defaultBranch, `create of branch ${ref}`);
        }
        case 'delete':
            return {
                kind: 'none',
                reason: `delete of ${text(payload, 'ref_type') ?? 'ref'} ${text(payload, 'ref') ?? ''}: nothing to publish`.trim(),
            };
        case 'workflow_dispatch':
        case 'schedule':
            return { kind: 'all', reason: `${eventName} publishes all charts (set the "base" input to compare with a commit instead)` };
        default:
            return { kind: 'all', reason: `the ${eventName} event says nothing about what changed, so all charts are selected` };
    }
}
function describePush(context, defaultBranch) {
    const { payload } = context;
    const ref = text(payload, 'ref') ?? context.ref;
    const before = text(payload, 'before') ?? '';
    const after = text(payload, 'after') ?? context.sha;
    if (flag(payload, 'deleted') || ZERO_SHA.test(after)) {
        return { kind: 'none', reason: `push deleted ${ref}: nothing to publish` };
    }
    if (ref.startsWith('refs/tags/')) {
        const tag = ref.slice('refs/tags/'.length);
        return { kind: 'tag', tag, head: after, reason: `push of tag ${tag}` };
    }
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    if (before === '' || ZERO_SHA.test(before))
        return newBranch(branch, after, defaultBranch, `push creating branch ${branch}`);
    return { kind: 'range', base: before, head: after, reason: `push to ${branch}` };
}
/** A branch that did not exist before: compared with the point where it left the default branch. */
function newBranch(branch, head, defaultBranch, reason) {
    if (!defaultBranch)
        return { kind: 'all', reason: `${reason}; the default branch is unknown, so all charts are selected` };
    if (branch === defaultBranch) {
        return { kind: 'all', reason: `${reason}, the default branch itself (a first push): all charts are new` };
    }
    return { kind: 'branch-point', defaultBranch, head, reason };
}
/** The commit an event is about, for a `base` given by input. */
function eventHead(context) {
    const { payload, eventName } = context;
    if (eventName === 'pull_request' || eventName === 'pull_request_target')
        return text(payload, 'pull_request', 'head', 'sha');
    if (eventName === 'merge_group')
        return text(payload, 'merge_group', 'head_sha');
    if (eventName === 'push') {
        const after = text(payload, 'after');
        return after && !ZERO_SHA.test(after) ? after : undefined;
    }
    return undefined;
}
function field(value, path) {
    let current = value;
    for (const key of path) {
        if (current === null || typeof current !== 'object')
            return undefined;
        current = current[key];
    }
    return current;
}
function text(value, ...path) {
    const found = field(value, path);
    if (typeof found === 'string' && found !== '')
        return found;
    return typeof found === 'number' ? String(found) : undefined;
}
function flag(value, key) {
    return field(value, [key]) === true;
}
function required(payload, eventName, ...path) {
    const found = text(payload, ...path);
    if (found === undefined) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk(`The ${eventName} event payload has no ${path.join('.')}; is GITHUB_EVENT_PATH the event of this run?`);
    }
    return found;
}


/***/ })

};

//# sourceMappingURL=566.index.js.map