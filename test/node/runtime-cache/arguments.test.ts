import { describe, expect, test } from 'vitest';
import { readSetOptions, readTags, splitTags } from '../../../sdk/runtime-cache/arguments.ts';
import { encodeValue } from '../../../sdk/runtime-cache/json-codec.ts';

describe('tags and set options', () => {
  test('R106: commas split tags; empty pieces dropped; duplicates merged (R105: a set)', () => {
    expect(splitTags(['a,b', 'b', ',c,', 'A'])).toEqual(['a', 'b', 'c', 'A']);
  });

  test('R91/R106: expireTag accepts one tag or an array, unhashed and unprefixed', () => {
    expect(readTags('x,y', true)).toEqual(['x', 'y']);
    expect(readTags(['x'], true)).toEqual(['x']);
    expect(() => readTags('x', false)).toThrow(expect.objectContaining({ code: 'invalid-tags' }) as Error);
  });

  test('R102: absent ttl reads as 0 (no expiry); R89: name left for the caller to default', () => {
    expect(readSetOptions(undefined)).toEqual({ ttl: 0, tags: [], name: undefined });
    expect(readSetOptions({ ttl: 1.5, tags: ['a'], name: '' })).toEqual({ ttl: 1.5, tags: ['a'], name: '' });
    expect(() => readSetOptions({ name: 3 })).toThrow(expect.objectContaining({ code: 'invalid-argument' }) as Error);
    expect(() => readSetOptions('ttl')).toThrow(expect.objectContaining({ code: 'invalid-options' }) as Error);
  });
});

describe('R98: the JSON codec', () => {
  test('R98: top-level undefined, functions and symbols store as null', () => {
    expect(encodeValue(undefined)).toBe('null');
    expect(encodeValue(() => 1)).toBe('null');
    expect(encodeValue(Symbol('s'))).toBe('null');
  });

  test('R99: BigInt and cycles throw so the cache can report them', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(1n)).toThrow(TypeError);
    expect(() => encodeValue(cyclic)).toThrow(TypeError);
  });
});
