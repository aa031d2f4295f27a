import { defineConfig } from 'vite';
import { sdkAsPackage } from './tools/sdk-as-package.ts';

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
