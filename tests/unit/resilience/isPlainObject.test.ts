import { isPlainObject as runtimeCheck } from '../../../src/resilience/core/isPlainObject';
import { isPlainObject as protocolCheck } from '../../../src/protocol/isPlainObject';

describe.each([
  ['the runtime', runtimeCheck],
  ['the app and server', protocolCheck],
])('the JSON-object check of %s', (_, isPlainObject) => {
  it('trusts parsed JSON objects, also ones without a prototype', () => {
    expect(isPlainObject(JSON.parse('{"a":1}'))).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it('refuses null, arrays, primitives and class instances read back in place of a record', () => {
    for (const value of [null, undefined, [], [1], 'text', 3, new Map(), new Date(0)]) expect(isPlainObject(value)).toBe(false);
  });
});
