/** The preset picker: grouped buttons, one per preset; the chosen one is marked pressed. */
import { h } from '../../devtools/views.ts';
import { groupTitles, presets } from '../presets/index.ts';
import type { Preset, PresetGroup } from '../types.ts';

export function presetList(onPick: (preset: Preset) => void): { element: HTMLElement; select: (id: string | undefined) => void } {
  const buttons = new Map<string, HTMLButtonElement>();
  const groups = (Object.keys(groupTitles) as PresetGroup[]).map((group) =>
    h('section', { class: 'preset-group' },
      h('h3', {}, groupTitles[group]),
      h('ul', {}, presets.filter((p) => p.group === group).map((preset) => {
        const button = h('button', { type: 'button', class: 'preset', 'data-testid': `preset-${preset.id}`, 'aria-pressed': 'false', title: preset.summary, onclick: () => onPick(preset) },
          h('span', { class: 'preset-title' }, preset.title));
        buttons.set(preset.id, button);
        return h('li', {}, button);
      }))));
  const select = (id: string | undefined) => {
    for (const [presetId, button] of buttons) button.setAttribute('aria-pressed', String(presetId === id));
  };
  return { element: h('nav', { class: 'presets', 'aria-label': 'Presets' }, groups), select };
}
