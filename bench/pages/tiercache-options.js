// Options every tiercache cache object of the bench is created with.

/**
 * tiercache's default 500 ms per-operation deadline (R110) turns a slow operation into a quick miss or an
 * early resolve: on an overloaded machine that would make a timed row fast and wrong. The bench waits
 * for the real completion instead, and any onError report fails the row's check.
 */
export const TIERCACHE_TIMEOUT_MS = 30_000;
