/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped, so the same content always
 * hashes the same whatever order it was built in. Rejects what JSON cannot carry faithfully (non-finite
 * numbers, functions, bigint, cycles) with a TypeError naming the path, rather than hashing a lossy copy.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
  if (seen.has(value)) throw new TypeError(`canonicalJson: ${path} is a cycle`);
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, index) => write(item ?? null, `${path}[${index}]`, seen)).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, seen)}`);
    text = `{${members.join(',')}}`;
  }
  seen.delete(value);
  return text;
}
