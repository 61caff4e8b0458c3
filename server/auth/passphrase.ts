import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A stored passphrase: scrypt of the passphrase with the name's own random salt. */
export interface PassphraseHash {
  salt: Buffer;
  hash: Buffer;
}

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// N=2^14, r=8, p=1: the interactive-login parameters of the scrypt paper (~16 MiB, tens of ms per check),
// enough to make an offline guess of a stolen hash slow while sign-in stays quick.
const PARAMS: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, PARAMS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a new passphrase with a fresh random salt (async: scrypt runs off the event loop). */
export async function hashPassphrase(passphrase: string): Promise<PassphraseHash> {
  const salt = randomBytes(SALT_BYTES);
  return { salt, hash: await derive(passphrase, salt) };
}

/**
 * Whether `passphrase` matches the stored hash. The comparison is constant-time (timingSafeEqual), so how
 * long a wrong guess takes says nothing about how much of it was right.
 */
export async function verifyPassphrase(passphrase: string, stored: PassphraseHash): Promise<boolean> {
  const candidate = await derive(passphrase, stored.salt);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}
