import { describe, expect, test } from 'vitest';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { runtimeCacheContract } from './contract.ts';

runtimeCacheContract('memory', (options) => getCache({ storage: 'memory', ...options }));

describe('R119: maxBytes in memory', () => {
  const KB = 'x'.repeat(998); // 1,000 characters of JSON

  test('R119: least recently used entries go once the budget is exceeded; a get refreshes recency', async () => {
    const cache = getCache({ storage: 'memory', projectId: 'lru-memory', maxBytes: 3500 });
    for (const key of ['a', 'b', 'c']) await cache.set(key, KB);
    expect(await cache.get('a')).toBe(KB);
    await cache.set('d', KB); // over budget: b is the least recently used
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((key) => cache.get(key)))).toEqual([KB, null, KB, KB]);
    await cache.set('c', 'short'); // an overwrite counts its new size only
    await cache.set('e', KB);
    expect(await Promise.all(['a', 'c', 'd', 'e'].map((key) => cache.get(key)))).toEqual([KB, 'short', KB, KB]);
  });

  test('R119: without maxBytes nothing is evicted', async () => {
    const cache = getCache({ storage: 'memory', projectId: 'unbounded-memory' });
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, KB);
    expect(await cache.get('k0')).toBe(KB);
  });
});
