import type { NotStored } from '../../sdk/protocol.ts';
import { variantKey, type LayerName, type RequestInfo } from '../policy/index.ts';
import type { HttpStore, NewEntry } from '../store/index.ts';
import { whyNotStored } from './not-stored.ts';
import { splitBody } from './split-body.ts';
import type { StoredRecord } from './stored-record.ts';

export interface EntryFor {
  layer: LayerName;
  key: string;
  request: RequestInfo;
  deployment: string;
  record: StoredRecord;
  storedAt: number;
}

/** The store entry for a record this layer is about to store (one per Vary variant). */
export function entryFor({ layer, key, request, deployment, record, storedAt }: EntryFor): NewEntry<StoredRecord> {
  return { id: variantKey(key, record.varyValues), layer, primaryKey: key, url: request.url, tags: [...record.tags], deployment, storedAt, record };
}

/**
 * What each branch may hold of a body it has not taken yet before the other waits for it (splitBody):
 * the worker's memory while a large body passes, per layer. Same-run bench (three layers, 150 MB held
 * / 120 MB total vs the tee before): 512 KiB held 8.0 vs 16.9 MiB but took 2.10x vs 1.33x the no-worker
 * time (every hiccup of one of the Cache Storage writes held the page up); 2 MiB held 10.0 vs 10.5 MiB
 * at 1.57x vs 1.25x; 8 MiB held as much as the tee.
 */
const MAX_STORE_BACKLOG = 2 * 1024 * 1024;

export interface StoringAnswer {
  /** The body to hand down (null: none). */
  forward: ReadableStream<Uint8Array> | null;
  /** Settles once the entry is stored; rejects (the failure to report) when nothing was. */
  write: Promise<void>;
  /** Why nothing was stored once `write` has failed (the decision record's amendment), else undefined. */
  notStored: Promise<NotStored | undefined>;
}

/**
 * Store while forwarding: the body is split (splitBody: each chunk passed to both branches as it comes,
 * at the slower branch's pace); one branch is returned to hand down as it arrives, the other is written into
 * the store, which commits the entry only once the whole body is in (HttpStore.put with a stream). A
 * body that errors (cut off by the origin) or grows past `maxBytes` or the budget is delivered all the
 * same, and `write` rejects with nothing stored (`notStored` says why). The page cancelling its branch
 * does not stop the store's (the source is cancelled only when both branches are): the entry is completed.
 */
export function storeWhileForwarding(store: HttpStore<StoredRecord>, entry: NewEntry<StoredRecord>, body: ReadableStream<Uint8Array> | null, maxBytes: number | undefined): StoringAnswer {
  if (!body) {
    const write = store.put(entry, new ArrayBuffer(0));
    return { forward: null, write, notStored: write.then(() => undefined, (error: unknown) => whyNotStored(error, maxBytes, false)) };
  }
  const { forward, store: toStore, sourceFailed } = splitBody(body, MAX_STORE_BACKLOG);
  const write = store.put(entry, toStore, { maxBytes });
  // A store that refused the write without reading its branch would hold the page's branch up.
  write.catch(() => (toStore.locked ? undefined : toStore.cancel().catch(() => undefined)));
  return { forward, write, notStored: write.then(() => undefined, (error: unknown) => whyNotStored(error, maxBytes, sourceFailed())) };
}
