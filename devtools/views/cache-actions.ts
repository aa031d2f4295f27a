/**
 * The controls every caching session needs, shared by the devtools panel and the demo's toolbar:
 * time travel (+1 s … +24 h, reset; the worker's clock through setClockOffset), purge all, invalidate
 * or delete by tag (with a revalidation deadline, R79) and the simulated visitor's country. Each
 * control calls one handler; the view holds no state beyond what its inputs show.
 */
import { formatSeconds, h } from '../dom.ts';

export interface CacheActionHandlers {
  advance(seconds: number): void;
  resetClock(): void;
  purgeAll(): void;
  invalidateTag(tag: string): void;
  deleteTag(tag: string, deadlineSeconds: number): void;
  setCountry(country: string): void;
}

export interface CacheActionsState {
  clockOffsetMs: number;
  country: string;
  /** While an action runs (or no worker is connected). */
  disabled: boolean;
}

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CH', 'JP', 'BR', 'IN', 'AU'];
const JUMPS = [1, 10, 60, 3600, 86_400];

export function cacheActions(handlers: CacheActionHandlers): { clock: HTMLElement; purge: HTMLElement; country: HTMLElement; render: (state: CacheActionsState) => void } {
  const tagInput = h('input', { type: 'text', placeholder: 'tag', class: 'small wide', 'aria-label': 'Tag to purge', spellcheck: false, 'data-testid': 'tag-input' });
  const deadline = h('input', { type: 'number', min: 0, value: '0', class: 'small', 'aria-label': 'Revalidation deadline in seconds', 'data-testid': 'delete-deadline' });
  const country = h('select', { 'aria-label': 'Visitor country', 'data-testid': 'country', onchange: () => handlers.setCountry(country.value) },
    COUNTRIES.map((c) => h('option', { value: c }, c)));
  const clock = h('output', { class: 'clock', 'data-testid': 'clock', title: 'The worker’s clock compared with real time.' });
  const buttons: HTMLButtonElement[] = [];
  const button = (label: string, onclick: () => void, extra: Record<string, string> = {}) => {
    const b = h('button', { type: 'button', onclick, ...extra }, label);
    buttons.push(b);
    return b;
  };
  const tag = () => tagInput.value.trim();

  const render = (state: CacheActionsState) => {
    const offset = Math.round(state.clockOffsetMs / 1000);
    clock.value = offset === 0 ? 'real time' : `${offset > 0 ? '+' : '−'}${formatSeconds(Math.abs(offset))}`;
    if (!COUNTRIES.includes(state.country)) country.append(h('option', { value: state.country }, state.country));
    country.value = state.country;
    for (const control of [...buttons, country]) control.disabled = state.disabled;
  };
  return {
    clock: h('div', { class: 'group' }, h('span', { class: 'label' }, 'Clock'), clock,
      JUMPS.map((s) => button(`+${formatSeconds(s).replace(' ', '')}`, () => handlers.advance(s), { 'data-testid': `advance-${s}`, title: `Advance the worker clock by ${formatSeconds(s)}` })),
      button('Reset', () => handlers.resetClock(), { 'data-testid': 'reset-clock', title: 'Back to real time' })),
    purge: h('div', { class: 'group' },
      button('Purge all', () => handlers.purgeAll(), { 'data-testid': 'purge-all', class: 'danger' }),
      tagInput,
      button('Invalidate tag', () => tag() && handlers.invalidateTag(tag()), { 'data-testid': 'invalidate-tag' }),
      button('Delete tag', () => tag() && handlers.deleteTag(tag(), Number(deadline.value) || 0), { 'data-testid': 'delete-tag' }),
      h('label', { class: 'inline' }, 'deadline', deadline, 's')),
    country: h('label', { class: 'inline' }, 'Country', country),
    render,
  };
}
