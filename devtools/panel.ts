/**
 * The devtools panel (the lazily loaded chunk): a floating, collapsible dock in a shadow root with the
 * app's own requests (timeline, from onDecision plus the headers the page received), each URL's lanes
 * over the worker's clock, "why" (the policy's explain()), each layer's stored entries (inspect()),
 * and the cache actions. Everything shown comes from the SDK controller; nothing is decided here.
 */
import type { CacheWorkerController, InspectResult, LayerName, LayerOutcome } from '../sdk/index.ts';
import { h } from './dom.ts';
import type { DevtoolsOptions } from './index.ts';
import { observeFetch } from './model/fetch-observer.ts';
import { LaneHistory } from './model/lane-history.ts';
import { RequestLog, type TimelineRow } from './model/request-log.ts';
import { matchesFilter, NO_FILTER, type RowFilter } from './model/row-filter.ts';
import { layerTitles } from './narrate.ts';
import panelCss from './panel.css?inline';
import { cacheActions } from './views/cache-actions.ts';
import { lanesView } from './views/lanes-view.ts';
import { storesView } from './views/stores-view.ts';
import { timelineView } from './views/timeline-view.ts';
import { whyView, type OriginSeen } from './views/why-view.ts';
import viewsCss from './views.css?inline';

const LAYERS: LayerName[] = ['edge', 'cdn', 'browser'];
const OUTCOMES: LayerOutcome[] = ['hit', 'stale', 'miss', 'revalidated', 'bypass', 'error'];
const TABS = ['requests', 'lanes', 'why', 'stores'] as const;
type Tab = (typeof TABS)[number];
const TAB_TITLES: Record<Tab, string> = { requests: 'Requests', lanes: 'Lanes', why: 'Why', stores: 'Stores' };
/** A record no fetch() of the page claims (an <img>, a navigation, a background refresh) gets its own row after this long. */
const ORPHAN_AFTER_MS = 300;
const INSPECT_EVERY_MS = 1000;

/** Mounts the panel into `shadow`; returns the function that stops it (listeners, timers, fetch wrapper). */
export function mountPanel(shadow: ShadowRoot, controller: CacheWorkerController, options: DevtoolsOptions): () => void {
  const log = new RequestLog(ORPHAN_AFTER_MS);
  const history = new LaneHistory();
  let inspected: InspectResult | undefined;
  let paused = false;
  let busy = false;
  let filter: RowFilter = { ...NO_FILTER };
  let selected: number | undefined;
  let laneUrl: string | undefined;
  let tab: Tab = 'requests';
  const shown = new Set<LayerName>(LAYERS);

  const layersOn = () => inspected?.config.layers ?? [];
  const handled = (url: string) => {
    const config = inspected?.config;
    if (!config) return false;
    const target = new URL(url);
    if (target.origin !== location.origin) return config.crossOrigins.includes(target.origin);
    return target.href.startsWith(controller.registration.scope) && config.include.some((prefix) => target.pathname.startsWith(prefix));
  };

  // Views
  const timeline = timelineView(log, layersOn, {
    filter: (row) => matchesFilter(row, filter),
    onSelect: (row) => {
      selected = row.id;
      laneUrl = row.url;
      history.clear();
      if (inspected) history.update(inspected, belongsToLane);
      switchTab('why');
    },
    selected: () => selected,
    emptyText: 'No requests yet: requests your app makes through the cache worker appear here.',
  });
  const belongsToLane = (url: string) => laneUrl !== undefined && url === laneUrl;
  const lanes = lanesView(history, log, () => layersOn().filter((l) => shown.has(l)), belongsToLane);
  const why = whyView();
  const stores = storesView();
  const laneSelect = h('select', { 'aria-label': 'URL shown in the lanes', 'data-testid': 'lane-url', onchange: () => {
    laneUrl = laneSelect.value || undefined;
    history.clear();
    if (inspected) history.update(inspected, belongsToLane);
    render();
  } });

  // Actions (each refreshes inspect() afterwards, so the views show what the worker now holds)
  const status = h('p', { class: 'tc-status', role: 'status', 'data-testid': 'devtools-status' });
  const run = (label: string, work: () => Promise<unknown>) => {
    if (busy) return;
    busy = true;
    render();
    // "done" is said once the views show the worker's new state (the clock, the stores), not before.
    void work()
      .then(() => `${label}: done`, (error: unknown) => `${label} failed: ${error instanceof Error ? error.message : String(error)}`)
      .then(async (text) => {
        busy = false;
        await refresh();
        status.textContent = text;
      });
  };
  const offset = () => inspected?.clockOffsetMs ?? 0;
  const cache = cacheActions({
    advance: (seconds) => run(`Clock +${seconds} s`, () => controller.setClockOffset(offset() + seconds * 1000)),
    resetClock: () => run('Clock reset', () => controller.setClockOffset(0)),
    purgeAll: () => run('Purge all', () => controller.purgeAll()),
    invalidateTag: (tag) => run(`invalidateByTag('${tag}')`, () => controller.invalidateByTag(tag)),
    deleteTag: (tag, deadline) => run(`dangerouslyDeleteByTag('${tag}')`, () => controller.dangerouslyDeleteByTag(tag, { revalidationDeadlineSeconds: deadline })),
    setCountry: (country) => run(`Visitor ${country}`, () => controller.setVisitorLocation({ ...inspected?.visitor, country })),
  });
  const layerBoxes = LAYERS.map((layer) => h('input', { type: 'checkbox', checked: true, 'data-testid': `show-${layer}`, onchange: () => {
    if (shown.has(layer)) shown.delete(layer);
    else shown.add(layer);
    render();
  } }));

  // Filters
  const pathInput = h('input', { type: 'search', placeholder: 'path', class: 'small wide', 'aria-label': 'Filter by path', 'data-testid': 'filter-path',
    oninput: () => setFilter({ path: pathInput.value.trim() }) });
  const choice = (label: string, testid: string, values: [string, string][], pick: (value: string) => void) => {
    const select = h('select', { 'aria-label': label, 'data-testid': testid, onchange: () => pick(select.value) }, values.map(([value, text]) => h('option', { value }, text)));
    return select;
  };
  const statusSelect = choice('Filter by status', 'filter-status', [['', 'any status'], ['2xx', '2xx'], ['3xx', '3xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['failed', 'failed']], (status) => setFilter({ status }));
  const layerSelect = choice('Filter by layer', 'filter-layer', [['', 'any layer'], ...LAYERS.map((l): [string, string] => [l, layerTitles[l]])], (layer) => setFilter({ layer: layer as LayerName | '' }));
  const outcomeSelect = choice('Filter by layer outcome', 'filter-outcome', [['', 'any outcome'], ...OUTCOMES.map((o): [string, string] => [o, o.toUpperCase()])], (outcome) => setFilter({ outcome: outcome as LayerOutcome | '' }));
  const pause = h('button', { type: 'button', 'aria-pressed': 'false', 'data-testid': 'pause', onclick: () => {
    paused = !paused;
    render();
  } }, 'Pause');
  const clear = h('button', { type: 'button', 'data-testid': 'clear', onclick: () => {
    log.clear();
    history.clear();
    selected = undefined;
    render();
  } }, 'Clear');
  const setFilter = (patch: Partial<RowFilter>) => {
    filter = { ...filter, ...patch };
    timeline.render();
  };

  // Chrome: the toggle, the tabs, the panels
  const tabButtons = new Map<Tab, HTMLButtonElement>();
  const panels = new Map<Tab, HTMLElement>();
  const tablist = h('div', { class: 'tc-tabs', role: 'tablist', 'aria-label': 'Devtools views', onkeydown: (event: KeyboardEvent) => {
    // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab leaves the list.
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length] ?? 'requests';
    switchTab(next);
    tabButtons.get(next)?.focus();
  } });
  for (const name of TABS) {
    const button = h('button', { type: 'button', role: 'tab', id: `tc-tab-${name}`, 'aria-controls': `tc-panel-${name}`, 'data-testid': `tab-${name}`, onclick: () => switchTab(name) }, TAB_TITLES[name]);
    tabButtons.set(name, button);
    tablist.append(button);
  }
  panels.set('requests', h('div', {},
    h('div', { class: 'controls tc-filters', role: 'toolbar', 'aria-label': 'Timeline filters' },
      h('div', { class: 'group' }, pathInput, statusSelect, layerSelect, outcomeSelect), h('div', { class: 'group' }, pause, clear)),
    timeline.element));
  panels.set('lanes', h('div', {}, h('div', { class: 'controls tc-filters' }, h('label', { class: 'inline' }, 'URL', laneSelect)), lanes.element));
  panels.set('why', why.element);
  panels.set('stores', stores.element);
  const body = h('div', { class: 'tc-body' });
  for (const [name, panel] of panels) {
    body.append(h('div', { role: 'tabpanel', id: `tc-panel-${name}`, 'aria-labelledby': `tc-tab-${name}`, 'data-testid': `panel-${name}`, tabindex: 0 }, panel));
  }
  const config = h('span', { class: 'tc-config muted', 'data-testid': 'devtools-config' });
  const panel = h('section', { class: 'tc-panel', id: 'tc-panel', role: 'region', 'aria-label': 'tiercache devtools', 'data-testid': 'devtools-panel', onkeydown: (event: KeyboardEvent) => {
    if (event.key === 'Escape') setOpen(false);
  } },
    h('header', { class: 'tc-head' }, h('strong', { class: 'tc-title' }, '◆ tiercache'), tablist, config,
      h('button', { type: 'button', class: 'tc-close', 'aria-label': 'Close the devtools', 'data-testid': 'devtools-close', onclick: () => setOpen(false) }, '×')),
    h('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Cache actions' }, cache.clock, cache.purge,
      h('div', { class: 'group' }, cache.country, h('fieldset', { class: 'layers' }, h('legend', {}, 'Show'),
        layerBoxes.map((box, i) => h('label', { class: 'inline' }, box, layerTitles[LAYERS[i] ?? 'edge']))))),
    status,
    body);
  const toggle = h('button', { type: 'button', class: 'tc-toggle', 'aria-controls': 'tc-panel', 'data-testid': 'devtools-toggle', onclick: () => setOpen(panel.hidden === true) }, '◆ tiercache');
  const root = h('div', { class: 'tc-root' }, panel, toggle);
  shadow.append(h('style', {}, viewsCss + panelCss), root);

  /** `focus`: move the focus with it (a user's toggle; never on mount, which must not steal the app's focus). */
  const setOpen = (open: boolean, focus = true) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) void refresh();
    if (focus) (open ? tabButtons.get(tab) : toggle)?.focus();
  };
  const switchTab = (name: Tab) => {
    tab = name;
    render();
  };

  const originSeen = (url: string): OriginSeen | undefined => {
    for (let i = log.rows.length - 1; i >= 0; i--) {
      const row = log.rows[i] as TimelineRow;
      if (row.url === url && row.record?.originHeaders && !row.record.background) return { headers: row.record.originHeaders, rowId: row.id };
    }
    return undefined;
  };

  function render(): void {
    for (const [name, button] of tabButtons) {
      button.setAttribute('aria-selected', String(name === tab));
      button.tabIndex = name === tab ? 0 : -1;
      const tabpanel = shadow.getElementById(`tc-panel-${name}`);
      if (tabpanel) tabpanel.hidden = name !== tab;
    }
    // A layer the worker does not run is hidden, not shown as "off" in every row.
    const running = (layer: LayerName) => !inspected || inspected.config.layers.includes(layer);
    for (const [i, layer] of LAYERS.entries()) {
      root.classList.toggle(`hide-${layer}`, !shown.has(layer) || !running(layer));
      const label = layerBoxes[i]?.parentElement;
      if (label) label.hidden = !running(layer);
    }
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    // Not disabled while an action runs (run() ignores clicks then): disabling the focused button would
    // drop the keyboard focus out of the panel.
    cache.render({ clockOffsetMs: offset(), country: inspected?.visitor?.country ?? 'US', disabled: !inspected });
    if (inspected) {
      const c = inspected.config;
      config.textContent = `${c.layers.join(' → ')} · ${c.profile} · ${c.deployment}`;
    }
    const urls = [...new Set([...log.rows.map((r) => r.url), ...(inspected?.entries.map((e) => e.url) ?? [])])];
    laneUrl ??= log.rows.at(-1)?.url;
    laneSelect.replaceChildren(...urls.map((url) => h('option', { value: url, selected: url === laneUrl }, new URL(url).pathname + new URL(url).search)));
    timeline.render();
    lanes.render();
    const row = log.rows.find((r) => r.id === selected);
    why.show(row, inspected?.config, row ? originSeen(row.url) : undefined);
    stores.render(inspected, LAYERS.filter((l) => shown.has(l)));
  }

  const refresh = async () => {
    try {
      inspected = await controller.inspect();
      history.update(inspected, belongsToLane);
    } catch (error) {
      status.textContent = `inspect() failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    render();
  };

  const unsubscribe = controller.onDecision((record) => {
    if (paused) return;
    log.receive(record);
  });
  log.onChange(() => {
    if (!panel.hidden && tab !== 'requests') render();
  });
  const stopFetch = options.watchFetch === false ? () => undefined : observeFetch(window, log, handled, () => paused);
  const timers = [
    setInterval(() => log.settle(), ORPHAN_AFTER_MS / 2),
    setInterval(() => {
      if (!panel.hidden && !busy) void refresh();
    }, INSPECT_EVERY_MS),
  ];
  render();
  setOpen(options.open ?? false, false);
  void refresh();
  return () => {
    unsubscribe();
    stopFetch();
    for (const timer of timers) clearInterval(timer);
  };
}
