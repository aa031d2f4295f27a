// Builds, in the run, everything the bench serves besides dist/: the page bundle and the peer workers
// (each one classic, self-contained script, like dist/sw.js), with Vite's build() API.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { resourceBody } from './server.mjs';

const quiet = { configFile: false, logLevel: 'error', publicDir: false };

/** Builds a classic-script worker (IIFE) from `entry` to `<outDir>/<name>.js`; `define`: constants inlined. */
async function buildWorker({ root, outDir, entry, name, define = {} }) {
  await build({
    ...quiet,
    root,
    define: { 'process.env.NODE_ENV': JSON.stringify('production'), ...define },
    build: {
      outDir,
      emptyOutDir: false,
      lib: { entry: join(root, entry), name: name.replace(/\W/g, '_'), formats: ['iife'], fileName: () => `${name}.js` },
    },
  });
  return join(outDir, `${name}.js`);
}

/**
 * @returns {Promise<{ buildDir: string, workers: Record<string, string> }>} the temp folder served under
 *   /build/ (the caller removes it) and, per worker variant, the file served at /w/<variant>/sw.js
 */
export async function buildBench({ root }) {
  const distSw = join(root, 'dist', 'sw.js');
  if (!existsSync(distSw) || !existsSync(join(root, 'dist', 'sdk.js'))) {
    throw new Error('dist/sw.js or dist/sdk.js is missing: run `npm run build` first.');
  }
  // A temp folder rather than one in the repo: nothing built here can end up linted or committed.
  const buildDir = mkdtempSync(join(tmpdir(), 'tiercache-bench-build-'));
  await build({
    ...quiet,
    root,
    base: '/build/',
    build: {
      outDir: buildDir,
      emptyOutDir: false,
      target: 'es2022',
      rolldownOptions: {
        input: { page: join(root, 'bench/pages/main.js') },
        output: { entryFileNames: 'page.js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  });
  const passthrough = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/pass-through.js', name: 'pass-through' });
  const passthroughStamped = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/pass-through-stamped.js', name: 'pass-through-stamped' });
  const workbox = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/workbox-cache-first.js', name: 'workbox-cache-first' });
  const memory = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/memory-hit.js', name: 'memory-hit' });
  const probe = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/runtime-probe.js', name: 'runtime-probe' });
  const teePut = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/tee-put.js', name: 'tee-put' });
  const coldFloor = await buildWorker({ root, outDir: buildDir, entry: 'bench/workers/cold-floor.js', name: 'cold-floor' });
  // The same floor with a script of tiercache's size: dist/sw.js appended where it is parsed and compiled
  // but never run, so the row costs what loading that much script costs and nothing of its work.
  const coldFloorSized = join(buildDir, 'cold-floor-sized.js');
  writeFileSync(coldFloorSized, `${readFileSync(coldFloor, 'utf8')}\n;(() => {\n  if (self.__tiercacheNeverTrue) {\n${readFileSync(distSw, 'utf8')}\n  }\n})();\n`);
  // The cold-start limit answers with the resource written into its script.
  const coldMemory = await buildWorker({
    root, outDir: buildDir, entry: 'bench/workers/cold-memory.js', name: 'cold-memory',
    define: { __COLD_MEMORY_BODY__: JSON.stringify(resourceBody().toString('latin1')) },
  });
  return {
    buildDir,
    workers: {
      passthrough, 'passthrough-stamped': passthroughStamped, workbox, memory, probe, 'cold-floor': coldFloor, 'cold-floor-sized': coldFloorSized, 'cold-memory': coldMemory,
      'tc-browser': distSw, 'tc-layers': distSw, 'tc-miss': distSw, 'tc-stream-1': distSw, 'tc-stream-3': distSw,
      'tee-put': teePut, 'tee-put-2': teePut, 'tee-put-3': teePut,
    },
  };
}
