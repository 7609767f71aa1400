import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { SigstoreSettings } from '../sigstore/settings.js';
import { bool } from './input-values.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * The Sigstore inputs: `cosign-keyless`, `cosign-key`, `cosign-key-password`, `attest` and the
 * service URLs. The key and its password are masked here, line by line, as soon as they are read.
 */
export function readSigstoreInputs(read: (name: string) => string, logger: Logger): SigstoreSettings {
  const get = (name: string) => read(name).trim();
  const key = read('cosign-key').trim() === '' ? undefined : read('cosign-key');
  const keyPassword = read('cosign-key-password') === '' ? undefined : read('cosign-key-password');
  if (key) {
    logger.mask(key);
    for (const line of key.split(/\r?\n/)) if (line.trim() && !line.trim().startsWith('-----')) logger.mask(line.trim());
  }
  if (keyPassword) logger.mask(keyPassword);
  if (keyPassword && !key) throw new InputError('cosign-key-password', 'is set but cosign-key is empty: give the cosign.key it decrypts');
  const keyless = bool('cosign-keyless', get('cosign-keyless') || 'false');
  if (keyless && key) {
    throw new InputError('cosign-keyless', 'and cosign-key are both set: sign keyless (OIDC) or with the key, not both');
  }
  return {
    keyless,
    ...(key ? { key } : {}),
    ...(keyPassword ? { keyPassword } : {}),
    attest: bool('attest', get('attest') || 'false'),
    ...serviceUrl('sigstore-fulcio-url', 'fulcioUrl', get('sigstore-fulcio-url')),
    ...serviceUrl('sigstore-rekor-url', 'rekorUrl', get('sigstore-rekor-url')),
    ...serviceUrl('sigstore-tsa-url', 'tsaUrl', get('sigstore-tsa-url')),
  };
}

function serviceUrl<K extends string>(input: string, key: K, value: string): Partial<Record<K, string>> {
  if (!value) return {};
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `"${value}" is not a URL: expected e.g. https://fulcio.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(input, `"${value}" is not an http(s) URL`);
  return { [key]: trimTrailing(value, '/') } as Partial<Record<K, string>>;
}
