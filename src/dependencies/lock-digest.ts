import { dependencyJson, type Dependency } from '../chart/metadata.js';
import { sha256Hex } from '../shared/sha256.js';

/**
 * The `digest` of Chart.lock: Helm's `resolver.HashReq` (internal/resolver/resolver.go @H4), the
 * sha256 of encoding/json of `[Chart.yaml dependencies, lock dependencies]`, written
 * `sha256:<hex>`. `helm dependency build` refuses a lock whose digest differs from the one
 * computed from the chart as it is now ("Chart.lock is out of sync").
 */
export function lockDigest(requested: ReadonlyArray<Dependency | null> | null, locked: ReadonlyArray<Dependency | null> | null): string {
  return `sha256:${sha256Hex(`[${dependencyListJson(requested)},${dependencyListJson(locked)}]`)}`;
}

/**
 * The digest Helm 2 wrote into requirements.lock (`resolver.HashV2Req`, helm/helm#7233): the
 * sha256 of `{"dependencies": [...]}`. Helm 3 and 4 still accept it for apiVersion v1 charts.
 */
export function legacyLockDigest(requested: ReadonlyArray<Dependency | null> | null): string {
  return `sha256:${sha256Hex(`{"dependencies":${dependencyListJson(requested)}}`)}`;
}

function dependencyListJson(list: ReadonlyArray<Dependency | null> | null): string {
  return list === null ? 'null' : `[${list.map(dependencyJson).join(',')}]`;
}
