/**
 * The timeline's filter: by path (substring), by HTTP status class, and by what one layer did. Pure,
 * so a row is shown or hidden for reasons a reader can check here.
 */
import type { LayerName, LayerOutcome } from '../../sdk/index.ts';
import type { TimelineRow } from './request-log.ts';

export interface RowFilter {
  /** Substring of the URL's path and query; '' matches every row. */
  path: string;
  /** '' (any), '2xx' … '5xx', or 'failed' (a network error or an unreachable origin). */
  status: string;
  /** '' (any) or the layer whose outcome must match `outcome` (any outcome: the layer took part). */
  layer: LayerName | '';
  outcome: LayerOutcome | '';
}

export const NO_FILTER: RowFilter = { path: '', status: '', layer: '', outcome: '' };

export function matchesFilter(row: TimelineRow, filter: RowFilter): boolean {
  if (filter.path) {
    const url = new URL(row.url);
    if (!(url.pathname + url.search).toLowerCase().includes(filter.path.toLowerCase())) return false;
  }
  if (filter.status) {
    const status = row.response?.status ?? row.record?.status ?? 0;
    if (filter.status === 'failed' ? !(row.failure !== undefined || status === 0) : `${Math.floor(status / 100)}xx` !== filter.status) return false;
  }
  const decisions = row.record?.layers ?? [];
  if (filter.layer) {
    const decision = decisions.find((d) => d.layer === filter.layer);
    if (!decision || (filter.outcome && decision.outcome !== filter.outcome)) return false;
  } else if (filter.outcome && !decisions.some((d) => d.outcome === filter.outcome)) return false;
  return true;
}
