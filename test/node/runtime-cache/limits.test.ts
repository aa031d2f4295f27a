import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

// Property tests do real work; a loaded 2-core CI machine needs more than the 5 s default.
const PROPERTY = { timeout: 30_000 };
import { DEFAULT_LIMITS, findLimitViolation, overBytes } from '../../../sdk/runtime-cache/limits.ts';

describe('R107/A21: limits measured on UTF-8 bytes', () => {
  test('A21: the item limit is 2 × 2^20 bytes, 128 tags, 256-byte tags by default', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxItemBytes: 2_097_152, maxTagsPerItem: 128, maxTagBytes: 256 });
  });

  test('overBytes agrees with TextEncoder at every limit, lone surrogates included', PROPERTY, () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(40), (text, max) => overBytes(text, max) === encoder.encode(text).length > max),
    );
    expect(overBytes('\ud800', 2)).toBe(true); // a lone surrogate is 3 bytes (U+FFFD)
    expect(overBytes('\ud800', 3)).toBe(false);
    expect(overBytes('😀', 3)).toBe(true);
    expect(overBytes('é€', 4)).toBe(true);
    expect(overBytes('é€', 5)).toBe(false);
  });

  test('R107: boundaries of item size, tag count and tag length', () => {
    const limits = { maxItemBytes: 10, maxTagsPerItem: 2, maxTagBytes: 3 };
    expect(findLimitViolation('"12345678"', [], limits)).toBeUndefined();
    expect(findLimitViolation('"123456789"', [], limits)).toMatch(/JSON over 10 bytes/);
    expect(findLimitViolation('"€€€"', [], limits)).toMatch(/JSON over 10 bytes/); // 5 chars, 11 bytes
    expect(findLimitViolation('1', ['a', 'b'], limits)).toBeUndefined();
    expect(findLimitViolation('1', ['a', 'b', 'c'], limits)).toMatch(/3 tags, over 2/);
    expect(findLimitViolation('1', ['abc'], limits)).toBeUndefined();
    expect(findLimitViolation('1', ['é€'], limits)).toMatch(/over 3 bytes/);
  });
});
