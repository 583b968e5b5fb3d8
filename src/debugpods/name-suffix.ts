const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A 5-character `[a-z0-9]` name suffix derived from the request id (FNV-1a), so a retried job computes the same pod
 * name and an AlreadyExists with our labels means the first attempt already succeeded.
 */
export function nameSuffix(requestId: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(requestId)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHABET[hash % 36];
    hash = Math.floor(hash / 36);
  }
  return out;
}
