/**
 * A small, bounded memo for the pure header parsers, keyed by the header text.
 *
 * Why: one header value is parsed many times for one response — by every layer's selection, storable(),
 * createStoredEntry(), rewriteForDownstream() and explain() — and a stored response's headers are parsed
 * again on every hit (the edge rewrite). Parsing is the dominant cost of the hit path (performance.md),
 * while the values themselves are few (a site sends a handful of distinct Cache-Control values).
 *
 * Bounded twice: by entries (the oldest goes first) and by the total length of the texts it
 * keeps, so a hostile origin's 256 KiB headers cannot make the worker hold much memory. Kept results
 * are shared between callers, so they are frozen first (`freeze`, e.g. `freezeParsed`).
 */
export interface MemoLimits {
  /** Most texts remembered. */
  readonly entries: number;
  /** Most characters remembered in total; a longer text is parsed but never kept. */
  readonly chars: number;
}

/** A few hundred real header values, or one or two hostile 256 KiB ones. */
const DEFAULT_LIMITS: MemoLimits = { entries: 256, chars: 1 << 19 };

/** Wraps a pure parser of one string; `freeze` makes a result immutable before it is shared. */
export function memoizeByText<T>(parse: (text: string) => T, freeze: (result: T) => T, limits: MemoLimits = DEFAULT_LIMITS): (text: string) => T {
  const memo = new Map<string, T>();
  let chars = 0;
  return (text: string): T => {
    const known = memo.get(text);
    if (known !== undefined) return known; // first in, first out: a hit costs one lookup
    const result = parse(text);
    if (text.length > limits.chars) return result;
    memo.set(text, freeze(result));
    chars += text.length;
    for (const oldest of memo.keys()) {
      if (memo.size <= limits.entries && chars <= limits.chars) break;
      memo.delete(oldest);
      chars -= oldest.length;
    }
    return result;
  };
}
