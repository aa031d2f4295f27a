import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

// Property tests do real work; a loaded 2-core CI machine needs more than the 5 s default.
const PROPERTY = { timeout: 30_000 };
import { DEFAULT_LIMITS, findLimitViolation, utf8Length } from '../../../sdk/runtime-cache/limits.ts';

describe('R107/A21: limits measured on UTF-8 bytes', () => {
  test('A21: the item limit is 2 × 2^20 bytes, 128 tags, 256-byte tags by default', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxItemBytes: 2_097_152, maxTagsPerItem: 128, maxTagBytes: 256 });
  });

  test('utf8Length equals TextEncoder for any string, lone surrogates included', PROPERTY, () => {
    const encoder = new TextEncoder();
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoder.encode(text).length));
    expect(utf8Length('\ud800')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('é€')).toBe(5);
  });

  test('R107: boundaries of item size, tag count and tag length', () => {
    const limits = { maxItemBytes: 10, maxTagsPerItem: 2, maxTagBytes: 3 };
    expect(findLimitViolation('"12345678"', [], limits)).toBeUndefined();
    expect(findLimitViolation('"123456789"', [], limits)).toMatch(/larger than 10 bytes/);
    expect(findLimitViolation('"€€€"', [], limits)).toMatch(/larger/); // 5 chars, 11 bytes
    expect(findLimitViolation('1', ['a', 'b'], limits)).toBeUndefined();
    expect(findLimitViolation('1', ['a', 'b', 'c'], limits)).toMatch(/3 tags exceed the limit of 2/);
    expect(findLimitViolation('1', ['abc'], limits)).toBeUndefined();
    expect(findLimitViolation('1', ['é€'], limits)).toMatch(/longer than 3 bytes/);
  });
});
