// The door of sw/store: the HTTP entry store contract (/work/team/STORE-CONTRACT.md) and its implementations.
export type { BodySource, EntryMeta, HttpStore, LayerName, NewEntry, PutOptions, StoredBody, StoredResponse, StoreOptions } from './types';
export { LAYER_NAMES } from './types';
export { createMemoryStore } from './memory-store';
export { openHttpStore, openHttpStoreEarly } from './http-store';
export { StoreError, isStoreError, isQuotaExceeded, type StoreErrorCode } from './store-error';
export { createStorageFaults, checkFaultRules, parseFaultQuery, type FaultRule, type StorageFaults } from './storage-faults';
