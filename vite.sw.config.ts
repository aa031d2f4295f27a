import { defineConfig } from 'vite';

/**
 * The Service Worker: one classic, self-contained IIFE at dist/sw.js (a module worker or shared chunks
 * would need `import`s, which classic registration cannot load). workbox code reads
 * process.env.NODE_ENV, which Vite's library mode does not replace: define it (toolchain guide §3).
 */
export default defineConfig({
  publicDir: false,
  define: {
    'process.env.NODE_ENV': JSON.stringify('production'),
    __TIERCACHE_BUILD_ID__: JSON.stringify(process.env.TIERCACHE_DEPLOYMENT ?? `build-${Date.now().toString(36)}`),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'sw/sw.ts', name: 'tiercacheSW', formats: ['iife'], fileName: () => 'sw.js' },
  },
});
