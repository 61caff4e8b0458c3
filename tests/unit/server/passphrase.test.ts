import * as crypto from 'node:crypto';
import { hashPassphrase, verifyPassphrase } from '../../../server/auth/passphrase';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

describe('passphrase hashing', () => {
  it('accepts the right passphrase and refuses wrong ones, comparing in constant time', async () => {
    const stored = await hashPassphrase('purple tiger');
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    expect(await verifyPassphrase('purple tiger', stored)).toBe(true);
    expect(await verifyPassphrase('purple tigers', stored)).toBe(false);
    expect(await verifyPassphrase('Purple tiger', stored)).toBe(false);
    expect(await verifyPassphrase('', stored)).toBe(false);
    // Every check, right or wrong, went through timingSafeEqual (never a === or Buffer.equals).
    expect(compare).toHaveBeenCalledTimes(4);
  });

  it('salts each name on its own: the same passphrase hashes differently', async () => {
    const first = await hashPassphrase('purple tiger');
    const second = await hashPassphrase('purple tiger');
    expect(first.salt.equals(second.salt)).toBe(false);
    expect(first.hash.equals(second.hash)).toBe(false);
    expect(first.hash).toHaveLength(32);
  });
});
