// Provenance (.prov) signing and verification; see each module for details.
export { createChartProvenance, type ChartProvenance, type ChartProvenanceOptions } from './chart-provenance.js';
export { decodeClearsigned, formatClearsigned, signedText, type ClearsignedBlock } from './cleartext.js';
export { MESSAGE_SEPARATOR, parseMessageFiles, provenanceMessage } from './message.js';
export { type KeyMaterial } from './openpgp-keys.js';
export { ProvenanceError, SigningError } from './provenance-error.js';
export {
  loadSigningKey,
  SIGNING_KEY_ID_INPUT,
  SIGNING_KEY_INPUT,
  SIGNING_PASSPHRASE_INPUT,
  type Signer,
  type SigningKeyOptions,
} from './signing-key.js';
export {
  readKeyring,
  verifyClearsigned,
  verifyProvenance,
  type ProvenanceVerification,
  type SignatureVerification,
  type VerifyProvenanceOptions,
} from './verify.js';
