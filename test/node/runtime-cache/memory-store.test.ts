import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { runtimeCacheContract } from './contract.ts';

runtimeCacheContract('memory', (options) => getCache({ storage: 'memory', ...options }));
