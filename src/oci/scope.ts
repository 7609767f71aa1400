/**
 * Token scopes as the distribution token spec writes them (`docs/spec/auth/scope.md`):
 * `resourcetype:resourcename:action[,action…]`, several scopes space-separated.
 */

/** `repository:<name>:<actions>` with the actions sorted, e.g. `repository:charts/demo:pull,push`. */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${[...new Set(actions)].sort().join(',')}`;
}

/**
 * Merges scope lists the way oras-go does (helm-oci.md 3.9): one entry per resource with the
 * union of its actions, actions sorted, `*` absorbing the others, scopes sorted. The result is
 * both what we ask the token service for and the cache key of the token it gives.
 */
export function mergeScopes(...lists: ReadonlyArray<readonly string[]>): string[] {
  const actionsByResource = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  for (const scope of lists.flat()) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first <= 0 || last <= first + 1) {
      if (scope) opaque.add(scope);
      continue;
    }
    const resource = scope.slice(0, last);
    const actions = actionsByResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(last + 1).split(',')) if (action) actions.add(action);
    actionsByResource.set(resource, actions);
  }
  const merged = [...opaque];
  for (const [resource, actions] of actionsByResource) {
    const list = actions.has('*') ? ['*'] : [...actions].sort();
    if (list.length) merged.push(`${resource}:${list.join(',')}`);
  }
  return merged.sort();
}

/** Splits the space-separated `scope` parameter of a Bearer challenge. */
export function parseScopeParameter(value: string | undefined): string[] {
  return value ? value.split(' ').filter(Boolean) : [];
}

/** True when every action of every scope in `wanted` is granted by some scope in `held`. */
export function scopesCover(held: readonly string[], wanted: readonly string[]): boolean {
  const merged = mergeScopes(held);
  return mergeScopes(merged, wanted).every((scope) => merged.includes(scope));
}
