/**
 * The demo page: lays out the views and wires them to one WorkerSession (the registered worker) and
 * one Actions object (everything a control can do). Views render from what the worker reports:
 * decision records for the timeline, inspect() for the lanes, explain() for the playground.
 */
import { h, lanesView, timelineView } from '../devtools/views.ts';
import { presetById, presets } from './presets/index.ts';
import { Actions } from './session/actions.ts';
import { ORIGIN_PREFIX } from './session/origin-client.ts';
import { WorkerSession } from './session/worker-session.ts';
import type { Preset, RouteDraft } from './types.ts';
import { controlsView, statusPills } from './views/controls-view.ts';
import { explainPanel } from './views/explain-panel.ts';
import { headerEditor } from './views/header-editor.ts';
import { presetList } from './views/preset-list.ts';
import { runtimePanel } from './views/runtime-panel.ts';
import { scenarioView } from './views/scenario-view.ts';
import { bindShortcuts } from './shortcuts.ts';

export async function startApp(root: HTMLElement): Promise<void> {
  const session = new WorkerSession();
  const first = presetById(location.hash.slice(1)) ?? presets[0];
  if (!first) throw new Error('no presets');
  const actions = new Actions(session, first.draft);
  let busy = false;
  let shownInEditor: RouteDraft | undefined;

  const report = (error: unknown) => {
    console.warn(error);
    notice.textContent = error instanceof Error ? error.message : String(error);
    notice.hidden = false;
  };
  const act = (work: () => Promise<unknown>) => {
    if (busy) return;
    busy = true;
    renderControls();
    work().catch(report).finally(() => {
      busy = false;
      renderControls();
    });
  };

  const editor = headerEditor((draft) => {
    shownInEditor = draft;
    actions.setDraft(draft);
  });
  const explainer = explainPanel();
  const scenario = scenarioView(
    actions,
    (playing) => {
      busy = playing;
      renderControls();
    },
    // The scenario's results are the lanes and the timeline: bring them into view.
    () => root.querySelector('[data-testid=lanes-card]')?.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' }),
  );
  const list = presetList((preset) => pick(preset));
  const controls = controlsView({
    send: () => act(() => actions.send()),
    burst: (count) => act(() => actions.burst(count)),
    advance: (seconds) => act(() => actions.advance(seconds)),
    resetClock: () => act(() => actions.resetClock()),
    purgeAll: () => act(() => actions.purgeAll()),
    invalidateTag: (tag) => act(() => actions.invalidateTag(tag)),
    deleteTag: (tag, deadline) => act(() => actions.deleteTag(tag, deadline)),
    setCountry: (country) => act(() => actions.setCountry(country)),
    setLayers: (layers) => act(() => actions.setLayers(layers)),
    setDeployment: (deployment) => act(() => actions.setDeployment(deployment)),
    clear: () => actions.clear(),
  });
  const lanes = lanesView(actions.history, actions.log, () => session.state.layers);
  const pills = h('div', { class: 'pills-slot' });
  const notice = h('p', { class: 'notice', role: 'alert', hidden: true, 'data-testid': 'notice', onclick: () => (notice.hidden = true) });

  const renderControls = () => controls.render(session.state, actions.originCount, busy);
  const pick = (preset: Preset) => {
    if (busy) return;
    actions.setDraft(preset.draft);
    scenario.show(preset);
    list.select(preset.id);
    history.replaceState(null, '', `#${preset.id}`);
  };

  actions.onChange(() => {
    if (actions.draft !== shownInEditor) {
      shownInEditor = actions.draft;
      editor.show(actions.draft);
    }
    explainer.show(actions.draft, session.state.layers);
    lanes.render();
    renderControls();
  });
  session.onChange((state) => {
    pills.replaceChildren(statusPills(state));
    explainer.show(actions.draft, state.layers);
    renderControls();
  });

  const section = (title: string, hint: string, testid: string, ...body: (HTMLElement | null)[]) =>
    h('section', { class: 'card', 'data-testid': testid, 'aria-label': title }, h('header', { class: 'card-head' }, h('h2', {}, title), h('p', { class: 'hint' }, hint)), body);

  root.replaceChildren(
    h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), h('h1', {}, 'tiercache'), h('span', { class: 'subtitle' }, 'Vercel cache playground')),
      pills,
      h('p', { class: 'keys', 'aria-label': 'Keyboard shortcuts' }, h('kbd', {}, 'S'), ' send ', h('kbd', {}, 'B'), ' burst ', h('kbd', {}, 'P'), ' play ', h('kbd', {}, '.'), ' +1 s')),
    h('div', { class: 'layout' },
      h('aside', { class: 'sidebar' }, list.element),
      h('main', { class: 'content' },
        notice,
        h('section', { class: 'card' }, scenario.element),
        section('Headers', 'Edit what the origin sends. Each layer’s reading comes from the policy engine’s explain(), the code the worker runs.', 'headers',
          h('div', { class: 'headers-grid' }, editor.element, explainer.element)),
        h('div', { class: 'sticky' }, controls.element),
        section('Layers over time', 'Each layer’s stored copy on the worker’s clock (from inspect()), and each request as a dot.', 'lanes-card', lanes.element),
        section('Requests', 'One row per request, from the worker’s decision events. Hover a result for the why; open a row for the exact headers.', 'timeline-card',
          timelineView(actions.log, () => session.state.layers, { label: (url) => url.pathname.replace(ORIGIN_PREFIX, '/') }).element),
        section('Runtime cache', 'getCache() on IndexedDB, shared by every tab: expire a tag here and watch it arrive in the second tab.', 'runtime-card', runtimePanel()),
      ),
    ),
  );
  bindShortcuts({
    send: () => controls.element.querySelector<HTMLButtonElement>('[data-testid=send]')?.click(),
    burst: () => controls.element.querySelector<HTMLButtonElement>('[data-testid=burst]')?.click(),
    play: () => scenario.element.querySelector<HTMLButtonElement>('[data-testid=play]')?.click(),
    advance: () => controls.element.querySelector<HTMLButtonElement>('[data-testid=advance-1]')?.click(),
  });
  pick(first);

  await session.connect().catch(report);
  if (!session.state.connected) return;
  session.controller.onDecision((record) => actions.log.receive(record));
  // For poking from the devtools console: `await tiercache.controller.inspect()`.
  Object.assign(window, { tiercache: { get controller() { return session.controller; }, actions } });
  await actions.refresh().catch(report);
  document.body.dataset.ready = 'true';
  setInterval(() => actions.log.settle(), 500);
  setInterval(() => {
    if (!busy && session.state.connected && !session.state.busy) actions.refresh().catch(report);
  }, 1000);
}
