import { describe, expect, test } from 'vitest';
import { applyPurge, evaluate, freshenedRecord, mergeNotModified, type StoredEntry, type TagPurge } from '../../../sw/policy/index.ts';
import { edge, req, res, seconds, store, T0 } from './fixtures.ts';

const TAGGED = { 'cache-control': 's-maxage=10', 'vercel-cache-tag': 't', etag: '"e1"' };
/** The copy a revalidation read, stale at +15 s. */
const validated = () => store(edge(), res(TAGGED));
/** Its 304 (sent at +15 s, answered at +16 s) merged into it (R149). */
const freshen = (entry: StoredEntry) =>
  mergeNotModified(edge(), { entry, request: req(), response: res({ etag: '"e1"', 'cache-control': 's-maxage=10' }, 304), requestTime: T0 + seconds(15), responseTime: T0 + seconds(16) }).entry;
const purge = (entry: StoredEntry, kind: TagPurge['kind'], at: number, revalidationDeadlineSeconds?: number) =>
  applyPurge(entry, { kind, tags: ['t'], at: T0 + at, revalidationDeadlineSeconds }) as StoredEntry;
const at = (entry: StoredEntry, ms: number) => evaluate(edge(), { entries: entry, request: req(), now: T0 + ms });

describe('a 304 freshen against the tag purges that landed while it was on its way (R78, R79, R149)', () => {
  test('R149: with no purge meanwhile, the 304 freshens the copy: a HIT', () => {
    const read = validated();
    const written = freshenedRecord(read, read, freshen(read));
    expect(written).toEqual(freshen(read));
    expect(at(written as StoredEntry, seconds(17))).toMatchObject({ action: 'fresh', reason: 'fresh' });
  });

  test('R78: an invalidation that landed meanwhile is kept: the freshened copy is served STALE and refreshed', () => {
    const read = validated();
    const now = purge(read, 'invalidate', seconds(15.5));
    const written = freshenedRecord(read, now, freshen(read)) as StoredEntry;
    expect(written.invalidatedAt).toBe(T0 + seconds(15.5));
    expect(written.freshUntil).toBe(freshen(read).freshUntil); // the 304's new freshness, all the same
    expect(at(written, seconds(17))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
  });

  test('R79: a deletion that landed meanwhile is kept: the next request waits for the origin', () => {
    const read = validated();
    const written = freshenedRecord(read, purge(read, 'delete', seconds(15.5)), freshen(read)) as StoredEntry;
    expect(written.deleteAt).toBe(T0 + seconds(15.5));
    expect(at(written, seconds(17))).toMatchObject({ action: 'miss', reason: 'tag-deleted', deleteEntry: true });
  });

  test('R78: the marks the revalidation was sent for are answered by its 304: cleared', () => {
    const read = purge(validated(), 'invalidate', seconds(5));
    const written = freshenedRecord(read, read, freshen(read)) as StoredEntry;
    expect([written.invalidatedAt, written.deleteAt]).toEqual([null, null]);
    const deleting = purge(validated(), 'delete', seconds(5), 60); // R79: within the deadline, refreshed
    expect(freshenedRecord(deleting, deleting, freshen(deleting))).toMatchObject({ invalidatedAt: null, deleteAt: null });
  });

  test('R78: a second purge of a copy already marked is told apart from the first and kept (every purge moves invalidatedAt)', () => {
    const read = purge(validated(), 'invalidate', seconds(5));
    const again = purge(read, 'invalidate', seconds(15.5));
    expect(again.invalidatedAt).toBe(T0 + seconds(15.5));
    expect(freshenedRecord(read, again, freshen(read))?.invalidatedAt).toBe(T0 + seconds(15.5));
    // A deletion on top of a deletion deadline: the earlier deadline stands (R79), the purge is seen.
    const deleting = purge(validated(), 'delete', seconds(5), 60);
    const deletedAgain = purge(deleting, 'delete', seconds(15.5), 600);
    expect([deletedAgain.deleteAt, deletedAgain.invalidatedAt]).toEqual([T0 + seconds(65), T0 + seconds(15.5)]);
    expect(freshenedRecord(deleting, deletedAgain, freshen(deleting))).toMatchObject({ deleteAt: T0 + seconds(65), invalidatedAt: T0 + seconds(15.5) });
  });

  test('R78: a second invalidation in the same millisecond, or after time travel moved the clock back, is still told apart and kept', () => {
    const read = purge(validated(), 'invalidate', seconds(15));
    for (const when of [seconds(15), seconds(10)]) {
      const again = purge(read, 'invalidate', when);
      expect(again.invalidatedAt).toBe(read.invalidatedAt); // the time alone cannot show it
      const written = freshenedRecord(read, again, freshen(read)) as StoredEntry;
      expect(written.invalidatedAt).toBe(T0 + seconds(15));
      expect(at(written, seconds(17))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
    }
  });

  test('R149/R79: a newer response stored under the same id meanwhile is not overwritten by the old copy\'s 304', () => {
    const read = validated();
    const newer = store(edge(), res({ ...TAGGED, etag: '"e2"' }), { at: T0 + seconds(15.5) });
    expect(freshenedRecord(read, newer, freshen(read))).toBeNull();
    // Nor a copy another revalidation freshened already: the write that landed first stands.
    expect(freshenedRecord(read, freshen(read), freshen(read))).toBeNull();
  });
});
