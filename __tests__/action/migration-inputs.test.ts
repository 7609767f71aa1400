import { describe, expect, it } from 'vitest';
import { readMigrationInputs } from '../../src/action/migration-inputs.js';

const read = (values: Record<string, string>) => readMigrationInputs((name) => values[name] ?? '');

describe('readMigrationInputs', () => {
  it('is undefined without migrate-from and packages', () => {
    expect(read({})).toBeUndefined();
  });

  it('reads a repository URL, also given as the URL of its index.yaml', () => {
    expect(read({ 'migrate-from': 'https://charts.example.com/stable/index.yaml', 'migrate-charts': 'a, b\nc' })).toMatchObject({
      source: { kind: 'repository', url: 'https://charts.example.com/stable/' },
      charts: ['a', 'b', 'c'],
      versions: undefined,
    });
    expect(read({ packages: 'dist\nlegacy/**/*.tgz', 'migrate-versions': '>=2.0.0' })?.versions?.text).toBe('>=2.0.0');
  });

  it('names the input at fault', () => {
    expect(() => read({ 'migrate-charts': 'a' })).toThrow('Input "migrate-charts": only applies with migrate-from or packages');
    expect(() => read({ 'migrate-from': 'oci://ghcr.io/x' })).toThrow('Input "migrate-from": scheme "oci" is not supported');
    expect(() => read({ 'migrate-from': 'charts.example.com' })).toThrow('Input "migrate-from": "charts.example.com" is not a URL');
    expect(() => read({ 'migrate-from': 'https://u:pw@charts.example.com' })).toThrow(/must not contain credentials/);
    expect(() => read({ 'migrate-from': 'https://charts.example.com', packages: 'dist' })).toThrow('Input "packages": cannot be combined');
    expect(() => read({ packages: 'dist', charts: 'charts/a' })).toThrow('Input "charts": cannot be combined');
    expect(() => read({ packages: 'dist', 'signing-key': 'KEY' })).toThrow('Input "signing-key": cannot be combined');
    // Nothing that would restamp or sign the packages is silently dropped.
    expect(() => read({ packages: 'dist', version: '1.2.3' })).toThrow('Input "version": cannot be combined');
    expect(() => read({ packages: 'dist', 'app-version': '1.2.3' })).toThrow('Input "app-version": cannot be combined');
    expect(() => read({ packages: 'dist', 'cosign-key': 'KEY' })).toThrow('Input "cosign-key": cannot be combined');
    expect(() => read({ 'migrate-from': 'https://charts.example.com', 'cosign-keyless': 'true' })).toThrow(
      'Input "cosign-keyless": cannot be combined',
    );
    expect(() => read({ packages: 'dist', attest: 'true' })).toThrow('Input "attest": cannot be combined');
    expect(read({ packages: 'dist', 'cosign-keyless': 'false', attest: 'false' })?.source.kind).toBe('packages');
    expect(() => read({ packages: 'dist', 'migrate-versions': '>>1' })).toThrow(
      /Input "migrate-versions": ">>1" is not a Helm version constraint/,
    );
  });
});
