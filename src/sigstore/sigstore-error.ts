import { DomainError } from '../shared/errors.js';

/** Signing, verifying or attaching a Sigstore bundle went wrong; the message says what to fix. */
export class SigstoreError extends DomainError {}
