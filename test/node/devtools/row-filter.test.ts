import { describe, expect, it } from 'vitest';
import type { TimelineRow } from '../../../devtools/model/request-log.ts';
import { matchesFilter, NO_FILTER } from '../../../devtools/model/row-filter.ts';
import type { DecisionRecord, LayerDecision } from '../../../sdk/index.ts';

function row(path: string, status: number, layers: Partial<LayerDecision>[], failure?: string): TimelineRow {
  const url = `https://app.test${path}`;
  const record: DecisionRecord = {
    url, method: 'GET', at: 0, status, originContacted: false, cacheStatus: '', xVercelCache: undefined, error: undefined,
    layers: layers.map((d) => ({ layer: 'edge', outcome: 'miss', reason: '', forwarded: false, stored: false, ...d })),
  };
  return { id: 1, url, method: 'GET', sentAt: 0, note: undefined, response: undefined, failure, record: failure ? undefined : record, unsolicited: false };
}

describe('devtools timeline filter', () => {
  const hit = row('/api/products?page=2', 200, [{ layer: 'browser', outcome: 'revalidated' }, { layer: 'edge', outcome: 'hit' }]);
  const missing = row('/api/missing', 404, [{ layer: 'edge', outcome: 'miss' }]);
  const failed = row('/api/down', 0, [], 'TypeError: Failed to fetch');

  it('keeps every row without a filter', () => {
    expect([hit, missing, failed].every((r) => matchesFilter(r, NO_FILTER))).toBe(true);
  });

  it('matches the path and query as a case-insensitive substring', () => {
    expect(matchesFilter(hit, { ...NO_FILTER, path: 'PRODUCTS?page' })).toBe(true);
    expect(matchesFilter(missing, { ...NO_FILTER, path: 'products' })).toBe(false);
  });

  it('matches a status class, and "failed" for network errors', () => {
    expect(matchesFilter(missing, { ...NO_FILTER, status: '4xx' })).toBe(true);
    expect(matchesFilter(hit, { ...NO_FILTER, status: '4xx' })).toBe(false);
    expect(matchesFilter(failed, { ...NO_FILTER, status: 'failed' })).toBe(true);
    expect(matchesFilter(hit, { ...NO_FILTER, status: 'failed' })).toBe(false);
  });

  it('matches what one layer did, or any layer when none is chosen', () => {
    expect(matchesFilter(hit, { ...NO_FILTER, layer: 'edge', outcome: 'hit' })).toBe(true);
    expect(matchesFilter(hit, { ...NO_FILTER, layer: 'browser', outcome: 'hit' })).toBe(false);
    expect(matchesFilter(hit, { ...NO_FILTER, layer: 'cdn' })).toBe(false);
    expect(matchesFilter(hit, { ...NO_FILTER, outcome: 'revalidated' })).toBe(true);
    expect(matchesFilter(missing, { ...NO_FILTER, outcome: 'hit' })).toBe(false);
  });
});
