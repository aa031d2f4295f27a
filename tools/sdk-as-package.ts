import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SDK_DOOR = fileURLToPath(new URL('../sdk/index.ts', import.meta.url));

/**
 * For the package's side entries (devtools, the Next.js client component): they import the SDK through
 * its door (sdk/index.ts), which in the package is the user's own `tiercache` import. Marking it
 * external shares the app's one SDK copy (one TierCacheError class) and bundles nothing of it twice.
 */
export function sdkAsPackage(): Plugin {
  return {
    name: 'tiercache:sdk-as-package',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === SDK_DOOR ? { id: 'tiercache', external: true } : null;
    },
  };
}
