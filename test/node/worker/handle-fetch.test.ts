import { describe, expect, test } from 'vitest';
import type { StoredRecord } from '../../../sw/layers/stored-record.ts';
import { createMemoryStore, type EntryMeta, type HttpStore } from '../../../sw/store/index.ts';
import { createChain } from './chain-fixture.ts';

describe('handleFetch (node, injected deps)', () => {
  test('R59: 50 concurrent misses share one network request; 49 are reported collapsed', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/herd', [{ headers: { 'cache-control': 's-maxage=60' }, body: 'one', delayMs: 20 }]);
    const all = await Promise.all(Array.from({ length: 50 }, () => chain.fetch('/herd')));
    expect(all.every((r) => r.body === 'one')).toBe(true);
    expect(chain.requests).toHaveLength(1);
    expect(all.filter((r) => r.header('cache-status')?.includes('collapsed'))).toHaveLength(49);
    await chain.settle();
    expect(chain.decisions.filter((d) => d.layers[0]?.reason === 'collapsed')).toHaveLength(49);
  });

  test('R59: collapsed waiters never share an answer the layer did not store (private)', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/private', [{ headers: { 'cache-control': 'private, max-age=60' }, body: 'mine', delayMs: 20 }]);
    await Promise.all(Array.from({ length: 5 }, () => chain.fetch('/private')));
    expect(chain.requests).toHaveLength(5);
  });

  test('R12: the stale answer is immediate; the refresh runs inside waitUntil and lands once', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/swr', [
      { headers: { 'cache-control': 's-maxage=10, stale-while-revalidate=100' }, body: 'v1' },
      { headers: { 'cache-control': 's-maxage=10, stale-while-revalidate=100' }, body: 'v2' },
    ]);
    await chain.fetch('/swr');
    await chain.settle();
    chain.advance(20);
    const stale = await Promise.all([chain.fetch('/swr'), chain.fetch('/swr'), chain.fetch('/swr')]);
    expect(stale.map((r) => r.header('x-vercel-cache'))).toEqual(['STALE', 'STALE', 'STALE']);
    await chain.settle();
    expect(chain.requests).toHaveLength(2);
    expect((await chain.fetch('/swr')).body).toBe('v2');
  });

  test('R58: a failed background refresh keeps serving the last good copy', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/keep', [{ headers: { 'cache-control': 's-maxage=10, stale-while-revalidate=100' }, body: 'good' }, { fail: true }]);
    await chain.fetch('/keep');
    await chain.settle();
    chain.advance(20);
    expect((await chain.fetch('/keep')).body).toBe('good');
    await chain.settle();
    const again = await chain.fetch('/keep');
    expect([again.body, again.header('x-vercel-cache')]).toEqual(['good', 'STALE']);
  });

  test.each([['browser'], ['edge']] as const)('a policy or storage exception outside the lookup falls back to the network (%s, Cache-Status detail=error)', async (layer) => {
    const store = createMemoryStore<StoredRecord>();
    const corrupt = <T extends { meta: EntryMeta<StoredRecord> }>(found: T | undefined): T | undefined =>
      found && { ...found, meta: { ...found.meta, record: { ...found.meta.record, headers: undefined as unknown as Record<string, string> } } };
    const broken: HttpStore<StoredRecord> = {
      variants: (key) => store.variants(key),
      put: (meta, body) => store.put(meta, body),
      updateMeta: (id, update) => store.updateMeta(id, update),
      updateTagged: (tags, update) => store.updateTagged(tags, update),
      delete: (id) => store.delete(id),
      byTag: (tags) => store.byTag(tags),
      list: (layer) => store.list(layer),
      clear: (layer) => store.clear(layer),
      retainDeployments: (layer, keep) => store.retainDeployments(layer, keep),
      // A corrupt stored record: its headers are gone, so building the response throws.
      get: async (id) => corrupt(await store.get(id)),
      getBody: async (id) => corrupt(await store.getBody(id)),
    };
    const chain = createChain({ layers: [layer], store: broken });
    chain.script('/corrupt', [{ headers: { 'cache-control': 'max-age=60, s-maxage=60' }, body: 'v' }]);
    await chain.fetch('/corrupt');
    await chain.settle();
    const res = await chain.fetch('/corrupt');
    expect(res.status).toBe(200);
    expect(res.header('cache-status')).toMatch(new RegExp(`${layer}; fwd=bypass; fwd-status=200; detail=error$`));
    expect(res.header('x-vercel-cache')).toBe(layer === 'edge' ? 'MISS' : null);
    expect(chain.errors.length).toBeGreaterThan(0);
    await chain.settle();
    expect(chain.decisions.at(-1)?.error).toBeTruthy();
    expect(chain.requests).toHaveLength(2);
  });

  test('a network failure is passed to the page as a rejection, never swallowed', async () => {
    const chain = createChain({ layers: ['browser', 'edge'] });
    chain.script('/down', [{ fail: true }]);
    await expect(chain.fetch('/down')).rejects.toThrow('fetch failed');
  });

  test('upstream requests use cache: no-store and carry the visitor headers from the edge', async () => {
    const chain = createChain({ layers: ['browser', 'edge'] });
    chain.setVisitor({ country: 'FR', city: 'Orléans' });
    chain.script('/geo', [{ headers: { 'cache-control': 'no-store' } }]);
    await chain.fetch('/geo');
    const sent = chain.requests[0]!;
    expect(sent.cache).toBe('no-store');
    expect(sent.headers.get('x-vercel-ip-country')).toBe('FR');
    expect(sent.headers.get('x-vercel-ip-city')).toBe('Orl%C3%A9ans');
  });

  test('R66: unsafe methods get no x-vercel-cache and are never collapsed or stored', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/form', [{ status: 201, headers: { 'cache-control': 's-maxage=60' }, body: 'created' }]);
    const posts = await Promise.all([chain.fetch('/form', { method: 'POST', body: 'a' }), chain.fetch('/form', { method: 'POST', body: 'b' })]);
    expect(posts.map((p) => p.header('x-vercel-cache'))).toEqual([null, null]);
    expect(chain.requests).toHaveLength(2);
    expect(await chain.store.list()).toEqual([]);
  });

  test('Vercel-CDN-Cache-Control and Vercel-Cache-Tag never reach the page (R26, R34)', async () => {
    const chain = createChain({ layers: ['edge'] });
    chain.script('/strip', [{ headers: { 'vercel-cdn-cache-control': 'max-age=60', 'vercel-cache-tag': 'a,b' } }]);
    const res = await chain.fetch('/strip');
    expect(res.header('vercel-cdn-cache-control')).toBeNull();
    expect(res.header('vercel-cache-tag')).toBeNull();
    await chain.settle();
    expect((await chain.store.list())[0]?.tags).toEqual(['a', 'b']);
  });

  test('R59/R144: a herd revalidating against a failing origin makes one request and shares the stale copy', async () => {
    const chain = createChain({ layers: ['browser'] });
    chain.script('/failing', [{ headers: { 'cache-control': 'max-age=5, stale-if-error=600' }, body: 'good' }, { status: 503, body: 'down', delayMs: 20 }]);
    await chain.fetch('/failing');
    await chain.settle();
    chain.advance(30);
    const herd = await Promise.all(Array.from({ length: 20 }, () => chain.fetch('/failing')));
    expect(herd.every((r) => r.status === 200 && r.body === 'good')).toBe(true);
    expect(chain.requests).toHaveLength(2);
  });

  test('R59/R61: without a stale window the herd shares the one error response', async () => {
    const chain = createChain({ layers: ['browser'] });
    chain.script('/erroring', [{ headers: { 'cache-control': 'max-age=5' }, body: 'good' }, { status: 502, body: 'bad gateway', delayMs: 20 }]);
    await chain.fetch('/erroring');
    await chain.settle();
    chain.advance(30);
    const herd = await Promise.all(Array.from({ length: 10 }, () => chain.fetch('/erroring')));
    expect(herd.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 10 }, () => '502 bad gateway'));
    expect(chain.requests).toHaveLength(2);
  });

  test('hard case 8: a revalidation that outlives upstreamTimeoutMs counts as unreachable (stale-if-error applies)', async () => {
    const chain = createChain({ layers: ['browser'] });
    chain.script('/slow', [{ headers: { 'cache-control': 'max-age=5, stale-if-error=600' }, body: 'good' }, { body: 'late', delayMs: 2000 }]);
    await chain.fetch('/slow');
    await chain.settle();
    chain.advance(30);
    const started = Date.now();
    const res = await chain.fetch('/slow');
    expect([res.status, res.body]).toEqual([200, 'good']);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.header('cache-status')).toContain('detail=stale-if-error');
  });
});

