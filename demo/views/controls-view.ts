/**
 * The toolbar: send one request or a burst, travel in time, purge, invalidate or delete by tag,
 * switch the visitor's country, toggle layers, switch deployment. Each control calls one action of
 * the app; the toolbar holds no state of its own beyond what its inputs show.
 */
import type { LayerName } from '../../sdk/index.ts';
import { formatSeconds, h, layerTitles, replace } from '../../devtools/views.ts';
import type { SessionState } from '../session/worker-session.ts';

export interface ControlActions {
  send(): void;
  burst(count: number): void;
  advance(seconds: number): void;
  resetClock(): void;
  purgeAll(): void;
  invalidateTag(tag: string): void;
  deleteTag(tag: string, deadlineSeconds: number): void;
  setCountry(country: string): void;
  setLayers(layers: LayerName[]): void;
  setDeployment(deployment: string): void;
  clear(): void;
}

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CH', 'JP', 'BR', 'IN', 'AU'];
const JUMPS = [1, 10, 60, 3600, 86_400];

export function controlsView(actions: ControlActions): { element: HTMLElement; render: (state: SessionState, originCount: number, busy: boolean) => void } {
  const burstCount = h('input', { type: 'number', min: 2, max: 50, value: '5', class: 'small', 'aria-label': 'Requests in a burst', 'data-testid': 'burst-count' });
  const tagInput = h('input', { type: 'text', placeholder: 'tag', class: 'small wide', 'aria-label': 'Tag to purge', spellcheck: false, 'data-testid': 'tag-input' });
  const deadline = h('input', { type: 'number', min: 0, value: '0', class: 'small', 'aria-label': 'Revalidation deadline in seconds', 'data-testid': 'delete-deadline' });
  const country = h('select', { 'aria-label': 'Visitor country', 'data-testid': 'country', onchange: () => actions.setCountry(country.value) },
    COUNTRIES.map((c) => h('option', { value: c }, c)));
  const deployment = h('input', { type: 'text', class: 'small wide', 'aria-label': 'Deployment id', spellcheck: false, 'data-testid': 'deployment',
    onchange: () => actions.setDeployment(deployment.value.trim() || 'demo-1') });
  const layerBoxes = (['edge', 'cdn', 'browser'] as LayerName[]).map((layer) =>
    h('input', { type: 'checkbox', value: layer, 'data-testid': `layer-${layer}`, onchange: () => {
      const chosen = layerBoxes.filter((box) => box.checked).map((box) => box.value as LayerName);
      if (chosen.length === 0) layerBoxes.forEach((box) => (box.checked = box.value === layer));
      actions.setLayers(chosen.length ? chosen : [layer]);
    } }));
  const clock = h('output', { class: 'clock', 'data-testid': 'clock' });
  const origin = h('output', { class: 'origin-count', 'data-testid': 'origin-count' });
  const buttons: HTMLButtonElement[] = [];
  const button = (label: string, onclick: () => void, extra: Record<string, string> = {}) => {
    const b = h('button', { type: 'button', onclick, ...extra }, label);
    buttons.push(b);
    return b;
  };
  const tag = () => tagInput.value.trim();

  const element = h(
    'div',
    { class: 'controls', role: 'toolbar', 'aria-label': 'Request controls' },
    h('div', { class: 'group' },
      button('Send', () => actions.send(), { class: 'primary', 'data-testid': 'send', title: 'Send one request (S)' }),
      button('Burst', () => actions.burst(Number(burstCount.value) || 5), { 'data-testid': 'burst', title: 'Send several at once (B)' }),
      burstCount, h('span', { class: 'sep' }), h('span', { class: 'label' }, 'Origin reached'), origin),
    h('div', { class: 'group' }, h('span', { class: 'label' }, 'Clock'), clock,
      JUMPS.map((s) => button(`+${formatSeconds(s).replace(' ', '')}`, () => actions.advance(s), { 'data-testid': `advance-${s}`, title: `Advance the worker clock by ${formatSeconds(s)}` })),
      button('Reset', () => actions.resetClock(), { 'data-testid': 'reset-clock', title: 'Back to real time' })),
    h('div', { class: 'group' },
      button('Purge all', () => actions.purgeAll(), { 'data-testid': 'purge-all', class: 'danger' }),
      tagInput,
      button('Invalidate tag', () => tag() && actions.invalidateTag(tag()), { 'data-testid': 'invalidate-tag' }),
      button('Delete tag', () => tag() && actions.deleteTag(tag(), Number(deadline.value) || 0), { 'data-testid': 'delete-tag' }),
      h('label', { class: 'inline' }, 'deadline', deadline, 's')),
    h('div', { class: 'group' },
      h('label', { class: 'inline' }, 'Country', country),
      h('fieldset', { class: 'layers' }, h('legend', {}, 'Layers'),
        layerBoxes.map((box) => h('label', { class: 'inline' }, box, layerTitles[box.value as LayerName]))),
      h('label', { class: 'inline' }, 'Deployment', deployment),
      button('Clear log', () => actions.clear(), { 'data-testid': 'clear', title: 'Clear the timeline and lanes' })),
  );

  const render = (state: SessionState, originCount: number, busy: boolean) => {
    const offset = Math.round(state.clockOffsetMs / 1000);
    clock.value = offset === 0 ? 'real time' : `${offset > 0 ? '+' : '−'}${formatSeconds(Math.abs(offset))}`;
    clock.title = 'The worker’s clock compared with real time (scenarios keep their own clock, so it may lag behind).';
    origin.value = String(originCount);
    country.value = state.country;
    if (document.activeElement !== deployment) deployment.value = state.deployment;
    for (const box of layerBoxes) box.checked = state.layers.includes(box.value as LayerName);
    const disabled = busy || state.busy || !state.connected;
    for (const b of buttons) b.disabled = disabled && b.dataset.testid !== 'clear';
    for (const input of [country, deployment, ...layerBoxes]) input.disabled = disabled;
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
