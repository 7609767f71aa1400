import { describe, expect, test } from 'vitest';
import { mergeScopes, parseScopeParameter, repositoryScope, scopesCover } from '../../src/oci/scope.js';
import { parseWwwAuthenticate } from '../../src/oci/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  test('Distribution token challenge', () => {
    expect(
      parseWwwAuthenticate('Bearer realm="http://127.0.0.1:5541/token",service="testbed-registry",scope="repository:charts/demo:pull"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'http://127.0.0.1:5541/token', service: 'testbed-registry', scope: 'repository:charts/demo:pull' },
      },
    ]);
  });

  test('insufficient_scope with commas inside quoted values and two scopes', () => {
    const [challenge] = parseWwwAuthenticate(
      'Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull,push repository:b:pull",error="insufficient_scope"',
    );
    expect(challenge?.params.scope).toBe('repository:a:pull,push repository:b:pull');
    expect(challenge?.params.error).toBe('insufficient_scope');
  });

  test('Basic realm, case-insensitive scheme and names', () => {
    expect(parseWwwAuthenticate('basic REALM="testbed"')).toEqual([{ scheme: 'basic', params: { realm: 'testbed' } }]);
  });

  test('several challenges in one header, as fetch joins repeated headers', () => {
    const challenges = parseWwwAuthenticate('Basic realm="r1", Bearer realm="https://a/t", service=svc , Negotiate');
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(challenges[1]?.params).toEqual({ realm: 'https://a/t', service: 'svc' });
  });

  test('quoted-string escapes and spaces around "="', () => {
    const [challenge] = parseWwwAuthenticate('Bearer realm = "https://a/t?x=\\"y\\"" ,service="a\\\\b"');
    expect(challenge?.params).toEqual({ realm: 'https://a/t?x="y"', service: 'a\\b' });
  });

  test('token68', () => {
    expect(parseWwwAuthenticate('Basic dXNlcjpwYXNz==')).toEqual([{ scheme: 'basic', params: {}, token68: 'dXNlcjpwYXNz==' }]);
  });

  test('garbage gives no challenge rather than an exception', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('Bearer realm="unterminated')).toEqual([{ scheme: 'bearer', params: {} }]);
    expect(parseWwwAuthenticate(',,,')).toEqual([]);
  });
});

describe('scopes', () => {
  test('repository scope sorts actions', () => {
    expect(repositoryScope('charts/demo', ['push', 'pull'])).toBe('repository:charts/demo:pull,push');
  });

  test('merge unions actions per resource and sorts (helm-oci.md 3.9)', () => {
    expect(mergeScopes(['repository:b:pull', 'repository:a:push'], parseScopeParameter('repository:a:pull repository:b:pull'))).toEqual([
      'repository:a:pull,push',
      'repository:b:pull',
    ]);
    expect(mergeScopes(['repository:a:pull', 'repository:a:*'])).toEqual(['repository:a:*']);
    expect(mergeScopes(['registry:catalog:*'])).toEqual(['registry:catalog:*']);
  });

  test('cover', () => {
    expect(scopesCover(['repository:a:pull,push'], ['repository:a:push,pull'])).toBe(true);
    expect(scopesCover(['repository:a:pull'], ['repository:a:pull,push'])).toBe(false);
    expect(scopesCover(['repository:a:pull,push'], ['repository:b:pull'])).toBe(false);
  });
});
