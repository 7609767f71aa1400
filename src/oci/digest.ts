import { createHash } from 'node:crypto';

/**
 * Digests as image-spec `descriptor.md#digests` defines them: `algorithm:encoded`. Only the two
 * registered algorithms whose encoded form is fixed-length lowercase hex are accepted, because a
 * digest we cannot recompute is a digest we cannot verify.
 */
const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

export type DigestAlgorithm = keyof typeof HEX_LENGTH;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Parses `sha256:<64 hex>` / `sha512:<128 hex>`; undefined for anything else. */
export function parseDigest(text: string): ParsedDigest | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return undefined;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) return undefined;
  return { algorithm, hex };
}

export function isDigest(text: string): boolean {
  return parseDigest(text) !== undefined;
}

/** Throws a message that shows the expected form; `what` names the value for the reader. */
export function assertDigest(text: string, what = 'digest'): ParsedDigest {
  const parsed = parseDigest(text);
  if (!parsed) {
    throw new TypeError(`Invalid ${what} "${text}": expected "sha256:" followed by 64 lowercase hex characters`);
  }
  return parsed;
}

/** `sha256:<hex>` of the bytes: the digest every blob and manifest we write is addressed by. */
export function sha256Digest(bytes: Uint8Array): string {
  return digestOf(bytes, 'sha256');
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** True when the bytes hash to the given digest (computed with the digest's own algorithm). */
export function matchesDigest(bytes: Uint8Array, digest: string): boolean {
  const parsed = parseDigest(digest);
  return parsed !== undefined && digestOf(bytes, parsed.algorithm) === digest;
}
