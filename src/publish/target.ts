import { ociTag } from '../chart/metadata.js';
import { InputError } from '../shared/errors.js';
import { parseOciNamespace, type RegistryNamespace } from '../oci/reference.js';

export type { RegistryNamespace };

/**
 * Where charts are published: an OCI namespace written `oci://host[:port][/path]`, to which
 * Helm appends `/<chart name>:<version with + as _>` (HIP-6; ../shared/spec/helm-oci.md §3.5,
 * §3.6). Helm accepts some of the mistakes below and then pushes somewhere unexpected; the
 * action refuses them up front, naming the input and the expected form.
 */

export interface ChartReference {
  registry: string;
  repository: string;
  tag: string;
  /** `host/namespace/name:tag`, as `helm push` prints it. */
  text: string;
}

const INPUT = 'registry';
const EXAMPLE = 'e.g. oci://ghcr.io/my-org/charts';

export function parseRegistryNamespace(value: string): RegistryNamespace {
  const text = value.trim();
  const parsed = parseOciNamespace(text);
  if (parsed.ok) return { registry: parsed.registry, namespace: parsed.namespace };
  switch (parsed.problem) {
    case 'scheme': {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)?.[1];
      throw new InputError(
        INPUT,
        scheme
          ? `scheme "${scheme}" is not supported: use "oci://host[:port]/namespace" (${EXAMPLE})`
          : `"${text}" has no "oci://" prefix: expected oci://host[:port]/namespace (${EXAMPLE})`,
      );
    }
    case 'credentials':
      // Never repeat the value: it holds a password.
      throw new InputError(
        INPUT,
        'must not contain credentials (user:password@): give them in username and password, or log in with docker/login-action',
      );
    case 'digest':
      throw new InputError(INPUT, `"${text}" must not contain a digest: give the namespace only (${EXAMPLE})`);
    case 'registry':
      throw new InputError(INPUT, `"${parsed.registry}" is not a registry host: expected oci://host[:port]/namespace (${EXAMPLE})`);
    case 'tag':
      throw new InputError(
        INPUT,
        `"${text}" must not contain a tag (":${parsed.tag}"): the chart version becomes the tag; write ${parsed.untagged}`,
      );
    case 'namespace':
      throw new InputError(
        INPUT,
        `namespace "${parsed.namespace}" is not a valid OCI repository path: use lowercase letters, digits and separators ".", "_", "-" (${EXAMPLE})`,
      );
  }
}

/**
 * The reference a chart is published under. The chart must have passed publishingProblems
 * (its name is a valid repository component and its version a valid tag). A namespace that
 * already ends in the chart name is an organisation named like its chart (`oci://ghcr.io/traefik`
 * for traefik → `ghcr.io/traefik/traefik`): `helm push` appends the name all the same (§3.6), and
 * HIP-6 forbids only a name the user appends to the push reference, which cannot be told apart.
 */
export function chartReference(target: RegistryNamespace, name: string, version: string): ChartReference {
  const repository = target.namespace === '' ? name : `${target.namespace}/${name}`;
  const tag = ociTag(version);
  return { registry: target.registry, repository, tag, text: `${target.registry}/${repository}:${tag}` };
}

/** The default namespace: the repository owner's GHCR charts folder. */
export function defaultRegistry(repositoryOwner: string | undefined): string {
  const owner = (repositoryOwner ?? '').toLowerCase();
  return owner ? `oci://ghcr.io/${owner}/charts` : '';
}
