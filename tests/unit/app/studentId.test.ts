import { describe, expect, it } from 'vitest';
import { cleanName, studentIdFromName } from '../../../src/protocol/studentName';

const VALID_ID = /^[a-z0-9._-]{1,64}$/;

describe('student id from a name', () => {
  it('is the lower-case name with spaces and punctuation turned into dashes', () => {
    expect(studentIdFromName('Ada Lovelace')).toBe('ada-lovelace');
    expect(studentIdFromName("  O'Brien,  Mary!  ")).toBe('o-brien-mary');
    expect(studentIdFromName('j.smith_2')).toBe('j.smith_2');
  });

  it('drops accents instead of the letters carrying them', () => {
    expect(studentIdFromName('Zoë Ångström')).toBe('zoe-angstrom');
  });

  it('never exceeds 64 characters and never ends in a separator', () => {
    const id = studentIdFromName(`${'a'.repeat(63)} b`);
    expect(id).toMatch(VALID_ID);
    expect(id).toBe('a'.repeat(63));
  });

  it('gives names without Latin letters a stable valid id, distinct per name', () => {
    const li = studentIdFromName('李雷');
    expect(li).toMatch(VALID_ID);
    expect(studentIdFromName('李雷')).toBe(li);
    expect(studentIdFromName('韩梅梅')).not.toBe(li);
  });

  it('is always a valid id for odd input', () => {
    for (const name of ['---', '...', '🙂', 'a', 'Ω', ' x ']) expect(studentIdFromName(name)).toMatch(VALID_ID);
  });
});

describe('cleaning a typed name', () => {
  it('trims and collapses spaces', () => {
    expect(cleanName('  Ada   Lovelace ')).toBe('Ada Lovelace');
  });

  it('refuses blank and overlong names', () => {
    expect(cleanName('   ')).toBeNull();
    expect(cleanName('x'.repeat(61))).toBeNull();
  });
});
