/**
 * The toolbar: send one request or a burst, toggle layers, switch deployment (demo-only), plus the
 * devtools' cache actions (time travel, purge, invalidate or delete by tag, visitor country). Each
 * control calls one action of the app; the toolbar holds no state of its own beyond what its inputs show.
 */
import type { LayerName } from '../../sdk/index.ts';
import { cacheActions, h, layerTitles, replace, type CacheActionHandlers } from '../../devtools/views.ts';
import type { SessionState } from '../session/worker-session.ts';

export interface ControlActions extends CacheActionHandlers {
  send(): void;
  burst(count: number): void;
  setLayers(layers: LayerName[]): void;
  setDeployment(deployment: string): void;
  clear(): void;
}

export function controlsView(actions: ControlActions): { element: HTMLElement; render: (state: SessionState, originCount: number, busy: boolean) => void } {
  const burstCount = h('input', { type: 'number', min: 2, max: 50, value: '5', class: 'small', 'aria-label': 'Requests in a burst', 'data-testid': 'burst-count' });
  const cache = cacheActions(actions);
  const deployment = h('input', { type: 'text', class: 'small wide', 'aria-label': 'Deployment id', spellcheck: false, 'data-testid': 'deployment',
    onchange: () => actions.setDeployment(deployment.value.trim() || 'demo-1') });
  const layerBoxes = (['edge', 'cdn', 'browser'] as LayerName[]).map((layer) =>
    h('input', { type: 'checkbox', value: layer, 'data-testid': `layer-${layer}`, onchange: () => {
      const chosen = layerBoxes.filter((box) => box.checked).map((box) => box.value as LayerName);
      if (chosen.length === 0) layerBoxes.forEach((box) => (box.checked = box.value === layer));
      actions.setLayers(chosen.length ? chosen : [layer]);
    } }));
  const origin = h('output', { class: 'origin-count', 'data-testid': 'origin-count' });
  const buttons: HTMLButtonElement[] = [];
  const button = (label: string, onclick: () => void, extra: Record<string, string> = {}) => {
    const b = h('button', { type: 'button', onclick, ...extra }, label);
    buttons.push(b);
    return b;
  };

  const element = h(
    'div',
    { class: 'controls', role: 'toolbar', 'aria-label': 'Request controls' },
    h('div', { class: 'group' },
      button('Send', () => actions.send(), { class: 'primary', 'data-testid': 'send', title: 'Send one request (S)' }),
      button('Burst', () => actions.burst(Number(burstCount.value) || 5), { 'data-testid': 'burst', title: 'Send several at once (B)' }),
      burstCount, h('span', { class: 'sep' }), h('span', { class: 'label' }, 'Origin reached'), origin),
    cache.clock,
    cache.purge,
    h('div', { class: 'group' },
      cache.country,
      h('fieldset', { class: 'layers' }, h('legend', {}, 'Layers'),
        layerBoxes.map((box) => h('label', { class: 'inline' }, box, layerTitles[box.value as LayerName]))),
      h('label', { class: 'inline' }, 'Deployment', deployment),
      button('Clear log', () => actions.clear(), { 'data-testid': 'clear', title: 'Clear the timeline and lanes' })),
  );

  const render = (state: SessionState, originCount: number, busy: boolean) => {
    origin.value = String(originCount);
    if (document.activeElement !== deployment) deployment.value = state.deployment;
    for (const box of layerBoxes) box.checked = state.layers.includes(box.value as LayerName);
    const disabled = busy || state.busy || !state.connected;
    cache.render({ clockOffsetMs: state.clockOffsetMs, country: state.country, disabled });
    for (const b of buttons) b.disabled = disabled && b.dataset.testid !== 'clear';
    for (const input of [deployment, ...layerBoxes]) input.disabled = disabled;
  };
  return { element, render };
}

export function statusPills(state: SessionState): HTMLElement {
  const pill = (label: string, value: string, testid: string) => h('span', { class: 'pill', 'data-testid': testid }, h('span', { class: 'muted' }, label), ' ', value);
  const root = h('div', { class: 'pills' });
  replace(root,
    h('span', { class: `pill status ${state.connected ? 'ok' : state.error ? 'bad' : 'wait'}`, 'data-testid': 'worker-status' },
      state.busy ? 'registering worker…' : state.connected ? 'worker active' : state.error ? `worker error: ${state.error}` : 'starting…'),
    pill('layers', state.layers.join(' → ') || 'none', 'pill-layers'),
    pill('deployment', state.deployment, 'pill-deployment'),
    pill('visitor', state.country, 'pill-country'));
  return root;
}
