import { defineConfig } from 'vite';

/**
 * The package's Node-side entries (integrations, server): ES modules at dist/<name>.js. Add an entry
 * here and a matching line in package.json "exports" (see README "Packaging"). Node built-ins and
 * the user's own tools (vite, next) stay imports; shared code becomes chunks beside the entries in
 * dist/, next to sw.js, which worker-script.ts reads as `./sw.js` relative to itself.
 */
export const nodeEntries = {
  vite: 'integrations/vite/index.ts',
};

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    lib: { entry: nodeEntries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      external: [/^node:/, 'vite', /^next(\/|$)/],
      output: { chunkFileNames: '[name]-[hash].js' },
    },
  },
});
