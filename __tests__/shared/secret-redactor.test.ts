import { afterEach, describe, expect, it } from 'vitest';
import { describeError, DomainError } from '../../src/shared/errors.js';
import { clearSecrets, holdsSplitSecret, redactSecrets, registerSecret, shortenRedacted } from '../../src/shared/secret-redactor.js';

afterEach(() => clearSecrets());

describe('redactSecrets', () => {
  it('removes userinfo from URLs, keeping scheme and host', () => {
    expect(redactSecrets('GET https://robot:s3cr3t@charts.example.com/index.yaml failed')).toBe(
      'GET https://***@charts.example.com/index.yaml failed',
    );
    expect(redactSecrets('oci://ghp_abcdef@ghcr.io/acme')).toBe('oci://***@ghcr.io/acme');
  });

  it('answers at once for hostile text: a million characters of word boundaries, scheme-like runs, token-like runs', () => {
    for (const text of ['a.'.repeat(500_000), `x://${'y'.repeat(1_000_000)}`, `Basic ${'a'.repeat(1_000_000)}!`, 'ab1+'.repeat(250_000)]) {
      expect(redactSecrets(text).length).toBeGreaterThan(0);
    }
    expect(redactSecrets(`${'a.'.repeat(100_000)} https://u:p@h/x`)).toMatch(/ https:\/\/\*\*\*@h\/x$/);
  });

  it('removes Basic and Bearer credentials but keeps prose', () => {
    expect(redactSecrets('authorization: Basic cm9ib3Q6czNjcjN0')).toBe('authorization: Basic ***');
    expect(redactSecrets('Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc')).toBe('Bearer ***');
    expect(redactSecrets('sending Basic credentials from the docker config')).toBe('sending Basic credentials from the docker config');
  });

  it('removes a registered secret and its encoded forms', () => {
    registerSecret('p@ss w"rd/42');
    const basic = Buffer.from('robot:p@ss w"rd/42').toString('base64');
    const text = [
      'plain p@ss w"rd/42',
      `url-encoded ${encodeURIComponent('p@ss w"rd/42')}`,
      `json ${JSON.stringify({ password: 'p@ss w"rd/42' })}`,
      `base64 of user:pass without a scheme: ${basic}`,
      `base64 alone ${Buffer.from('p@ss w"rd/42').toString('base64')}`,
    ].join('\n');
    const out = redactSecrets(text);
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain(basic);
    expect(out).not.toContain(encodeURIComponent('p@ss w"rd/42'));
    expect(out.split('\n')).toHaveLength(5);
  });

  it('removes the escaped copies servers write: Go and PHP JSON, HTML entities, form and lower-case percent encoding', () => {
    const password = `p<&>"a\\ss/wo+rd='Q9 zKx7`;
    registerSecret(password);
    const goJson = JSON.stringify(password).replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
    const html = (quote: string, apostrophe: string) =>
      password.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', quote).replaceAll("'", apostrophe);
    const echoes = [
      `{"errors":[{"message":"invalid password ${goJson.slice(1, -1)}"}]}`,
      `{"detail":${JSON.stringify(password).replaceAll('/', '\\/')}}`,
      `<p>password ${html('&quot;', '&#39;')} refused</p>`,
      `<p>password ${html('&#34;', '&#x27;')} refused</p>`,
      `body=grant_type=password&password=${new URLSearchParams({ p: password }).toString().slice(2)}`,
      `url ${encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}`,
    ];
    for (const echo of echoes) {
      const out = redactSecrets(echo);
      expect(out, echo).toContain('***');
      expect(out, echo).not.toContain('Q9');
    }
  });

  it('shortens text only after removing secrets, so that no piece of a secret is left', () => {
    registerSecret('robot:Zq8xVb3nTr5yLm2kQ7');
    const body = `${'-'.repeat(190)} robot:Zq8xVb3nTr5yLm2kQ7 was refused`;
    const short = shortenRedacted(body, 200);
    expect(short).toHaveLength(200);
    expect(short).not.toContain('robot:Zq');
    expect(short.endsWith('…')).toBe(true);
    expect(shortenRedacted('short', 200)).toBe('short');
  });

  it('is applied by describeError to the whole cause chain (e.g. a server echoing the credentials)', () => {
    registerSecret('hunter22');
    const cause = new Error('server said: invalid password "hunter22" for https://bob:hunter22@repo.example');
    const text = describeError(new DomainError('cannot download the dependency', { cause }));
    expect(text).toBe('cannot download the dependency: server said: invalid password "***" for https://***@repo.example');
  });

  it("redacts Node's fetch error about a URL with credentials even when nothing was registered", () => {
    let error: unknown;
    try {
      new Request('https://user:topsecret@example.test/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(describeError(error)).not.toContain('topsecret');
  });
});

describe('holdsSplitSecret', () => {
  it('finds a secret, or its base64, that whitespace splits into pieces no redaction recognises', () => {
    registerSecret('s3cr3t-P@ss/word');
    registerSecret(Buffer.from('robot:s3cr3t-P@ss/word').toString('base64'));
    for (const text of [
      'password: s3cr3t-P\n@ss/word',
      'b64: cm9ib3Q6cz\r\n  NjcjN0LVBAc3Mvd29yZA==',
      'a s 3 c r 3 t - P @ s s / w o r d',
    ]) {
      expect(redactSecrets(text), text).not.toContain('***');
      expect(holdsSplitSecret(text), text).toBe(true);
    }
    // base64 of user:password split at an offset that is no multiple of 4, registered only as the password.
    clearSecrets();
    registerSecret('s3cr3t-P@ss/word');
    expect(
      holdsSplitSecret(
        `auth ${Buffer.from('robot:s3cr3t-P@ss/word')
          .toString('base64')
          .replace(/^(.{10})/, '$1\n')}`,
      ),
    ).toBe(true);
  });

  it('says nothing of text without a secret, or whose secrets were removed', () => {
    registerSecret('s3cr3t-P@ss/word');
    expect(holdsSplitSecret('access denied\nfor robot')).toBe(false);
    expect(holdsSplitSecret(redactSecrets('password: s3cr3t-P@ss/word'))).toBe(false);
  });
});

describe('describeError and JSON.parse excerpts', () => {
  it("drops JSON.parse's quote of the input, which may be a piece of an echoed secret", () => {
    let cause: unknown;
    try {
      JSON.parse('{"echo":Dep-Secret-0815}');
    } catch (e) {
      cause = e;
    }
    const text = describeError(new DomainError('the tag list is not JSON', { cause }));
    expect(text).not.toContain('Dep-Secre');
    expect(text).toBe("the tag list is not JSON: Unexpected token 'D', the input is not valid JSON");
  });
});
