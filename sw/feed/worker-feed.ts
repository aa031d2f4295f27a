import { purgeRuntimeTags } from '../../sdk/runtime-cache/index.ts';
import { ControlRefused } from '../controls.ts';
import type { WorkerControls } from '../messages.ts';
import type { HttpStore } from '../store/index.ts';
import type { StoredRecord } from '../layers/stored-record.ts';
import { feedCursorStore } from './feed-cursor.ts';
import { createFeedSync, type FeedSync } from './feed-sync.ts';

export interface WorkerFeedOptions {
  scriptURL: string;
  origin: string;
  storeName: string;
  /** The purge controls the page SDK uses (controls.ts): a response still being stored when an event
   *  arrives is purged too, without waiting for its body (HttpStore.updateTagged). */
  controls: Pick<WorkerControls, 'invalidateByTag' | 'dangerouslyDeleteByTag' | 'purgeAll'>;
  /** The store as it is (a reset lists the tags it holds). */
  store: () => Promise<HttpStore<StoredRecord>>;
  onError: (error: unknown) => void;
}

/**
 * The feed of the `invalidations` script parameter (registerCacheWorker's `invalidations` option), or
 * undefined when the page did not ask for one. A same-origin path only: the feed's catch-up carries the
 * page's cookies, and a foreign origin could otherwise purge this site's caches.
 */
export function workerFeed(options: WorkerFeedOptions): FeedSync | undefined {
  const raw = new URL(options.scriptURL).searchParams.get('invalidations');
  if (raw === null) return undefined;
  const url = new URL(raw, options.origin);
  if (url.origin !== options.origin) {
    options.onError(new Error(`invalidations=${raw}: the feed must be same-origin; ignored`));
    return undefined;
  }
  return createFeedSync({
    feedUrl: url.href,
    cursor: feedCursorStore({ indexedDB: globalThis.indexedDB, storeName: options.storeName, onError: options.onError }),
    controls: options.controls,
    store: options.store,
    purgeRuntime: () => purgeRuntimeTags(['*'], { mode: 'delete', onError: options.onError }),
    fetch: (input, init) => fetch(input, init),
    onError: options.onError,
  });
}

/** The `applyFeed` control: the worker's feed applies the messages; without one the command is refused. */
export function applyFeedControl(feed: FeedSync | undefined): WorkerControls['applyFeed'] {
  return ({ messages, cursor }) => (feed ? feed.apply(messages, cursor) : Promise.reject(new ControlRefused('the worker has no invalidations feed (registerCacheWorker option `invalidations`)')));
}
