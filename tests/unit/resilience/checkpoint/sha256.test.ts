import { webcrypto } from 'node:crypto';
import { sha256Hex } from '../../../../src/resilience/checkpoint/sha256';
import { createContentHash } from '../../../../src/resilience/checkpoint/contentHash';
import { canonicalJson } from '../../../../src/resilience/checkpoint/canonicalJson';

const encoder = new TextEncoder();
const webCryptoHex = async (bytes: Uint8Array) => Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('SHA-256 fallback for pages without crypto.subtle', () => {
  const corpus: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array()],
    ['abc', encoder.encode('abc')],
    ['accents and emoji', encoder.encode('Brüche – ½ + ¼ = ¾ 🎓')],
    ...[1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000].map((n): [string, Uint8Array] => [`${n} bytes`, pseudoRandomBytes(n, n)]),
    ['10 KB', pseudoRandomBytes(10 * 1024, 7)],
    ['1 MB', pseudoRandomBytes(1024 * 1024, 11)],
  ];

  it.each(corpus)('equals Web Crypto on %s', async (_name, bytes) => {
    expect(sha256Hex(bytes)).toBe(await webCryptoHex(bytes));
  });

  it('knows the published test vector for "abc"', () => {
    expect(sha256Hex(encoder.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('the content hash gives the same hex with and without crypto.subtle', async () => {
    const text = canonicalJson({ drafts: { 'ex-1': '3/4', 'ex-2': 'ünïcödé' }, step: 2 });
    expect(await createContentHash(null)(text)).toBe(await createContentHash(webcrypto.subtle)(text));
  });
});

describe('canonical JSON', () => {
  it('is the same text whatever order keys were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { y: 1, z: 0 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });

  it('refuses what JSON cannot hold, naming the path', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(/\$\.a\[1\]/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });
});
