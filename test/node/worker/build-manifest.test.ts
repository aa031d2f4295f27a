import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { readConfig } from '../../../sw/config.ts';
import { workerScript } from '../../../integrations/shared/worker-script.ts';

/** Runs an integration's worker prologue the way the worker's global scope would, and reads the config. */
function configFrom(script: string, query = ''): ReturnType<typeof readConfig> {
  const self: { __TIERCACHE__?: unknown } = {};
  runInNewContext(script, { self });
  return readConfig(`https://site.test/sw.js${query}`, { deployment: 'baked' }, self.__TIERCACHE__);
}

const manifest = {
  deployment: 'build-7',
  staticFiles: ['/', '/index.html', '/assets/app-1a2b.js'],
  headerRules: [{ source: '/api/(.*)', headers: [{ key: 'CDN-Cache-Control', value: 'max-age=60' }] }],
  params: { layers: 'browser,edge', region: 'fra1' },
};

test('R50/R48/R5: the manifest a workerScript() prologue assigns gives the deployment, exact static files and header rules', () => {
  const config = configFrom(workerScript(manifest, '/* the built worker */'));
  expect(config).toMatchObject({
    deployment: 'build-7', layers: ['browser', 'edge'], region: 'fra1', staticPrefix: null,
    staticFiles: manifest.staticFiles, headerRules: manifest.headerRules, issues: [],
  });
});

test('the script URL query still wins over the manifest params; an explicit staticPrefix still applies', () => {
  const config = configFrom(workerScript(manifest, ''), '?layers=edge&deployment=pinned&staticPrefix=/static/');
  expect(config).toMatchObject({ deployment: 'pinned', layers: ['edge'], region: 'fra1', staticPrefix: '/static/' });
});

test('a new build is byte-different script text (browsers install the new worker)', () => {
  expect(workerScript({ ...manifest, deployment: 'build-8' }, 'w')).not.toBe(workerScript(manifest, 'w'));
});

test('a malformed manifest is reported and left out; the site keeps its defaults', () => {
  const config = readConfig('https://site.test/sw.js', { deployment: 'baked' }, {
    params: { layers: 5 }, staticFiles: ['relative.js'], headerRules: [{ source: '/a' }, { source: '/(.*)', headers: [{ key: 'A', value: '1' }], has: [{ type: 'cookie', key: 's' }] }],
  });
  expect(config).toMatchObject({ deployment: 'baked', layers: ['browser'], staticPrefix: '/assets/', staticFiles: [], headerRules: [] });
  expect(config.issues.map((issue) => issue.param)).toEqual(['manifest.params.layers', 'manifest.staticFiles', 'manifest.headerRules', 'manifest.headerRules']);
  expect(readConfig('https://site.test/sw.js', { deployment: 'baked' }, 'nonsense').issues[0]?.param).toBe('manifest');
});
