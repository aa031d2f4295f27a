/**
 * How long a request waits, in all, for another request's store write of its key before it goes on
 * without it (R59). Writes are streamed now: an entry becomes visible only once its whole body is
 * stored, which for a large or slow body takes as long as the download. A request never waits on
 * that longer than this; it then looks up what is there and, finding nothing, fetches for itself
 * (the proxy_cache_lock_timeout idea of real caches; sw/README.md, "Streamed bodies").
 */
export const WRITE_WAIT_MS = 2000;

/** True when `promise` settled (either way) before `deadline` (a performance.now() time). */
export async function settledBy(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  const left = deadline - performance.now();
  if (left <= 0) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), left)));
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
