import { copyFileSync, existsSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { feedPlugin } from './demo/origin/feed-plugin.ts';
import { originPlugin } from './demo/origin/origin-plugin.ts';
import { serveBuiltSW } from './tools/serve-built-sw.ts';

/** The built demo registers ./sw.js beside its index.html: copy the worker build (made first) there. */
function copyWorkerIntoDemo(): Plugin {
  return {
    name: 'tiercache:copy-worker',
    apply: 'build',
    closeBundle() {
      if (!existsSync('dist/sw.js')) throw new Error('dist/sw.js is missing: run the worker build first (npm run build).');
      copyFileSync('dist/sw.js', 'dist/demo/sw.js');
    },
  };
}

/**
 * The demo: `npm run demo` serves demo/ with the local origin middleware and the built worker at
 * /sw.js; `npm run build` writes the static site to dist/demo/ with the worker copied beside it.
 */
export default defineConfig({
  root: 'demo',
  base: './',
  publicDir: false,
  plugins: [originPlugin(), feedPlugin(), serveBuiltSW('/sw.js'), copyWorkerIntoDemo()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: '../dist/demo', emptyOutDir: true },
});
