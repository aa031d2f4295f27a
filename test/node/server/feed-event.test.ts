/** The feed's wire format (sdk/feed-event.ts) and the worker's check of `applyFeed` commands. */
import { expect, test } from 'vitest';
import { compareFeedIds, normalizeTags, parseCatchUp, parseFeedMessage, parseInvalidation } from '../../../sdk/feed-event.ts';
import { validateCommand } from '../../../sw/messages.ts';
import { nextFeedId } from '../../../server/next-feed-id.ts';

test('ids order by time, then sequence, numerically (not as strings)', () => {
  expect(compareFeedIds('9-0', '10-0')).toBeLessThan(0);
  expect(compareFeedIds('10-2', '10-10')).toBeLessThan(0);
  expect(compareFeedIds('10-3', '10-3')).toBe(0);
});

test('the in-process bus mints ids as Redis does and never goes back with the clock', () => {
  expect(nextFeedId('0-0', 1000)).toBe('1000-0');
  expect(nextFeedId('1000-0', 1000)).toBe('1000-1');
  expect(nextFeedId('1000-1', 900)).toBe('1000-2'); // clock stepped back
  expect(nextFeedId('1000-2', 1001)).toBe('1001-0');
});

test('R73/R74: tags split on commas, trimmed, 1–256 characters', () => {
  expect(normalizeTags('a, b,,c')).toEqual(['a', 'b', 'c']);
  expect(normalizeTags([' x '])).toEqual(['x']);
  expect(normalizeTags([])).toHaveProperty('problem');
  expect(normalizeTags(['y'.repeat(257)])).toHaveProperty('problem');
  expect(normalizeTags([1])).toHaveProperty('problem');
});

test.each([
  [null],
  [{ kind: 'nuke' }],
  [{ kind: 'invalidate', tags: 'a' }],
  [{ kind: 'invalidate', tags: [] }],
  [{ kind: 'invalidate', tags: ['a,b'] }],
  [{ kind: 'delete', tags: ['a'] }],
  [{ kind: 'delete', tags: ['a'], revalidationDeadlineSeconds: -1 }],
])('a malformed invalidation is rejected: %j', (value) => {
  expect(parseInvalidation(value)).toBeUndefined();
});

test('messages need a feed id; extra fields are dropped', () => {
  expect(parseFeedMessage('5-0', { kind: 'invalidate', tags: ['a'], evil: true })).toEqual({ id: '5-0', kind: 'invalidate', tags: ['a'] });
  expect(parseFeedMessage('5', { kind: 'purgeAll' })).toBeUndefined();
  expect(parseFeedMessage('5-0', { kind: 'reset' })).toEqual({ id: '5-0', kind: 'reset' });
});

test('a catch-up answer keeps its valid events and counts the malformed ones', () => {
  const parsed = parseCatchUp({ gap: false, head: '3-0', events: [{ id: '1-0', kind: 'purgeAll' }, { id: 'x', kind: 'purgeAll' }, { id: '2-0', kind: 'reset' }] });
  expect(parsed).toEqual({ catchUp: { events: [{ id: '1-0', kind: 'purgeAll' }], gap: false, head: '3-0' }, malformed: 2 });
  expect(parseCatchUp({ events: [], head: '1-0' })).toBeUndefined();
});

test('the worker refuses malformed applyFeed commands (invalid-message) and accepts valid ones', () => {
  expect(validateCommand({ op: 'applyFeed', messages: [{ id: '1-0', kind: 'invalidate', tags: ['a'] }], cursor: '0-0' })).toBeUndefined();
  expect(validateCommand({ op: 'applyFeed', messages: 'x' })).toMatch(/array/);
  expect(validateCommand({ op: 'applyFeed', messages: [], cursor: 'soon' })).toMatch(/cursor/);
  expect(validateCommand({ op: 'applyFeed', messages: [{ id: '1-0', kind: 'invalidate', tags: 'a' }] })).toMatch(/messages\[0\]/);
});
