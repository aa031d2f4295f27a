import { LAYER_NAMES, type EntryMeta, type LayerName } from './types';

/** One stored variant: its metadata and a backend-specific body reference. */
export interface Slot<R, B> {
  readonly meta: EntryMeta<R>;
  readonly body: B;
}

/**
 * The in-memory mirror of every stored entry: lookups by id, primary key and tag, per-layer byte
 * totals and least-recently-used order. Every read of the hit path is answered here, so no IndexedDB
 * read happens before a response is served (performance.md), and tag purges never scan (user-needs C6).
 */
export class EntryIndex<R, B> {
  private readonly byId = new Map<string, Slot<R, B>>();
  private readonly byPrimaryKey = new Map<string, Set<string>>();
  private readonly byTag = new Map<string, Set<string>>();
  /** Per layer, ids in recency order: a Map iterates in insertion order, so re-inserting on use keeps
   *  the least recently used first, independent of clock jumps (setClockOffset). */
  private readonly recency = new Map<LayerName, Map<string, true>>(LAYER_NAMES.map((l) => [l, new Map<string, true>()]));
  private readonly bytes = new Map<LayerName, number>(LAYER_NAMES.map((l) => [l, 0]));

  get(id: string): Slot<R, B> | undefined {
    return this.byId.get(id);
  }

  /** Inserts or replaces (same id) a slot; it becomes the most recently used of its layer. */
  set(slot: Slot<R, B>): void {
    this.remove(slot.meta.id);
    const { id, layer, primaryKey, tags, size } = slot.meta;
    this.byId.set(id, slot);
    addTo(this.byPrimaryKey, primaryKey, id);
    for (const tag of tags) addTo(this.byTag, tag, id);
    this.recencyOf(layer).set(id, true);
    this.bytes.set(layer, this.bytesOf(layer) + size);
  }

  remove(id: string): Slot<R, B> | undefined {
    const slot = this.byId.get(id);
    if (!slot) return undefined;
    const { layer, primaryKey, tags, size } = slot.meta;
    this.byId.delete(id);
    removeFrom(this.byPrimaryKey, primaryKey, id);
    for (const tag of tags) removeFrom(this.byTag, tag, id);
    this.recencyOf(layer).delete(id);
    this.bytes.set(layer, this.bytesOf(layer) - size);
    return slot;
  }

  /** Marks a use: updates lastUsed and moves the entry to the most recent end of its layer. */
  touch(id: string, now: number): Slot<R, B> | undefined {
    const slot = this.byId.get(id);
    if (!slot) return undefined;
    slot.meta.lastUsed = now;
    const order = this.recencyOf(slot.meta.layer);
    order.delete(id);
    order.set(id, true);
    return slot;
  }

  variants(primaryKey: string): Slot<R, B>[] {
    return this.slotsOf(this.byPrimaryKey.get(primaryKey));
  }

  withAnyTag(tags: readonly string[]): Slot<R, B>[] {
    const ids = new Set<string>();
    for (const tag of tags) for (const id of this.byTag.get(tag) ?? []) ids.add(id);
    return this.slotsOf(ids);
  }

  all(layer?: LayerName): Slot<R, B>[] {
    const layers = layer ? [layer] : LAYER_NAMES;
    return layers.flatMap((l) => this.slotsOf(this.recencyOf(l).keys()));
  }

  bytesOf(layer: LayerName): number {
    return this.bytes.get(layer) ?? 0;
  }

  totalBytes(): number {
    return LAYER_NAMES.reduce((sum, l) => sum + this.bytesOf(l), 0);
  }

  /** Least recently used entries of one layer whose sizes add up to at least `bytes`, skipping `keepId`. */
  leastRecent(layer: LayerName, bytes: number, keepId?: string): Slot<R, B>[] {
    const victims: Slot<R, B>[] = [];
    let freed = 0;
    for (const id of this.recencyOf(layer).keys()) {
      if (freed >= bytes) break;
      const slot = this.byId.get(id);
      if (!slot || id === keepId) continue;
      victims.push(slot);
      freed += slot.meta.size;
    }
    return victims;
  }

  /** Least recently used entries across all layers (by lastUsed) adding up to at least `bytes`. */
  leastRecentOverall(bytes: number, keepId?: string): Slot<R, B>[] {
    const candidates = LAYER_NAMES.flatMap((l) => this.leastRecent(l, bytes, keepId));
    candidates.sort((a, b) => a.meta.lastUsed - b.meta.lastUsed);
    const victims: Slot<R, B>[] = [];
    let freed = 0;
    for (const slot of candidates) {
      if (freed >= bytes) break;
      victims.push(slot);
      freed += slot.meta.size;
    }
    return victims;
  }

  private recencyOf(layer: LayerName): Map<string, true> {
    let order = this.recency.get(layer);
    if (!order) this.recency.set(layer, (order = new Map<string, true>()));
    return order;
  }

  private slotsOf(ids: Iterable<string> | undefined): Slot<R, B>[] {
    const slots: Slot<R, B>[] = [];
    for (const id of ids ?? []) {
      const slot = this.byId.get(id);
      if (slot) slots.push(slot);
    }
    return slots;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}
