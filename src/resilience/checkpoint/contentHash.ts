/** SHA-256 of a string's UTF-8 bytes as lowercase hex. */
export type HashText = (text: string) => Promise<string>;

interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * Web Crypto's SHA-256 when `crypto.subtle` exists (secure contexts), else the plain-JS one: both give the
 * same hex for the same text. `subtle` is injectable so tests can compare the two and force the fallback.
 * The plain-JS one is loaded only when needed (a page served over plain http to another host), so it is not in
 * every page's first load.
 */
export function createContentHash(subtle: SubtleLike | null | undefined = defaultSubtle()): HashText {
  const encoder = new TextEncoder();
  if (!subtle) return async (text) => (await import('./sha256')).sha256Hex(encoder.encode(text));
  return async (text) => toHex(new Uint8Array(await subtle.digest('SHA-256', encoder.encode(text))));
}

function defaultSubtle(): SubtleLike | undefined {
  try {
    return (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle ?? undefined;
  } catch {
    return undefined;
  }
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
