// How a measuring page talks to the runner: JSON posted to the local server (no DevTools channel).

export async function post(message) {
  await fetch('/bench/report', { method: 'POST', body: JSON.stringify(message) });
}

/** Progress line printed by the runner (stderr). */
export const log = (text) => post({ type: 'log', text });

/**
 * Collects one round of one suite: a sample per row (µs or ms per operation, as the row says), the
 * sanity checks behind it, and rows that cannot run (with the reason). `send()` posts it.
 */
export function roundReport(suite, round, warmup) {
  const samples = {};
  const checks = [];
  const unavailable = {};
  return {
    sample(row, value) {
      samples[row] = value;
    },
    check(row, ok, detail) {
      checks.push({ row, ok: Boolean(ok), detail });
    },
    unavailable(row, reason) {
      unavailable[row] = reason;
    },
    send: () => post({ type: 'round', suite, round, warmup, samples, checks, unavailable }),
  };
}

/** Median of numbers (the middle one, or the mean of the two middle ones). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Puts `items` in a different order each round so no contender always runs first. */
export function rotate(items, round) {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
