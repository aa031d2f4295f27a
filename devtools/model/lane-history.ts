/**
 * What each layer held over time, rebuilt from the worker's inspect() snapshots. inspect() only lists
 * the entries alive now; this keeps the earlier ones (ended when replaced by a newer copy or removed
 * by a purge) so the lanes can show a layer's whole history on the time axis.
 */
import type { InspectEntry, InspectResult, LayerName } from '../../sdk/index.ts';

export interface LaneEntry {
  id: string;
  layer: LayerName;
  key: string;
  variant: string;
  /** Worker clock, ms. */
  storedAt: number;
  freshUntil: number;
  staleWhileRevalidateUntil: number;
  staleIfErrorUntil: number;
  tags: string[];
  invalidated: boolean;
  /** First snapshot that showed the tag invalidation mark (R78). */
  invalidatedAt: number | undefined;
  deleteAt: number | undefined;
  endedAt: number | undefined;
  endReason: 'replaced' | 'removed' | undefined;
  /** The latest snapshot's view (fresh / stale). */
  status: InspectEntry['status'];
}

/** Two snapshots of one entry can disagree by the rounding of `age`; within this, it is the same entry. */
const SAME_ENTRY_MS = 1500;

export class LaneHistory {
  entries: LaneEntry[] = [];
  now = 0;
  #nextId = 1;

  /** Folds one inspect() result in, keeping only entries whose URL passes `belongs`. */
  update(result: InspectResult, belongs: (url: string) => boolean): void {
    this.now = result.now;
    const seen = new Set<LaneEntry>();
    for (const entry of result.entries.filter((e) => belongs(e.url))) seen.add(this.#fold(entry, result.now));
    for (const entry of this.entries) {
      if (entry.endedAt === undefined && !seen.has(entry)) {
        entry.endedAt = result.now;
        entry.endReason = 'removed';
      }
    }
  }

  #fold(entry: InspectEntry, now: number): LaneEntry {
    const variant = Object.entries(entry.variant).map(([name, value]) => `${name}=${value}`).join(', ');
    const storedAt = now - entry.age * 1000;
    const live = this.entries.filter((e) => e.endedAt === undefined && e.layer === entry.layer && e.key === entry.key && e.variant === variant);
    const same = live.find((e) => Math.abs(e.storedAt - storedAt) < SAME_ENTRY_MS);
    const lane = same ?? this.#add(entry, variant, storedAt);
    for (const older of live) {
      if (older === lane) continue;
      older.endedAt = storedAt;
      older.endReason = 'replaced';
    }
    lane.freshUntil = lane.storedAt + entry.ttl * 1000;
    lane.staleWhileRevalidateUntil = lane.freshUntil + entry.staleWhileRevalidate * 1000;
    lane.staleIfErrorUntil = lane.freshUntil + entry.staleIfError * 1000;
    if (entry.invalidated && !lane.invalidated) lane.invalidatedAt = now;
    lane.invalidated = entry.invalidated;
    lane.deleteAt = entry.deleteAt;
    lane.tags = entry.tags;
    lane.status = entry.status;
    return lane;
  }

  #add(entry: InspectEntry, variant: string, storedAt: number): LaneEntry {
    const lane: LaneEntry = {
      id: `e${this.#nextId++}`,
      layer: entry.layer,
      key: entry.key,
      variant,
      storedAt,
      freshUntil: storedAt,
      staleWhileRevalidateUntil: storedAt,
      staleIfErrorUntil: storedAt,
      tags: [],
      invalidated: false,
      invalidatedAt: undefined,
      deleteAt: undefined,
      endedAt: undefined,
      endReason: undefined,
      status: entry.status,
    };
    this.entries.push(lane);
    return lane;
  }

  clear(): void {
    this.entries = [];
  }
}

/** A human summary of an entry's state at `now`, e.g. "fresh · 42 s left". */
export function entryState(entry: LaneEntry, now: number): { state: 'fresh' | 'swr' | 'expired' | 'gone' | 'invalidated'; left: number } {
  if (entry.endedAt !== undefined && entry.endedAt <= now) return { state: 'gone', left: 0 };
  if (entry.invalidated) return { state: 'invalidated', left: 0 };
  if (now < entry.freshUntil) return { state: 'fresh', left: (entry.freshUntil - now) / 1000 };
  if (now < entry.staleWhileRevalidateUntil) return { state: 'swr', left: (entry.staleWhileRevalidateUntil - now) / 1000 };
  return { state: 'expired', left: 0 };
}
