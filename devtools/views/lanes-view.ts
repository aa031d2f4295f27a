/**
 * Three lanes (edge, CDN, browser) on one time axis: each stored copy as a bar (fresh, then the
 * stale-while-revalidate window, then expired-but-kept), and each request as a dot coloured by what
 * that layer did. Bars come from the worker's inspect() snapshots, dots from its decision records.
 */
import type { LayerName } from '../../sdk/index.ts';
import { formatSeconds, h, replace } from '../dom.ts';
import { layerTitles } from '../narrate.ts';
import { entryState, type LaneEntry, type LaneHistory } from '../model/lane-history.ts';
import type { RequestLog } from '../model/request-log.ts';
import { compressedAxis, tickLabel, type TimeAxis } from './time-axis.ts';

const ORDER: LayerName[] = ['edge', 'cdn', 'browser'];

/** `belongs` picks the requests drawn as dots (default: every row of the log). */
export function lanesView(history: LaneHistory, log: RequestLog, layersOn: () => LayerName[], belongs: (url: string) => boolean = () => true): { element: HTMLElement; render: () => void } {
  const element = h('div', { class: 'lanes', 'data-testid': 'lanes' });
  const render = () => {
    const now = history.now;
    const records = log.rows.flatMap((row) => (row.record && belongs(row.url) ? [{ id: row.id, record: row.record }] : []));
    const moments = [now, ...records.map((r) => r.record.at)];
    for (const e of history.entries) moments.push(e.storedAt, e.freshUntil, e.staleWhileRevalidateUntil, e.endedAt ?? now);
    const axis = compressedAxis(moments, [...records.map((r) => r.record.at), now]);
    const lanes = ORDER.map((layer) => {
      const on = layersOn().includes(layer);
      const entries = history.entries.filter((e) => e.layer === layer);
      const variants = [...new Set(entries.map((e) => `${e.key} ${e.variant}`))];
      const dots = records.flatMap(({ id, record }) =>
        record.layers.filter((d) => d.layer === layer).map((d) =>
          h('span', { class: `dot ${d.outcome}`, style: `left:${pct(axis.at(record.at))}`, title: `#${id} ${layerTitles[layer]}: ${d.outcome.toUpperCase()} ${d.reason}` }, d.outcome.charAt(0).toUpperCase()),
        ),
      );
      const current = entries.filter((e) => e.endedAt === undefined).sort((a, b) => b.storedAt - a.storedAt)[0];
      const state = current ? entryState(current, now) : undefined;
      return h(
        'div',
        { class: `lane${on ? '' : ' off'}`, 'data-testid': `lane-${layer}`, 'data-state': on ? (state?.state ?? 'empty') : 'off' },
        h('div', { class: 'lane-label' }, h('strong', {}, layerTitles[layer]), h('span', { class: 'lane-state' }, on ? stateText(state, variants.length) : 'layer off')),
        h(
          'div',
          { class: 'track' },
          variants.map((variant) => h('div', { class: 'bar-row' }, entries.filter((e) => `${e.key} ${e.variant}` === variant).map((e) => bars(e, axis, now)),
            h('span', { class: 'variant' }, variant.split(' ').slice(1).join(' ')))),
          h('span', { class: 'future', style: `left:${pct(axis.at(now))}`, title: 'the future: how long each copy will stay fresh if nothing changes' }),
          dots,
          h('span', { class: 'now', style: `left:${pct(axis.at(now))}`, title: 'now (worker clock)' }),
        ),
      );
    });
    replace(element, lanes, axisRow(axis), legend());
  };
  return { element, render };
}

/** An entry's bars: fresh and stale windows run to their natural end (the part after "now" is dimmed
 *  as the future); the expired-but-kept part only up to now. A removed or replaced entry stops there. */
function bars(entry: LaneEntry, axis: TimeAxis, now: number): HTMLElement[] {
  const end = entry.endedAt ?? Infinity;
  const out: HTMLElement[] = [];
  const segment = (kind: string, from: number, to: number, label: string) => {
    const stop = Math.min(to, end);
    if (stop <= from) return;
    const left = axis.at(from);
    const width = Math.max(axis.at(stop) - left, 0.004);
    out.push(h('span', { class: `seg ${kind}`, style: `left:${pct(left)};width:${pct(width)}`, title: `${label}${entry.tags.length ? ` · tags ${entry.tags.join(', ')}` : ''}` }, width > 0.07 ? label : ''));
  };
  const invalidated = entry.invalidatedAt ?? Infinity;
  segment('fresh', entry.storedAt, Math.min(entry.freshUntil, invalidated), `fresh ${formatSeconds((entry.freshUntil - entry.storedAt) / 1000)}`);
  segment('swr', entry.freshUntil, Math.min(entry.staleWhileRevalidateUntil, invalidated), `stale-while-revalidate ${formatSeconds((entry.staleWhileRevalidateUntil - entry.freshUntil) / 1000)}`);
  segment('invalidated', invalidated, Math.min(end, now), 'invalidated by tag');
  segment('expired', Math.max(entry.staleWhileRevalidateUntil, entry.storedAt), Math.min(invalidated, end, now), 'expired (kept for revalidation)');
  if (entry.endedAt !== undefined) out.push(h('span', { class: 'end', style: `left:${pct(axis.at(entry.endedAt))}`, title: entry.endReason === 'replaced' ? 'replaced by a newer copy' : 'removed (purge, delete or eviction)' }));
  return out;
}

function stateText(state: ReturnType<typeof entryState> | undefined, variants: number): string {
  const suffix = variants > 1 ? ` · ${variants} variants` : '';
  if (!state) return 'empty';
  switch (state.state) {
    case 'fresh':
      return `fresh · ${formatSeconds(state.left)} left${suffix}`;
    case 'swr':
      return `stale, revalidating window · ${formatSeconds(state.left)} left${suffix}`;
    case 'invalidated':
      return `invalidated by tag${suffix}`;
    case 'expired':
      return `expired (kept for revalidation)${suffix}`;
    case 'gone':
      return 'empty';
  }
}

function axisRow(axis: TimeAxis): HTMLElement {
  const placed: number[] = [];
  const ticks = axis.ticks
    .map((t) => ({ t, x: axis.at(t) }))
    .filter(({ x }) => {
      if (placed.some((p) => Math.abs(p - x) < 0.05)) return false;
      placed.push(x);
      return true;
    });
  return h('div', { class: 'axis' }, h('div', { class: 'lane-label' }, h('span', { class: 'muted' }, 'worker clock')),
    h('div', { class: 'track' }, ticks.map(({ t, x }) => h('span', { class: 'tick', style: `left:${pct(x)}` }, tickLabel(axis, t)))));
}

function legend(): HTMLElement {
  const item = (kind: string, text: string) => h('span', { class: 'legend-item' }, h('span', { class: `swatch ${kind}` }), text);
  return h('div', { class: 'legend' }, item('fresh', 'fresh'), item('swr', 'stale-while-revalidate'), item('expired', 'expired, kept'),
    item('invalidated', 'invalidated'), h('span', { class: 'legend-item muted' }, 'dots: requests (H hit, M miss, S stale, R revalidated) · long gaps are compressed'));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
