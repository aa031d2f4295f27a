/**
 * "Why" for one response: what each layer did (the worker's record, in words citing the rule) and the
 * policy's explain() of the headers the origin sent (which header each layer obeyed, TTL and stale
 * windows, what it stripped, warnings). Header meaning is never decided here: explain() is the code
 * the worker runs, called with the worker's own configuration (inspect().config).
 */
import type { WorkerConfig } from '../../sdk/index.ts';
import { explain } from '../../sw/policy/index.ts';
import { h, replace } from '../dom.ts';
import { layerTitles, narrate } from '../narrate.ts';
import type { TimelineRow } from '../model/request-log.ts';
import { explanationView } from './explain-view.ts';

/** The origin's headers for one URL and the row whose record carried them. */
export interface OriginSeen {
  headers: Record<string, string>;
  rowId: number;
}

export function whyView(): { element: HTMLElement; show: (row: TimelineRow | undefined, config: WorkerConfig | undefined, seen: OriginSeen | undefined) => void } {
  const element = h('div', { class: 'why-view', 'data-testid': 'why' });
  const show = (row: TimelineRow | undefined, config: WorkerConfig | undefined, seen: OriginSeen | undefined) => {
    const record = row?.record;
    if (!row || !record) return replace(element, h('p', { class: 'muted' }, 'Choose “why” on a request in the Requests tab.'));
    const did = h('ul', { class: 'why', 'data-testid': 'why-decisions' }, record.layers.map((d) => {
      const s = narrate(d);
      return h('li', {}, h('strong', {}, `${layerTitles[d.layer]} ${d.outcome.toUpperCase()}: `), s.text, ' ', h('span', { class: 'rule' }, s.rule));
    }));
    const head = h('p', { class: 'why-head' }, h('code', {}, `#${row.id} ${row.method} ${new URL(row.url).pathname}`), ` → ${record.status}`, record.originContacted ? ' · origin reached' : ' · served from a store');
    if (!config || !seen) {
      return replace(element, head, did, h('p', { class: 'muted', 'data-testid': 'why-unknown' },
        'The origin’s headers for this URL have not been seen since the devtools opened (this answer came from a store). The next request that reaches the origin brings them.'));
    }
    let body: HTMLElement[];
    try {
      const result = explain(seen.headers, {
        method: row.method,
        url: row.url,
        status: record.status,
        layers: config.layers,
        profile: config.profile,
        // The worker's own flags and static-file setting (R48); route-config headers (R5) are already
        // in the origin headers the worker recorded.
        flags: { ...config.flags, staticPathPrefixes: config.staticPrefix ? [config.staticPrefix] : [], staticPaths: new Set(config.staticFiles) },
      });
      body = explanationView(result, seen.headers, seen.rowId === row.id ? 'Origin sent' : `Origin sent (with request #${seen.rowId})`);
    } catch (error) {
      body = [h('p', { class: 'bad' }, `explain() failed: ${error instanceof Error ? error.message : String(error)}`)];
    }
    replace(element, head, did, h('div', { class: 'explain', 'data-testid': 'explain' }, body));
  };
  return { element, show };
}
