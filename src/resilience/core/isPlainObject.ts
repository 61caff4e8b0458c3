/**
 * A JSON-like object: not null, not an array, not a class instance (Map, Date, …). Records read back from
 * IndexedDB, parsed frames and flag files are checked with it before any field is trusted. (src/protocol keeps the
 * app's and the server's copy: the runtime imports nothing outside itself.)
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
