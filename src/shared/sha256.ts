import { createHash } from 'node:crypto';

/** The lowercase hex SHA-256 of the bytes, or of the text's UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
