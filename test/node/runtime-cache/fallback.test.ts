import { afterEach, expect, test, vi } from 'vitest';
import { getCache, getRuntimeCache, purgeRuntimeTags, type RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';

afterEach(() => vi.restoreAllMocks());

test('R112: without IndexedDB (Node) the cache falls back to memory, reporting it once per database', async () => {
  const failures: RuntimeCacheFailure[] = [];
  const projectId = `node-fallback-${Math.random()}`;
  const first = getCache({ projectId, onError: (f) => failures.push(f) });
  await first.set('k', 'v');
  const second = getCache({ projectId, onError: (f) => failures.push(f) });
  expect(await second.get('k')).toBe('v'); // R113: one process-wide store per project/environment
  expect(failures.map((f) => f.kind)).toEqual(['fallback']);
});

test('R109: onError defaults to console.error, and a throwing onError never rejects a call', async () => {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const cache = getCache({ projectId: `node-console-${Math.random()}`, storage: 'memory' });
  await cache.set('k', 10n);
  expect(spy).toHaveBeenCalledTimes(1);
  const throwing = getCache({ storage: 'memory', onError: () => { throw new Error('boom'); } });
  await expect(throwing.set('k', 10n)).resolves.toBeUndefined();
});

test('R85: getRuntimeCache is the same function as getCache', () => {
  expect(getRuntimeCache).toBe(getCache);
});

test('R120/A22: purgeRuntimeTags expires runtime entries in every namespace and never rejects', async () => {
  const projectId = `node-purge-${Math.random()}`;
  const failures: RuntimeCacheFailure[] = [];
  const a = getCache({ projectId, namespace: 'a', onError: (f) => failures.push(f) });
  const b = getCache({ projectId, namespace: 'b', onError: (f) => failures.push(f) });
  await a.set('k', 1, { tags: ['product'] });
  await b.set('k', 2, { tags: ['product'] });
  await a.set('other', 3, { tags: ['other'] });
  await purgeRuntimeTags(['product'], { mode: 'invalidate', projectId, onError: (f) => failures.push(f) });
  expect([await a.get('k'), await b.get('k'), await a.get('other')]).toEqual([null, null, 3]);
  await purgeRuntimeTags(['other'], { mode: 'delete', projectId });
  expect(await a.get('other')).toBeNull();
  await a.set('x', 1);
  await b.set('y', 2, { tags: ['z'] });
  await purgeRuntimeTags(['*'], { projectId }); // R83: the whole project
  expect([await a.get('x'), await b.get('y')]).toEqual([null, null]);
  await expect(purgeRuntimeTags([42] as unknown as string[], { projectId, onError: (f) => failures.push(f) })).resolves.toBeUndefined();
  expect(failures.at(-1)?.kind).toBe('storage');
});
