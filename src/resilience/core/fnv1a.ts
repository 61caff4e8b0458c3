/** 32-bit FNV-1a of a string: a short, stable digest (rollout buckets, batch keys); not a security boundary. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** {@link fnv1a32} as 8 hex digits. */
export function fnv1a(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, '0');
}
