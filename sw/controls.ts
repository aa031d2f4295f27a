import { listRuntimeEntries, purgeRuntimeTags } from '../sdk/runtime-cache/index.ts';
import type { InspectEntry, PurgeResult, WorkerConfig } from '../sdk/protocol.ts';
import { applyPurge, currentAge, type TagPurge } from './policy/index.ts';
import type { EntryMeta, HttpStore, StorageFaults } from './store/index.ts';
import type { WorkerControls } from './messages.ts';
import type { StoredRecord } from './layers/stored-record.ts';
import type { RuntimeState } from './worker-runtime.ts';

export interface ControlsOptions {
  config: WorkerConfig;
  state: RuntimeState;
  now: () => number;
  /**
   * The store, once open. Purges do not wait for the writes in progress: the store orders them after
   * the mutations begun before, and a body still streaming is committed with the purge's marks (or
   * not at all after purgeAll), so a purge resolves promptly (R77, R82) and still covers it.
   */
  store: () => Promise<HttpStore<StoredRecord>>;
  /** Resolves once the writes in progress have settled, or after a bounded wait (inspect). */
  writesSettled: () => Promise<void>;
  scriptURL: string;
  onError: (error: unknown) => void;
  /** Saves the clock offset and visitor so a restarted worker keeps them. */
  persist: () => Promise<void>;
  /** Fault seams below the store (installed only with testHooks=1). */
  backendFaults: StorageFaults | undefined;
}

/** A control the page may not use with this configuration (reported as `invalid-message`). */
export class ControlRefused extends Error {
  readonly code = 'invalid-message';
}

/**
 * What the page can ask of the worker (sdk/worker controller). Purges reach every layer's entries
 * carrying the tags, and the runtime cache's (R77, R120). Storage failures are reported through
 * onError and the purge resolves with what it managed (SDK calls never break on storage failures).
 */
export function createControls(options: ControlsOptions): Omit<WorkerControls, 'applyFeed'> {
  const { state, now, onError } = options;
  const runtimeErrors = (failure: unknown) => onError(failure);

  const markTagged = async (purge: TagPurge): Promise<PurgeResult> => {
    const store = await options.store();
    // R83: `*` targets every entry (the dashboard's whole-project purge). R79/R62: even without a
    // deadline the record is kept as a tombstone (deleteAt), never served: the next request waits for
    // the origin and is reported REVALIDATED (tag_deleted), not a cold MISS. A response still being
    // stored is marked too (R78/R79: it was received before the purge, so it is one of the entries
    // the purge covers), without waiting for its body.
    const entries = await store
      .updateTagged(purge.tags, (meta) => {
        const record = applyPurge(meta.record, purge);
        return record ? { ...meta, record } : undefined;
      })
      .catch((error: unknown) => {
        onError(error);
        return 0;
      });
    return { entries };
  };

  return {
    ping: () => Promise.resolve({ scriptURL: options.scriptURL }),
    purgeAll: async () => {
      const store = await options.store();
      // Counts the committed entries; bodies still streaming are superseded by clear() (stored never).
      const entries = (await store.list()).length;
      // The mirror forgets every entry first (never served again); a failed persisted removal is retried
      // by the store and reported here, never thrown at the page (storage failures never break SDK calls).
      await store.clear().catch(onError);
      return { entries };
    },
    invalidateByTag: async ({ tags }) => {
      const [result] = await Promise.all([
        markTagged({ kind: 'invalidate', tags: tagSet(tags), at: now() }), // R78
        purgeRuntimeTags(tags, { mode: 'invalidate', onError: runtimeErrors }), // R77, R120
      ]);
      return result;
    },
    dangerouslyDeleteByTag: async ({ tags, revalidationDeadlineSeconds }) => {
      const [result] = await Promise.all([
        markTagged({ kind: 'delete', tags: tagSet(tags), at: now(), revalidationDeadlineSeconds }), // R79
        purgeRuntimeTags(tags, { mode: 'delete', onError: runtimeErrors }),
      ]);
      return result;
    },
    inspect: async () => {
      // Lists committed entries: it waits for the writes in progress, but only so long (a body still
      // downloading past that appears once it is written).
      const store = await options.store();
      await options.writesSettled();
      const at = now();
      // The runtime cache of the default project/environment: the one this worker's tag purges reach.
      const [stored, runtime] = await Promise.all([store.list(), listRuntimeEntries({ onError: runtimeErrors })]);
      return {
        config: options.config,
        clockOffsetMs: state.clockOffsetMs,
        now: at,
        visitor: state.visitor,
        entries: stored.map((meta) => inspectEntry(meta, at)),
        runtime,
      };
    },
    setClockOffset: async ({ ms }) => {
      await options.store(); // the persisted state is loaded by then and cannot overwrite this
      state.clockOffsetMs = ms;
      await options.persist();
      return { clockOffsetMs: ms };
    },
    setVisitorLocation: async ({ location }) => {
      await options.store();
      state.visitor = location;
      await options.persist();
      return { location };
    },
    injectStorageFault: ({ failNext, operations }) => {
      if (!options.config.testHooks) return Promise.reject(new ControlRefused('fault injection needs the testHooks=1 script parameter'));
      state.faults.failNext = failNext;
      state.faults.operations = operations;
      return Promise.resolve({ failNext });
    },
    injectBackendFault: ({ rules }) => {
      const faults = options.backendFaults;
      if (!faults) return Promise.reject(new ControlRefused('fault injection needs the testHooks=1 script parameter'));
      faults.arm(rules);
      return Promise.resolve({ injected: faults.injected() });
    },
  };
}

function tagSet(tags: string[]): TagPurge['tags'] {
  return tags.includes('*') ? '*' : tags;
}

function inspectEntry(meta: EntryMeta<StoredRecord>, now: number): InspectEntry {
  const record = meta.record;
  const variant: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.varyValues)) variant[name] = value ?? '';
  const fresh = now < record.freshUntil && record.invalidatedAt === null;
  return {
    layer: meta.layer,
    key: meta.primaryKey,
    variant,
    url: meta.url,
    status: fresh ? 'fresh' : 'stale',
    age: currentAge({ initialAge: record.initialAge, responseTime: record.responseTime, now }),
    ttl: record.lifetime,
    staleWhileRevalidate: Math.max(0, (record.staleWhileRevalidateUntil - record.freshUntil) / 1000),
    staleIfError: Math.max(0, (record.staleIfErrorUntil - record.freshUntil) / 1000),
    tags: [...meta.tags],
    size: meta.size,
    deployment: meta.deployment,
    invalidated: record.invalidatedAt !== null,
    deleteAt: record.deleteAt ?? undefined,
  };
}
