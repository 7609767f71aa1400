import { describe, expect, it } from 'vitest';
import { indexManifests } from '../../src/oci/registry-client.js';
import { RegistryError } from '../../src/oci/registry-error.js';

/**
 * The referrers of a chart are read from an image index, and the `sha256-<hex>` one is read,
 * added to and written back: a document that is no index must stop that, not read as empty.
 */

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('indexManifests', () => {
  it('lists the descriptors of an index, without those lacking a valid digest', () => {
    const index = {
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 10, artifactType: 'x' },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'md5:nope', size: 1 },
        { size: 3 },
      ],
    };
    expect(indexManifests(encode(index), 'the index').map((m) => m.digest)).toEqual([DIGEST]);
    expect(indexManifests(encode({ schemaVersion: 2, manifests: [] }), 'the index')).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '<html>not found</html>', /^repo:sha256-x is not JSON/],
    ['an image manifest', { schemaVersion: 2, config: {}, layers: [] }, /^repo:sha256-x is not an image index/],
    ['JSON null', 'null', /^repo:sha256-x is not an image index/],
  ])('refuses %s', (_case, body, message) => {
    const error = (() => {
      try {
        indexManifests(encode(body), 'repo:sha256-x');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(message);
  });
});
