import { openHttpStore } from '../../../sw/store/index.ts';
import { storeContract, type Rec } from './store-contract.ts';

// The persistent implementation (IndexedDB metadata + Cache Storage bodies) runs the same contract in
// real Chromium; each store gets its own database and caches.
storeContract('IndexedDB + Cache Storage', (options) => {
  const name = `contract-${crypto.randomUUID()}`;
  return openHttpStore<Rec>({
    ...options,
    dbName: name,
    cachePrefix: name,
    onError: (error) => {
      throw error;
    },
  });
});
