import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

// Property tests do real work; a loaded 2-core CI machine needs more than the 5 s default.
const PROPERTY = { timeout: 30_000 };
import { createKeyTransformer, djb2Hash, parseSlotKey, slotKey } from '../../../sdk/runtime-cache/key-transform.ts';

describe('R94: default key hash (32-bit djb2 with XOR, unsigned hex, not padded)', () => {
  test.each([
    ['key', 'b876d32'],
    ['my-key', '57f938ab'],
    ['', '1505'],
    ['a', '2b5c4'],
    ['user:123', '8d0276de'],
  ])('R94: %j → %s', (key, hash) => {
    expect(djb2Hash(key)).toBe(hash);
  });

  test('R97: walks UTF-16 code units, so 😀 → 50fe98 (TypeScript, not Python)', () => {
    expect(djb2Hash('😀')).toBe('50fe98');
  });

  test('R95: post:aaac6 and post:aaaep collide on cfe106f3', () => {
    expect(djb2Hash('post:aaac6')).toBe('cfe106f3');
    expect(djb2Hash('post:aaaep')).toBe('cfe106f3');
  });

  test('R94: always 1–8 lowercase hex characters', PROPERTY, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (key) => /^[0-9a-f]{1,8}$/.test(djb2Hash(key))));
  });
});

describe('R93: stored key = namespace + separator + hash', () => {
  test('R93: no namespace → the hash alone', () => {
    expect(createKeyTransformer()('key').k).toBe('b876d32');
    expect(createKeyTransformer({ namespace: '' })('key').k).toBe('b876d32');
  });

  test('R93: namespace test → test$b876d32', () => {
    expect(createKeyTransformer({ namespace: 'test' })('key').k).toBe('test$b876d32');
  });

  test('R93: namespace test + separator : → test:b876d32', () => {
    expect(createKeyTransformer({ namespace: 'test', namespaceSeparator: ':' })('key').k).toBe('test:b876d32');
  });

  test('R93: an empty separator falls back to $', () => {
    expect(createKeyTransformer({ namespace: 'test', namespaceSeparator: '' })('key').k).toBe('test$b876d32');
  });

  test('R96: a custom keyHashFunction is used verbatim', () => {
    expect(createKeyTransformer({ keyHashFunction: (key) => `custom-${key}` })('my-key').k).toBe('custom-my-key');
    expect(createKeyTransformer({ namespace: 'ns', keyHashFunction: (key) => key })('a$b').k).toBe('ns$a$b');
  });
});

describe('slot identity (R95 fix): never aliases', () => {
  test('colliding keys keep Vercel\'s stored key but get different identities', () => {
    const toSlot = createKeyTransformer({ namespace: 'n' });
    const a = toSlot('post:aaac6');
    const b = toSlot('post:aaaep');
    expect(a.k).toBe(b.k);
    expect(slotKey(a)).not.toBe(slotKey(b));
  });

  test('namespace a + key b$c differs from namespace a$b + key c even with an identity hash', () => {
    const identity = (key: string): string => key;
    const first = createKeyTransformer({ namespace: 'a', keyHashFunction: identity })('b$c');
    const second = createKeyTransformer({ namespace: 'a$b', keyHashFunction: identity })('c');
    expect(first.k).toBe(second.k);
    expect(slotKey(first)).not.toBe(slotKey(second));
  });

  test('distinct (namespace, key) pairs always give distinct slot keys', PROPERTY, () => {
    const identity = (key: string): string => key;
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (ns1, k1, ns2, k2) => {
        fc.pre(ns1 !== ns2 || k1 !== k2);
        const one = slotKey(createKeyTransformer({ namespace: ns1, keyHashFunction: identity })(k1));
        const two = slotKey(createKeyTransformer({ namespace: ns2, keyHashFunction: identity })(k2));
        return one !== two;
      }),
    );
  });
});

describe('parseSlotKey (what inspect() lists): the namespace and key back from a stored slot', () => {
  test('round-trips any namespace, key and hash function output, brackets and quotes included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (namespace, key, hashed) => {
        const slot = createKeyTransformer({ namespace, keyHashFunction: () => hashed })(key);
        expect(parseSlotKey(slotKey(slot))).toEqual({ namespace, key, k: slot.k });
      }),
    );
    expect(parseSlotKey('["ns","a]\\"b"]ns$1f')).toEqual({ namespace: 'ns', key: 'a]"b', k: 'ns$1f' });
  });

  test('a string that is no slot key gives undefined', () => {
    expect(parseSlotKey('plain')).toBeUndefined();
    expect(parseSlotKey('["only one"]x')).toBeUndefined();
  });
});
