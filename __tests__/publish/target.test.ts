import { describe, expect, it } from 'vitest';
import { chartReference, defaultRegistry, parseRegistryNamespace } from '../../src/publish/target.js';
import { InputError } from '../../src/shared/errors.js';

describe('the registry input (HIP-6)', () => {
  it.each([
    ['oci://ghcr.io/acme/charts', { registry: 'ghcr.io', namespace: 'acme/charts' }],
    ['oci://localhost:5000', { registry: 'localhost:5000', namespace: '' }],
    ['oci://127.0.0.1:5000//team//charts/', { registry: '127.0.0.1:5000', namespace: 'team/charts' }],
  ])('%s', (text, expected) => expect(parseRegistryNamespace(text)).toEqual(expected));

  it.each([
    ['ghcr.io/acme', /no "oci:\/\/" prefix/],
    ['https://ghcr.io/acme', /scheme "https" is not supported/],
    ['oci://ghcr.io/acme/charts:1.0', /must not contain a tag \(":1.0"\)/],
    ['oci://ghcr.io/acme/charts@sha256:abc', /must not contain a digest/],
    ['oci://ghcr.io/Acme/Charts', /namespace "Acme\/Charts" is not a valid OCI repository path/],
  ])('refuses %s, naming the input', (text, message) => {
    expect(() => parseRegistryNamespace(text)).toThrow(InputError);
    expect(() => parseRegistryNamespace(text)).toThrow(message);
  });

  it('refuses credentials in the URL without repeating them', () => {
    let error: unknown;
    try {
      parseRegistryNamespace('oci://robot:s3cr3t@ghcr.io/acme');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/must not contain credentials/);
    expect((error as Error).message).not.toContain('s3cr3t');
  });

  it('appends the chart name to a namespace that already ends in it, as helm push does (oci://ghcr.io/traefik)', () => {
    expect(chartReference({ registry: 'ghcr.io', namespace: 'traefik' }, 'traefik', 'v1.19.1')).toEqual({
      registry: 'ghcr.io',
      repository: 'traefik/traefik',
      tag: 'v1.19.1',
      text: 'ghcr.io/traefik/traefik:v1.19.1',
    });
  });

  it('writes the reference as helm push does, + becoming _ in the tag', () => {
    expect(chartReference({ registry: 'r:5000', namespace: 'ns' }, 'demo', '1.2.3+build.4')).toEqual({
      registry: 'r:5000',
      repository: 'ns/demo',
      tag: '1.2.3_build.4',
      text: 'r:5000/ns/demo:1.2.3_build.4',
    });
    expect(defaultRegistry('Acme-Org')).toBe('oci://ghcr.io/acme-org/charts');
  });
});
