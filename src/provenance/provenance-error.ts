import { DomainError } from '../shared/errors.js';

/**
 * Signing failed after the key was accepted: the OpenPGP library refused, or the signature just
 * made did not verify. Problems with the key itself are InputErrors naming `signing-key`,
 * `signing-passphrase` or `signing-key-id`.
 */
export class SigningError extends DomainError {}

/**
 * A `.prov` file did not pass what `helm verify` checks (../shared/spec/helm-oci.md §2.4).
 * The message starts with Helm's own words where Helm has them, so that users can search for it.
 */
export class ProvenanceError extends DomainError {}
