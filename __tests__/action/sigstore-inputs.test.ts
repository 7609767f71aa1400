import { describe, expect, it } from 'vitest';
import { readSigstoreInputs } from '../../src/action/sigstore-inputs.js';
import { MemoryLogger } from '../support/memory-logger.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('readSigstoreInputs', () => {
  it('is off by default', () => {
    expect(readSigstoreInputs(reader({}), new MemoryLogger())).toEqual({ keyless: false, attest: false });
  });

  it('reads the switches and URLs, masking the key line by line and the password at once', () => {
    const logger = new MemoryLogger();
    const key = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\nBBBB\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    const settings = readSigstoreInputs(
      reader({
        'cosign-key': key,
        'cosign-key-password': ' pw ',
        attest: 'true',
        'sigstore-rekor-url': 'https://rekor.internal/',
      }),
      logger,
    );
    expect(settings).toEqual({ keyless: false, key, keyPassword: ' pw ', attest: true, rekorUrl: 'https://rekor.internal' });
    expect(logger.masked).toEqual(expect.arrayContaining([key, 'AAAA', 'BBBB', ' pw ']));
  });

  it('names the input at fault', () => {
    const logger = new MemoryLogger();
    expect(() => readSigstoreInputs(reader({ 'cosign-key-password': 'x' }), logger)).toThrow(/Input "cosign-key-password"/);
    expect(() => readSigstoreInputs(reader({ 'cosign-keyless': 'true', 'cosign-key': 'k' }), logger)).toThrow(/Input "cosign-keyless"/);
    expect(() => readSigstoreInputs(reader({ attest: 'maybe' }), logger)).toThrow(/Input "attest": "maybe" is not a boolean/);
    expect(() => readSigstoreInputs(reader({ 'sigstore-fulcio-url': 'fulcio' }), logger)).toThrow(/Input "sigstore-fulcio-url"/);
  });
});
