import { marshalMetadataYaml, type Metadata } from '../chart/metadata.js';
import { decodeYaml, scalarText, YamlSyntaxError, type YamlNode } from '../chart/go/yaml-decode.js';
import { marshalYaml } from '../chart/go/yaml-emit.js';
import { ProvenanceError } from './provenance-error.js';

/**
 * Separates the metadata from the checksums (§2.1). Helm uses the document-end marker because
 * `---` would be dash-escaped in a clear-signed block.
 */
export const MESSAGE_SEPARATOR = '\n...\n';

/** The digest scheme Helm writes in front of every checksum (§2.1). */
const SHA256_PREFIX = 'sha256:';

/**
 * The exact plaintext Helm clear-signs for an archive (../shared/spec/helm-oci.md §2.1,
 * `messageBlock` in pkg/provenance/sign.go): the chart metadata, the YAML document-end marker,
 * and the sha256 of the archive under its file name, i.e. `yaml.Marshal(metadata)` + `\n...\n` +
 * `yaml.Marshal({files: {<name>: sha256:<hex>}})`.
 *
 * `metadata` must be the chart as it is inside the archive (Helm re-loads the archive it just
 * wrote; for apiVersion v1 that includes the dependencies of requirements.yaml), sanitised by
 * validateMetadata. `archiveFileName` is the base name the archive is published under: Helm
 * looks the checksum up by the name of the file being verified.
 */
export function provenanceMessage(metadata: Metadata, archiveFileName: string, archiveSha256Hex: string): string {
  if (!/^[0-9a-f]{64}$/.test(archiveSha256Hex)) {
    throw new TypeError(`archiveSha256Hex must be 64 lower-case hex digits, got "${archiveSha256Hex}"`);
  }
  if (archiveFileName === '' || /[/\\]/.test(archiveFileName)) {
    throw new TypeError(`archiveFileName must be a base name, got "${archiveFileName}"`);
  }
  const files = new Map([['files', new Map([[archiveFileName, `${SHA256_PREFIX}${archiveSha256Hex}`]])]]);
  return marshalMetadataYaml(metadata) + MESSAGE_SEPARATOR + marshalYaml(files);
}

/**
 * The checksums of a signed message block, read as Helm's `parseMessageBlock` does (§2.4 step 4):
 * split on `\n...\n`, the second part is YAML with a `files` map. The metadata part is ignored,
 * as Helm 4 does (Helm 3 also parses it; it is never compared with the chart).
 */
export function parseMessageFiles(plaintext: string): Map<string, string> {
  const parts = plaintext.split(MESSAGE_SEPARATOR);
  if (parts.length < 2) throw new ProvenanceError('message block must have at least two parts');
  let root: YamlNode | undefined;
  try {
    root = decodeYaml(parts[1] as string);
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new ProvenanceError(`the checksums of the message block are not valid YAML: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const files = new Map<string, string>();
  if (root === undefined || root.kind === 'null') return files;
  if (root.kind !== 'map') throw new ProvenanceError('the checksums of the message block are not a YAML mapping');
  // sigs.k8s.io/yaml decodes through JSON, whose struct fields match keys case-insensitively.
  const entry = root.entries.find((e) => e.key.kind === 'string' && e.key.value.toLowerCase() === 'files');
  if (!entry || entry.value.kind === 'null') return files;
  if (entry.value.kind !== 'map') throw new ProvenanceError('`files` in the message block is not a mapping of file names to checksums');
  for (const { key, value } of entry.value.entries) {
    if (value.kind !== 'string') {
      throw new ProvenanceError(`the checksum of "${scalarText(key) ?? `<${key.kind}>`}" in the message block is not a string`);
    }
    files.set(scalarText(key) ?? `<${key.kind}>`, value.value);
  }
  return files;
}
