/**
 * The small interface every runtime-cache backend implements; one contract test suite checks them all.
 * Stores see JSON text and normalised tags; keys, limits and JSON semantics are handled before them.
 */
import type { OpContext } from './failure.ts';
import type { Slot } from './key-transform.ts';

export interface StoredEntry extends Slot {
  json: string;
  tags: string[];
  /** Epoch ms after which the entry is gone (R101: expired when now > exp); absent = no expiry (R102). */
  exp?: number;
  name?: string;
}

/** R120/A22: `expire` = later reads miss (expireTag, invalidateByTag); `delete` = removed now as well. */
export type TagMode = 'expire' | 'delete';

export interface RuntimeStore {
  /** The stored JSON, or null for a miss, an expired entry or any failure. Never rejects. */
  get(slot: Slot, ctx: OpContext): Promise<string | null>;
  /** Replaces the whole entry (R88). Never rejects. */
  set(entry: StoredEntry, ctx: OpContext): Promise<void>;
  delete(slot: Slot, ctx: OpContext): Promise<void>;
  /** Every entry carrying any of `tags` (exact match, R105/R108), in every namespace (R91). */
  expireTags(tags: string[], mode: TagMode, ctx: OpContext): Promise<void>;
  /** Removes every entry of this project/environment (a `*` purge, R83). */
  clear(ctx: OpContext): Promise<void>;
}
