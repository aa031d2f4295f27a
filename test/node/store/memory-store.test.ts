import { createMemoryStore } from '../../../sw/store/index.ts';
import { storeContract, type Rec } from '../../browser/store/store-contract.ts';
import { streamedPutContract } from '../../browser/store/streamed-put-contract.ts';

// The reference implementation runs the full contract in node: it touches no browser API.
storeContract('memory', (options) => Promise.resolve(createMemoryStore<Rec>(options)));
streamedPutContract('memory', (options) => Promise.resolve(createMemoryStore<Rec>(options)));
