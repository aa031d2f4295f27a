/**
 * The request timeline: one row per request, each layer's result from the worker's decision record
 * (never recomputed here), whether the origin was reached, Age, and the exact headers the page got.
 */
import type { BackgroundRefresh, DecisionRecord, LayerDecision, LayerName } from '../../sdk/index.ts';
import { h, replace } from '../dom.ts';
import { layerTitles, narrate, notStoredLabel } from '../narrate.ts';
import type { RequestLog, TimelineRow } from '../model/request-log.ts';

const LANES: LayerName[] = ['browser', 'cdn', 'edge'];

export interface TimelineOptions {
  /** How a row names its request (default: the URL's path). */
  label?: (url: URL) => string;
  /** Rows to show (default: all). */
  filter?: (row: TimelineRow) => boolean;
  /** Adds a "why" button per row that calls this. */
  onSelect?: (row: TimelineRow) => void;
  /** The row shown as selected. */
  selected?: () => number | undefined;
  emptyText?: string;
}

export function timelineView(log: RequestLog, layersOn: () => LayerName[], options: TimelineOptions = {}): { element: HTMLElement; render: () => void } {
  /** Rows whose details the user opened stay open across re-renders. */
  const openRows = new Set<number>();
  const body = h('tbody');
  const empty = h('p', { class: 'empty', 'data-testid': 'timeline-empty' }, options.emptyText ?? 'No requests yet. Pick a preset and press Play, or Send.');
  const table = h(
    'table',
    { class: 'timeline', 'data-testid': 'timeline' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Clock'), h('th', { scope: 'col' }, 'Request'),
        LANES.map((layer) => h('th', { scope: 'col', class: `col-${layer}` }, layerTitles[layer])),
        h('th', { scope: 'col' }, 'Origin'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Age'), h('th', { scope: 'col' }, 'Page received')),
    ),
    body,
  );
  const render = () => {
    const t0 = log.rows.find((row) => row.record)?.record?.at;
    const rows = options.filter ? log.rows.filter(options.filter) : log.rows;
    replace(body, rows.map((row) => rowView(row, t0, layersOn(), openRows, options)).reverse());
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
  };
  log.onChange(render);
  render();
  return { element: h('div', { class: 'timeline-wrap' }, empty, table), render };
}

function rowView(row: TimelineRow, t0: number | undefined, layersOn: LayerName[], openRows: Set<number>, options: TimelineOptions): HTMLElement {
  const record = row.record;
  const decisions = new Map(record?.layers.map((d) => [d.layer, d]));
  const age = header(row, 'age');
  const refresh = record?.background;
  // Background refreshes get their own test id: they are origin contacts, not requests the page sent.
  const attrs: Record<string, string> = { 'data-testid': refresh ? 'timeline-refresh' : 'timeline-row', 'data-row': String(row.id) };
  if (refresh) attrs['data-outcome'] = refresh.outcome;
  for (const layer of LANES) attrs[`data-${layer}`] = decisions.get(layer)?.outcome.toUpperCase() ?? '';
  // Layers whose write was abandoned after the headers left (the record's correction: `revision`).
  attrs['data-not-stored'] = (record?.layers ?? []).filter((d) => d.notStored).map((d) => d.layer).join(' ');
  attrs['data-x-vercel-cache'] = record?.xVercelCache ?? '';
  attrs['data-origin'] = record ? String(record.originContacted) : '';
  const httpStatus = row.response?.status ?? (row.failure ? 'network error' : refresh ? refresh.outcome === 'failed' && record.status === 0 ? 'unreachable' : record.status : '…');
  return h(
    'tr',
    { ...attrs, class: `${refresh ? 'unsolicited background' : row.unsolicited ? 'unsolicited' : ''}${options.selected?.() === row.id ? ' selected' : ''}` },
    h('td', { class: 'num' }, String(row.id)),
    h('td', { class: 'num clock' }, record && t0 !== undefined ? `+${((record.at - t0) / 1000).toFixed(1)} s` : '…'),
    h('td', { class: 'req' }, h('code', {}, `${row.method} ${(options.label ?? ((url: URL) => url.pathname))(new URL(row.url))}`),
      options.onSelect ? h('button', { type: 'button', class: 'why-button', 'data-testid': 'timeline-select', 'aria-label': `Why: request ${row.id}`, onclick: () => options.onSelect?.(row) }, 'why') : null,
      refresh ? h('span', { class: 'why-line', 'data-testid': 'timeline-why' }, refreshText(refresh)) : null,
      row.unsolicited && !refresh ? h('span', { class: 'note' }, 'not sent by this page: a background refresh or another tab') : null,
      record && !refresh ? answeredBy(record) : null,
      row.note ? h('span', { class: 'note' }, row.note) : null),
    LANES.map((layer) => layerCell(layer, decisions.get(layer), layersOn.includes(layer), record)),
    h('td', { 'data-testid': 'timeline-origin' }, record ? (record.originContacted ? h('span', { class: 'origin yes' }, 'reached') : h('span', { class: 'origin no' }, 'not reached')) : '…'),
    h('td', { class: 'num', 'data-testid': 'timeline-status' }, String(httpStatus)),
    h('td', { class: 'num' }, age ?? '–'),
    h('td', { class: 'received' }, receivedView(row, openRows)),
  );
}

function layerCell(layer: LayerName, decision: LayerDecision | undefined, on: boolean, record: DecisionRecord | undefined): HTMLElement {
  if (!decision) {
    const text = !record ? '…' : on ? 'not asked' : 'off';
    return h('td', { class: 'layer-cell', 'data-testid': `timeline-${layer}` }, h('span', { class: 'muted' }, text));
  }
  const why = narrate(decision);
  // R66: a layer that skipped its cache for this request still reports x-vercel-cache: MISS.
  const vercelSays = layer === 'edge' && decision.outcome === 'bypass' ? record?.xVercelCache : undefined;
  return h(
    'td',
    { class: 'layer-cell', 'data-testid': `timeline-${layer}`, title: `${layerTitles[layer]}: ${why.text} (${why.rule})` },
    h('span', { class: `chip ${decision.outcome}` }, decision.outcome.toUpperCase()),
    decision.reason ? h('span', { class: 'reason' }, decision.reason) : null,
    vercelSays ? h('span', { class: 'reason' }, `x-vercel-cache: ${vercelSays}`) : null,
    decision.notStored ? h('span', { class: 'reason not-stored', 'data-testid': 'timeline-not-stored' }, notStoredLabel(decision.notStored)) : null,
  );
}

/**
 * The one sentence that explains the row: which layer produced the answer and why. The layer nearest
 * the page that served from its own copy (HIT or STALE) answered; if none did, the origin did, for
 * the reason the layer nearest the origin gives.
 */
function answeredBy(record: DecisionRecord): HTMLElement {
  const served = record.layers.find((d) => d.outcome === 'hit' || d.outcome === 'stale');
  const decision = served ?? record.layers[record.layers.length - 1];
  if (!decision) return h('span', { class: 'why-line' }, 'No layer handled this request.');
  const why = narrate(decision);
  const who = !served && record.originContacted ? `The origin answered. ${layerTitles[decision.layer]}: ` : `${layerTitles[decision.layer]} answered: `;
  return h('span', { class: 'why-line', 'data-testid': 'timeline-why' }, h('strong', {}, who), why.text, ' ', h('span', { class: 'rule' }, why.rule));
}

const TRIGGERS: Record<string, string> = {
  'stale-time': 'its stale-while-revalidate window (R12)',
  'tag-invalidated': 'a tag invalidation (R78)',
  'tag-delete-deadline': 'a tag deletion with a deadline (R79)',
};

const OUTCOMES: Record<BackgroundRefresh['outcome'], string> = {
  updated: 'the origin answered 304, the copy was freshened.',
  stored: 'a new copy was stored.',
  deleted: 'the new answer may not be stored, so the old copy was removed (R47).',
  'not-stored': 'the new answer may not be stored.',
  failed: 'the refresh failed; the stale copy is kept (R58).',
};

/** One sentence for a background refresh row: who refreshed, why, and what came of it. */
function refreshText(refresh: BackgroundRefresh): HTMLElement {
  const why = TRIGGERS[refresh.trigger] ?? refresh.trigger;
  return h('span', {}, h('strong', {}, `Background refresh by ${layerTitles[refresh.layer]}: `), `after ${why}, `, OUTCOMES[refresh.outcome]);
}

function receivedView(row: TimelineRow, openRows: Set<number>): HTMLElement | string {
  if (row.failure) return h('span', { class: 'bad' }, row.failure);
  if (!row.response && !row.record) return '…';
  const why = (row.record?.layers ?? []).map((d) => {
    const s = narrate(d);
    return h('li', {}, h('strong', {}, `${layerTitles[d.layer]} ${d.outcome.toUpperCase()}: `), s.text, ' ', h('span', { class: 'rule' }, s.rule));
  });
  const headers = row.response?.headers ?? [];
  const interesting = headers.filter(([name]) => ['cache-control', 'cdn-cache-control', 'x-vercel-cache'].includes(name));
  const toggle = (event: Event) => {
    if ((event.currentTarget as HTMLDetailsElement).open) openRows.add(row.id);
    else openRows.delete(row.id);
  };
  return h(
    'details',
    { open: openRows.has(row.id), ontoggle: toggle },
    h('summary', {}, interesting.length ? interesting.map(([n, v]) => h('code', { class: 'hdr' }, `${n}: ${v}`)) : h('span', { class: 'muted' }, 'details')),
    why.length ? h('ul', { class: 'why' }, why) : null,
    h('pre', { class: 'headers', 'data-testid': 'received-headers' },
      row.response ? `HTTP ${row.response.status}\n${headers.map(([n, v]) => `${n}: ${v}`).join('\n')}${row.response.bodyPreview === undefined ? '' : `\n\n${row.response.bodyPreview}`}` : ''),
  );
}

function header(row: TimelineRow, name: string): string | undefined {
  return row.response?.headers.find(([n]) => n === name)?.[1];
}
