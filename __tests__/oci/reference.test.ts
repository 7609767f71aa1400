import { describe, expect, test } from 'vitest';
import { assertDigest, isDigest, matchesDigest, sha256Digest } from '../../src/oci/digest.js';
import {
  InvalidReferenceError,
  assertRegistry,
  assertRepository,
  assertTag,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  parseOciNamespace,
  registryApiHost,
} from '../../src/oci/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('the assertions name what is wrong', () => {
  test.each([
    ['repository', 'acme/MyChart', /invalid repository.*lowercase/],
    ['tag', '1.0.0+build.1', /invalid tag.*"\+" in a version must be written as "_"/],
    ['tag', '-1', /invalid tag/],
    ['tag', 'a'.repeat(129), /invalid tag/],
    ['registry', 'bad host', /invalid registry/],
    ['registry', 'ghcr.io:99999', /invalid registry/],
  ] as const)('%s %s', (kind, text, message) => {
    const assertion = { repository: assertRepository, tag: assertTag, registry: assertRegistry }[kind];
    expect(() => assertion(text)).toThrow(InvalidReferenceError);
    expect(() => assertion(text)).toThrow(message);
  });
});

describe('grammar pieces', () => {
  test('repository regex of helm-oci.md 3.5', () => {
    for (const good of ['a', 'a/b', 'a-b', 'a--b', 'a_b', 'a__b', 'a.b', 'acme/charts/demo0']) expect(isValidRepository(good)).toBe(true);
    for (const bad of ['A', 'a/', '/a', 'a//b', 'a___b', 'a..b', '-a', 'a_', 'a/.b', '']) expect(isValidRepository(bad)).toBe(false);
  });

  test('tag regex ^[\\w][\\w.-]{0,127}$', () => {
    expect(isValidTag('a'.repeat(128))).toBe(true);
    expect(isValidTag('a'.repeat(129))).toBe(false);
    for (const good of ['1.2.3', '_x', 'v1.0-rc.1', '1.2.3_build.1']) expect(isValidTag(good)).toBe(true);
    for (const bad of ['', '.a', '-a', 'a+b', 'a/b', 'ä']) expect(isValidTag(bad)).toBe(false);
  });

  test('registry is host[:port]', () => {
    for (const good of ['ghcr.io', 'localhost', 'localhost:5000', '10.0.0.1:443', '[::1]', '[::1]:5000', 'a-b.example.com'])
      expect(isValidRegistry(good)).toBe(true);
    for (const bad of ['', 'https://ghcr.io', 'ghcr.io/x', 'ghcr.io:', 'ghcr.io:0', '-a.com', 'a_b.com', ':5000'])
      expect(isValidRegistry(bad)).toBe(false);
  });

  test('docker.io is contacted as registry-1.docker.io (helm-oci.md 3.5)', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('digests', () => {
  test('sha256 of bytes', () => {
    expect(sha256Digest(new TextEncoder().encode('abc'))).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('validation and matching', () => {
    const bytes = new TextEncoder().encode('hello');
    const digest = sha256Digest(bytes);
    expect(isDigest(digest)).toBe(true);
    expect(matchesDigest(bytes, digest)).toBe(true);
    expect(matchesDigest(new TextEncoder().encode('hellO'), digest)).toBe(false);
    expect(isDigest(digest.toUpperCase())).toBe(false);
    expect(isDigest('md5:d41d8cd98f00b204e9800998ecf8427e')).toBe(false);
    expect(isDigest(`sha512:${'0'.repeat(128)}`)).toBe(true);
    expect(() => assertDigest('sha256:xyz', 'layer digest')).toThrow(/Invalid layer digest "sha256:xyz": expected "sha256:"/);
  });
});

describe('parseOciNamespace', () => {
  test.each([
    ['oci://ghcr.io/acme/charts', { ok: true, registry: 'ghcr.io', namespace: 'acme/charts' }],
    ['oci://localhost:5000', { ok: true, registry: 'localhost:5000', namespace: '' }],
    ['oci://127.0.0.1:5000//team//charts/', { ok: true, registry: '127.0.0.1:5000', namespace: 'team/charts' }],
    ['oci://[::1]:5000/a', { ok: true, registry: '[::1]:5000', namespace: 'a' }],
    ['ghcr.io/acme', { ok: false, problem: 'scheme' }],
    ['https://ghcr.io/acme', { ok: false, problem: 'scheme' }],
    ['oci://robot:s3cr3t@ghcr.io/acme', { ok: false, problem: 'credentials' }],
    [`oci://ghcr.io/acme@${DIGEST}`, { ok: false, problem: 'digest' }],
    ['oci://ghcr.io:99999/acme', { ok: false, problem: 'registry', registry: 'ghcr.io:99999' }],
    ['oci:///acme', { ok: false, problem: 'registry', registry: '' }],
    ['oci://', { ok: false, problem: 'registry', registry: '' }],
    ['oci://ghcr.io/acme/charts:1.0/', { ok: false, problem: 'tag', tag: '1.0', untagged: 'oci://ghcr.io/acme/charts' }],
    ['oci://ghcr.io/Acme/Charts', { ok: false, problem: 'namespace', registry: 'ghcr.io', namespace: 'Acme/Charts' }],
  ])('%s', (text, expected) => expect(parseOciNamespace(text)).toEqual(expected));
});
