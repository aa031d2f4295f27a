import type { Preset, PresetGroup } from '../types.ts';
import { criteriaPresets } from './criteria-presets.ts';
import { morePresets } from './more-presets.ts';
import { purgePresets } from './purge-presets.ts';
import { seedPresets } from './seed-presets.ts';

export const presets: Preset[] = [...seedPresets, ...purgePresets, ...criteriaPresets, ...morePresets];

export const groupTitles: Record<PresetGroup, string> = {
  seed: 'Seed examples (Vercel Cache page)',
  criteria: 'Not cached: cacheability criteria',
  more: 'More from the spec',
};

export function presetById(id: string): Preset | undefined {
  return presets.find((preset) => preset.id === id);
}
