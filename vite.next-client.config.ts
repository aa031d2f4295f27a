import { defineConfig } from 'vite';
import { sdkAsPackage } from './tools/sdk-as-package.ts';

/**
 * `tiercache/next/client`: the `'use client'` registration component, a browser module at
 * dist/next-client.js. React is the app's; the SDK is imported as `tiercache`, the app's one copy, so
 * `cacheWorker()` hands out the same classes (TierCacheError) page code imports from `tiercache`.
 */
export default defineConfig({
  publicDir: false,
  plugins: [sdkAsPackage()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    lib: { entry: 'integrations/next/client.ts', formats: ['es'], fileName: () => 'next-client.js' },
    rolldownOptions: {
      // The module's `'use client'` directive is kept (Rolldown keeps an entry's directives): Next.js
      // needs it as the first statement to treat the module as a client component.
      external: ['react', 'tiercache'],
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});
