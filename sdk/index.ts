// The SDK's only public door (architecture.md "SDK public surface").
export { TierCacheError, isTierCacheError, type TierCacheErrorCode } from './errors.ts';
