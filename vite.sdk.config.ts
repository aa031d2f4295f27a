import { defineConfig } from 'vite';

/** The SDK: an ES module library at dist/sdk.js; `idb` stays a dependency of the consumer's bundle. */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'sdk/index.ts', formats: ['es'], fileName: () => 'sdk.js' },
    rolldownOptions: { external: ['idb'] },
  },
});
