/**
 * tiercache/next on its own: what it reads from a Next build (deployment id, static files) and how it
 * treats bad options. The served worker itself is checked end to end in test/e2e/next-app.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createWorkerRoute } from '../../../integrations/next/index.ts';
import { deploymentId, staticFiles, type NextBuildSource } from '../../../integrations/next/next-build.ts';
import { TierCacheError } from '../../../sdk/errors.ts';

let root: string;
const source = (over: Partial<NextBuildSource> = {}): NextBuildSource => ({ root, distDir: '.next', basePath: '', env: {}, ...over });

function write(path: string, text = ''): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tiercache-next-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

test('R50: the deployment is Vercel\'s id, else NEXT_DEPLOYMENT_ID, else the BUILD_ID `next build` wrote', () => {
  write('.next/BUILD_ID', 'p0Vm6-D-Bi5c\n');
  expect(deploymentId(source())).toBe('p0Vm6-D-Bi5c');
  // `next start` sets NEXT_DEPLOYMENT_ID to '' when no deployment id is configured.
  expect(deploymentId(source({ env: { NEXT_DEPLOYMENT_ID: '' } }))).toBe('p0Vm6-D-Bi5c');
  expect(deploymentId(source({ env: { NEXT_DEPLOYMENT_ID: 'dpl-2' } }))).toBe('dpl-2');
  expect(deploymentId(source({ env: { NEXT_DEPLOYMENT_ID: 'dpl-2', VERCEL_DEPLOYMENT_ID: 'dpl_vercel' } }))).toBe('dpl_vercel');
  write('out/BUILD_ID', 'custom-dist');
  expect(deploymentId(source({ distDir: 'out' }))).toBe('custom-dist');
});

test('R50: no build and no id is an error (the route answers 500, see below)', () => {
  expect(() => deploymentId(source())).toThrow(/BUILD_ID/);
});

test('R48: the static files are the build\'s /_next/static output and public/, under basePath, URL-encoded', () => {
  write('.next/static/chunks/0c1ad7rcpjghx.js');
  write('.next/static/media/icon.34ks.svg');
  write('.next/static/b1d/_buildManifest.js');
  write('.next/server/app/isr.html'); // a prerendered page is not a static file
  write('public/robots.txt');
  write('public/img/a b.png');
  expect(staticFiles(source())).toEqual([
    '/_next/static/b1d/_buildManifest.js',
    '/_next/static/chunks/0c1ad7rcpjghx.js',
    '/_next/static/media/icon.34ks.svg',
    '/img/a%20b.png',
    '/robots.txt',
  ]);
  expect(staticFiles(source({ basePath: '/docs' }))).toContain('/docs/_next/static/chunks/0c1ad7rcpjghx.js');
  expect(staticFiles(source({ basePath: '/docs' }))).toContain('/docs/robots.txt');
});

test('R48: an app without public/ or a build lists no static files', () => {
  expect(staticFiles(source())).toEqual([]);
});

test.each([
  ['an unknown layer', { layers: ['browser', 'nearby'] }, /layers/],
  ['layers out of order', { layers: ['edge', 'browser'] }, /layers/],
  ['an unknown option', { layer: ['edge'] }, /unknown option "layer"/],
  ['a bad profile', { profile: 'akamai' }, /profile/],
  ['a bad deployment id', { deployment: 'has space' }, /deployment/],
  ['an empty distDir', { distDir: '' }, /distDir/],
  ['a vercelJson that is not a path', { vercelJson: true }, /vercelJson/],
])('createWorkerRoute with %s throws TierCacheError invalid-options naming it', (_name, options, message) => {
  const create = () => createWorkerRoute(options as never);
  expect(create).toThrow(TierCacheError);
  expect(create).toThrow(message);
  try {
    create();
  } catch (error) {
    expect((error as TierCacheError).code).toBe('invalid-options');
  }
});

test('a worker script that cannot be built answers 500, never cached, and logs why: registration fails, the site works on', () => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => {});
  const GET = createWorkerRoute({ layers: ['browser', 'edge'], distDir: 'no-such-build' });
  const response = GET(new Request('http://127.0.0.1/sw.js'));
  expect(response.status).toBe(500);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(log).toHaveBeenCalledWith(expect.stringContaining('[tiercache]'), expect.anything());
});
