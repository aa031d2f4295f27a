// Sizes: each artifact re-bundled with the same minifier, then gzipped (level 9), so tiercache and the
// peers are measured the same way. Whitespace is minified too: Vite's lib mode leaves it in ES output
// (so a downstream bundler keeps its /* @__PURE__ */ hints), which is not what a page ships once an
// app's own build has minified it; `output.minify` forces the full minification for every row alike.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

async function minGzip({ root, entry, external = [], format = 'es', chunks = 'all' }) {
  const output = await build({
    configFile: false,
    logLevel: 'error',
    publicDir: false,
    root,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: true,
      lib: { entry, name: 'sized', formats: [format], fileName: () => 'sized.js' },
      rolldownOptions: { external, output: { minify: true } },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  // `chunks`: 'all' (entry and what it imports, lazily too), 'entry' (what loads at once), 'lazy' (the rest).
  const wanted = (chunk) => chunk.type === 'chunk' && (chunks === 'all' || (chunks === 'entry') === chunk.isEntry);
  const code = outputs.flatMap((o) => o.output).filter(wanted).map((chunk) => chunk.code).join('\n');
  return gzipSync(code, { level: 9 }).length;
}

/** @returns {Promise<{ sizes: Record<string, number>, notes: Record<string, string> }>} bytes per row id */
export async function measureSizes({ root, buildDir }) {
  const entries = join(buildDir, 'size-entries');
  mkdirSync(entries, { recursive: true });
  const sdk = join(root, 'dist', 'sdk.js');
  const sizes = {};
  const notes = {};
  sizes['size.sdk'] = await minGzip({ root, entry: sdk, external: ['idb'] });
  sizes['size.sw'] = await minGzip({ root, entry: join(root, 'dist', 'sw.js'), format: 'iife' });
  if (/\bgetCache\b/.test(readFileSync(sdk, 'utf8'))) {
    const runtime = join(entries, 'runtime-cache.js');
    writeFileSync(runtime, `export { getCache } from ${JSON.stringify(sdk)};\n`);
    sizes['size.runtime-cache'] = await minGzip({ root, entry: runtime, external: ['idb'] });
    sizes['size.runtime-cache-with-idb'] = await minGzip({ root, entry: runtime });
    // The same path bundled from source, for comparison with dist/ (what a consumer's bundler sees).
    const fromSource = join(entries, 'runtime-cache-source.js');
    writeFileSync(fromSource, `export { getCache } from ${JSON.stringify(join(root, 'sdk/runtime-cache/index.ts'))};\n`);
    sizes['size.runtime-cache-source'] = await minGzip({ root, entry: fromSource, external: ['idb'] });
  } else {
    notes['size.runtime-cache'] = 'dist/sdk.js does not export getCache yet';
  }
  // tiercache/devtools (dist/devtools.js, its own build): the entry an app imports, and the panel chunk
  // it loads on mountDevtools(); the SDK is the app's own `tiercache` import, not counted here.
  const devtools = join(root, 'dist', 'devtools.js');
  if (existsSync(devtools)) {
    sizes['size.devtools-entry'] = await minGzip({ root, entry: devtools, external: ['tiercache'], chunks: 'entry' });
    sizes['size.devtools-panel'] = await minGzip({ root, entry: devtools, external: ['tiercache'], chunks: 'lazy' });
  } else {
    notes['size.devtools-panel'] = 'dist/devtools.js is missing (npm run build)';
  }
  const keyval = join(entries, 'idb-keyval.js');
  writeFileSync(keyval, `export * from ${JSON.stringify(fileURLToPath(import.meta.resolve('idb-keyval')))};\n`);
  sizes['size.idb-keyval'] = await minGzip({ root, entry: keyval });
  sizes['size.workbox-worker'] = await minGzip({ root, entry: join(root, 'bench/workers/workbox-cache-first.js'), format: 'iife' });
  return { sizes, notes };
}
