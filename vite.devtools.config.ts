import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const SDK_DOOR = fileURLToPath(new URL('./sdk/index.ts', import.meta.url));

/**
 * The devtools import the SDK through its door (sdk/index.ts); in the package that door is the user's
 * own `tiercache` import, so the devtools share the app's SDK copy (one TierCacheError class) and
 * nothing of the SDK is bundled twice.
 */
function sdkAsPackage(): Plugin {
  return {
    name: 'tiercache:sdk-as-package',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === SDK_DOOR ? { id: 'tiercache', external: true } : null;
    },
  };
}

/**
 * `tiercache/devtools`: a separate build (the SDK's dist/sdk.js stays as it is). dist/devtools.js is
 * the small entry (mountDevtools); the panel, its views, its CSS and the policy's explain() are the
 * chunk it imports on the first mount (dist/devtools-panel-<hash>.js).
 */
export default defineConfig({
  publicDir: false,
  plugins: [sdkAsPackage()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'devtools/index.ts', formats: ['es'], fileName: () => 'devtools.js' },
    rolldownOptions: { external: ['tiercache', 'idb'], output: { chunkFileNames: 'devtools-[name]-[hash].js' } },
  },
});
