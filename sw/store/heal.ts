import type { PersistedEntry } from './db';
import type { LoadedEntries } from './meta-table';
import { LAYER_NAMES, type LayerName } from './types';

/** What opening the store must delete so that every body has its metadata and vice versa. */
export interface HealingPlan {
  /** Consistent entries: metadata whose body exists. */
  keep: PersistedEntry[];
  /** Keys of metadata to delete: malformed records and records whose body is missing. */
  dropMeta: string[];
  /** Bodies no kept metadata points to (the worker died between the two writes). */
  dropBodies: { layer: LayerName; url: string }[];
  /** How many records were malformed (reported as corrupt-entry). */
  corrupt: number;
}

/**
 * Pure: pairs persisted metadata with the bodies found in Cache Storage (user-needs hard case 7).
 * A put writes the body first and the metadata second, so a crash leaves an orphan body; a cleared
 * or evicted Cache Storage leaves metadata without a body. Neither may ever be served.
 */
export function planHealing(loaded: LoadedEntries, bodyUrls: Record<LayerName, readonly string[]>): HealingPlan {
  const present = new Map(LAYER_NAMES.map((layer) => [layer, new Set(bodyUrls[layer])]));
  const plan: HealingPlan = { keep: [], dropMeta: [], dropBodies: [], corrupt: 0 };
  const referenced = new Set<string>();
  loaded.values.forEach((value, i) => {
    const key = loaded.keys[i] ?? '';
    if (!isPersistedEntry(value) || value.id !== key) {
      plan.corrupt++;
      plan.dropMeta.push(key);
    } else if (present.get(value.layer)?.has(value.bodyUrl) && !referenced.has(value.bodyUrl)) {
      referenced.add(value.bodyUrl);
      plan.keep.push(value);
    } else {
      plan.dropMeta.push(key);
    }
  });
  for (const layer of LAYER_NAMES) {
    for (const url of bodyUrls[layer]) if (!referenced.has(url)) plan.dropBodies.push({ layer, url });
  }
  return plan;
}

export function isPersistedEntry(value: unknown): value is PersistedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<keyof PersistedEntry, unknown>;
  return (
    typeof v.id === 'string' &&
    LAYER_NAMES.includes(v.layer as LayerName) &&
    typeof v.primaryKey === 'string' &&
    typeof v.url === 'string' &&
    Array.isArray(v.tags) &&
    v.tags.every((tag) => typeof tag === 'string') &&
    typeof v.deployment === 'string' &&
    isCount(v.size) &&
    typeof v.storedAt === 'number' &&
    typeof v.lastUsed === 'number' &&
    typeof v.bodyUrl === 'string' &&
    'record' in v
  );
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
