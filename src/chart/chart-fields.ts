import {
  anyListField,
  boolField,
  defineStruct,
  stringField,
  stringListField,
  stringMapField,
  structListField,
  timeField,
} from './field-table.js';
import type { GoValue } from './go/yaml-emit.js';

/**
 * The fields of Chart.yaml, its dependencies and Chart.lock, as Helm's Go structs declare them
 * (pkg/chart/v2/metadata.go, dependency.go; ../shared/spec/helm-oci.md §1.6, §3.2, §4.1).
 * Each table lists its struct's fields in Go declaration order with their struct tag
 * (`omitempty` unless `always`) and whether Validate sanitises them. Decoding, sanitising and
 * the YAML and JSON writers in metadata.ts are derived from these tables; each table is typed
 * against its interface, so a field missing from either side, or of another kind, does not
 * compile. To add a Helm field: add it to the interface and, at its Go position, to the table.
 */

export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

export const MAINTAINER = defineStruct<Maintainer>('Maintainer', {
  name: stringField({ sanitize: true }),
  email: stringField({ sanitize: true }),
  url: stringField({ sanitize: true }),
});

export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[] | null;
  enabled: boolean;
  'import-values': GoValue[] | null;
  alias: string;
}

export const DEPENDENCY = defineStruct<Dependency>('Dependency', {
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

export interface Metadata {
  name: string;
  home: string;
  sources: string[] | null;
  version: string;
  description: string;
  keywords: string[] | null;
  maintainers: Array<Maintainer | null> | null;
  icon: string;
  apiVersion: string;
  condition: string;
  tags: string;
  appVersion: string;
  deprecated: boolean;
  annotations: Map<string, string> | null;
  kubeVersion: string;
  dependencies: Array<Dependency | null> | null;
  type: string;
}

export const METADATA = defineStruct<Metadata>('Metadata', {
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

export interface Lock {
  /** RFC 3339 with nanoseconds, as Go's time.Time writes it. */
  generated: string;
  digest: string;
  dependencies: Array<Dependency | null> | null;
}

export const LOCK = defineStruct<Lock>('Lock', {
  generated: timeField({ always: true }),
  digest: stringField({ always: true }),
  dependencies: structListField(DEPENDENCY, { always: true }),
});
