import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { runtimeCacheContract } from '../../node/runtime-cache/contract.ts';

// Real IndexedDB in Chromium. A generous timeout: this 2-core machine is shared, and R110's 500 ms
// timeout is exercised on its own in faults.test.ts.
runtimeCacheContract('indexeddb', (options) => getCache({ timeoutMs: 5000, ...options }));
