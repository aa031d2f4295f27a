import { openHttpStore } from '../../../sw/store/index.ts';
import { storeContract, type Rec, type StoreFactory } from './store-contract.ts';
import { streamedPutContract } from './streamed-put-contract.ts';

// The persistent implementation (IndexedDB metadata + Cache Storage bodies) runs the same contract in
// real Chromium; each store gets its own database and caches.
const persistent: StoreFactory = (options) => {
  const name = `contract-${crypto.randomUUID()}`;
  return openHttpStore<Rec>({
    ...options,
    dbName: name,
    cachePrefix: name,
    onError: (error) => {
      throw error;
    },
  });
};

storeContract('IndexedDB + Cache Storage', persistent);
streamedPutContract('IndexedDB + Cache Storage', persistent);
