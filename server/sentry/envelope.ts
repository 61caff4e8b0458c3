import type { SentryEnvelope, SentryEnvelopeItem } from '../../src/protocol/dev';
import { isPlainObject } from '../http/body';

const NEWLINE = 0x0a;

/**
 * Parses a Sentry envelope: a JSON header line, then items, each a JSON header line followed by a payload
 * that is either `length` bytes (when the item header says so) or the rest of the line.
 * Returns null when the envelope header is not a JSON object.
 */
export function parseEnvelope(body: Buffer): SentryEnvelope | null {
  let offset = 0;
  const readLine = (): Buffer | null => {
    if (offset >= body.length) return null;
    const end = body.indexOf(NEWLINE, offset);
    const line = body.subarray(offset, end === -1 ? body.length : end);
    offset = end === -1 ? body.length : end + 1;
    return line;
  };
  const header = parseJson(readLine());
  if (!isPlainObject(header)) return null;
  const items: SentryEnvelopeItem[] = [];
  for (let line = readLine(); line !== null; line = readLine()) {
    if (line.length === 0) continue;
    const itemHeader = parseJson(line);
    if (!isPlainObject(itemHeader)) break;
    let payload: Buffer;
    if (typeof itemHeader.length === 'number' && itemHeader.length >= 0) {
      payload = body.subarray(offset, offset + itemHeader.length);
      offset += itemHeader.length;
      if (body[offset] === NEWLINE) offset += 1;
    } else {
      payload = readLine() ?? Buffer.alloc(0);
    }
    const text = payload.toString('utf8');
    const parsed = parseJson(payload);
    items.push({ header: itemHeader, payload: parsed === undefined ? text : parsed });
  }
  return { header, items };
}

function parseJson(bytes: Buffer | null): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
