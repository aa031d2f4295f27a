/**
 * The packed package, installed from its tarball into a copy of examples/vite-app: every export
 * resolves and loads from a clean install, types check against what was installed, and nothing
 * points back into this repository.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, test } from 'vitest';
import { filesUnder, installedExample, REPO } from './support/packed-app.ts';

const run = promisify(execFile);

/** Every package export and what it must be (add a line when you add an entry to package.json). */
const EXPORTS = ['tiercache', 'tiercache/sw.js', 'tiercache/vite', 'tiercache/vite/client', 'tiercache/next', 'tiercache/next/client', 'tiercache/package.json'];

const rootManifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
let app: string;

beforeAll(async () => {
  app = await installedExample();
  // A user's own files, checked against the installed declarations (see the type-check test).
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true,
        lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: ['node', 'tiercache/vite/client'],
      },
      include: ['*.ts'],
    }),
    'page.ts': [
      "import { getCache, registerCacheWorker, TierCacheError, type CacheWorkerController } from 'tiercache';",
      "import { worker, swUrl } from 'virtual:tiercache';",
      'const controller: CacheWorkerController | null = await worker;',
      "export const calls = [getCache({ namespace: 'n' }), registerCacheWorker(swUrl, { layers: ['edge'] }), controller, new TierCacheError('invalid-options')];",
      // Unused @ts-expect-error is an error: these prove the declarations resolved (not `any`).
      '// @ts-expect-error a layer name is checked',
      "void registerCacheWorker(swUrl, { layers: ['nearby'] });",
      '// @ts-expect-error the controller is not a string',
      'export const wrong: string = controller;',
    ].join('\n'),
    'vite.config.ts': [
      "import { defineConfig } from 'vite';",
      "import { tiercache } from 'tiercache/vite';",
      "export default defineConfig({ plugins: [tiercache(), tiercache({ layers: ['browser', 'edge'], include: ['/api/'] })] });",
      '// @ts-expect-error options are typed',
      "tiercache({ layers: 'edge' });",
    ].join('\n'),
  };
  mkdirSync(join(app, 'pkg-check'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, 'pkg-check', name), text);
});

test('every package export is listed in this test', () => {
  expect(Object.keys(rootManifest.exports).map((key) => key.replace(/^\./, 'tiercache')).sort()).toEqual([...EXPORTS].sort());
});

test('the tarball holds the built SDK, worker, plugin, types, README and LICENSE, and nothing else', () => {
  const installed = join(app, 'node_modules/tiercache');
  const files = filesUnder(installed).map((file) => file.slice(installed.length + 1));
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/sdk.js', 'dist/sw.js', 'dist/vite.js', 'dist/vite-client.d.ts']));
  expect(files.filter((file) => !/^(package\.json|README\.md|LICENSE|dist\/[^/]+\.(js|d\.ts)|dist\/types\/.+\.d\.ts)$/.test(file))).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { private?: boolean; license: string };
  expect(manifest.private).toBeUndefined();
  expect(manifest.license).toBe('MIT');
  // A clean install: real files, no text pointing back into this repository.
  for (const file of files) expect(readFileSync(join(installed, file), 'utf8')).not.toContain(REPO);
});

test('each export resolves from the installed package and loads in Node (tiercache/vite, the SDK, sw.js as a file)', async () => {
  const script = `
    const out = {};
    const vite = await import('tiercache/vite');
    const plugin = vite.tiercache();
    out.plugin = plugin.name;
    out.defaultExport = vite.default === vite.tiercache;
    try { vite.tiercache({ layers: ['bogus'] }); } catch (error) { out.badOption = error.code + ' | ' + error.message; }
    const sdk = await import('tiercache');
    out.sdk = ['getCache', 'registerCacheWorker', 'TierCacheError', 'geolocation'].map((name) => typeof sdk[name]);
    out.sw = import.meta.resolve('tiercache/sw.js');
    out.pkg = import.meta.resolve('tiercache/package.json');
    console.log(JSON.stringify(out));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
  const out = JSON.parse(stdout) as { plugin: string; defaultExport: boolean; badOption: string; sdk: string[]; sw: string; pkg: string };
  expect(out.plugin).toBe('tiercache');
  expect(out.defaultExport).toBe(true);
  expect(out.badOption).toMatch(/^invalid-options \| .*layers/);
  expect(out.sdk).toEqual(['function', 'function', 'function', 'function']);
  const swFile = new URL(out.sw).pathname;
  expect(swFile.startsWith(app)).toBe(true);
  expect(existsSync(swFile)).toBe(true);
  expect(readFileSync(swFile, 'utf8')).toMatch(/addEventListener\(.fetch./);
});

test('the SDK, the plugin and virtual:tiercache type-check against the installed declarations', async () => {
  const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
  const result = await run(process.execPath, [tsc, '-p', join(app, 'pkg-check')], { cwd: app }).then(
    () => 'ok',
    (error: { stdout?: string; message?: string }) => error.stdout || error.message || 'tsc failed',
  );
  expect(result).toBe('ok');
});
