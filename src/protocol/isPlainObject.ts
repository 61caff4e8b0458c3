/**
 * A JSON-like object: not null, not an array, not a class instance. The app's and the server's one check before
 * a field of parsed JSON is read (the resilience runtime keeps its own copy: it imports nothing outside itself).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
