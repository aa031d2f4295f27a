import { openDB, type IDBPDatabase } from 'idb';
import { isFeedId } from '../../sdk/feed-event.ts';

/**
 * The last applied invalidation-feed id, in its own small IndexedDB database (this module owns its
 * schema), so a worker the browser stopped, or a browser reopened days later, resumes where it was.
 * Storage failures degrade to memory and are reported; they never break a fetch.
 */
export interface FeedCursorStore {
  load(): Promise<string | null>;
  save(id: string): Promise<void>;
}

const VERSION = 1;
const STORE = 'cursor';
const KEY = 'last-applied';

export function feedCursorStore(options: { indexedDB: IDBFactory | undefined; storeName: string; onError: (error: unknown) => void }): FeedCursorStore {
  let db: Promise<IDBPDatabase> | undefined;
  const open = () =>
    (db ??= openDB(`tiercache-feed-${options.storeName}`, VERSION, {
      upgrade: (database) => void database.createObjectStore(STORE),
    }));
  return {
    async load() {
      if (!options.indexedDB) return null;
      try {
        const value: unknown = await (await open()).get(STORE, KEY);
        return isFeedId(value) ? value : null;
      } catch (error) {
        options.onError(error);
        return null;
      }
    },
    async save(id) {
      if (!options.indexedDB) return;
      try {
        await (await open()).put(STORE, id, KEY);
      } catch (error) {
        options.onError(error);
      }
    },
  };
}
