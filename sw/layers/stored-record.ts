/** The record each stored variant keeps in EntryMeta.record: the policy engine's stored entry. */
export type { StoredEntry as StoredRecord } from '../policy/stored-entry.ts';
