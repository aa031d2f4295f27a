import { defineConfig } from 'vite';

/** tiercache/server: an ES module for Node (and other Web-standard runtimes) at dist/server.js.
 *  `redis` is never imported (the app passes its client); node: built-ins stay imports. */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    ssr: 'server/index.ts',
    target: 'node20',
    minify: false,
    rolldownOptions: { output: { entryFileNames: 'server.js' } },
  },
});
