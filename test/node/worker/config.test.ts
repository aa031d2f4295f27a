import { expect, test } from 'vitest';
import { handlesPath, handlesRequest, readConfig } from '../../../sw/config.ts';

const read = (query: string) => readConfig(`https://site.test/sw.js${query}`, { deployment: 'baked' });

test('defaults: browser layer, vercel profile, the baked-in deployment, every path, /assets/ static prefix', () => {
  const config = read('');
  expect(config).toMatchObject({ layers: ['browser'], profile: 'vercel', deployment: 'baked', include: ['/'], staticPrefix: '/assets/', testHooks: false, issues: [] });
  expect(config.budgetBytes).toBeUndefined();
  expect(config.hotBytes).toBe(4 * 1024 * 1024); // the hot tier is on by default
});

test('hot: the hot tier\'s byte bound, 0 turns it off', () => {
  expect(read('?hot=0')).toMatchObject({ hotBytes: 0, issues: [] });
  expect(read('?hot=65536')).toMatchObject({ hotBytes: 65536, issues: [] });
});

test('valid values are read once from the query', () => {
  const config = read('?layers=browser,cdn,edge&profile=rfc9111&deployment=dpl_2&budget=1000&include=/api/,/pages/&store=s1&testHooks=1');
  expect(config).toMatchObject({
    layers: ['browser', 'cdn', 'edge'], profile: 'rfc9111', deployment: 'dpl_2', budgetBytes: 1000,
    include: ['/api/', '/pages/'], storeName: 's1', testHooks: true, issues: [],
  });
});

test.each([
  ['layers', '?layers=edge,browser'],
  ['layers', '?layers=browser,browser'],
  ['layers', '?layers='],
  ['layers', '?layers=origin'],
  ['profile', '?profile=akamai'],
  ['deployment', '?deployment=has%20space'],
  ['budget', '?budget=1.5'],
  ['budget', '?budget=0'],
  ['include', '?include=api'],
  ['staticPrefix', '?staticPrefix=assets'],
  ['crossOrigin', '?crossOrigin=not-a-url'],
  ['hot', '?hot=-1'],
  ['hot', '?hot=4MB'],
])('an invalid %s (%s) is reported and defaulted', (param, query) => {
  const config = read(query);
  expect(config.issues.map((i) => i.param)).toEqual([param]);
  const defaults = read('');
  const key = { layers: 'layers', profile: 'profile', deployment: 'deployment', budget: 'budgetBytes', include: 'include', staticPrefix: 'staticPrefix', crossOrigin: 'crossOrigins', hot: 'hotBytes' }[param] as keyof typeof config;
  expect(config[key]).toEqual(defaults[key]);
});

test('the worker never handles its own script; include restricts the rest', () => {
  const config = read('?include=/__origin/,/sw.js');
  expect(handlesPath(config, '/sw.js')).toBe(false);
  expect(handlesPath(config, '/__origin/r/x')).toBe(true);
  expect(handlesPath(config, '/src/main.ts')).toBe(false);
});

test('cross-origin requests are handled only for configured origins, in CORS mode', () => {
  const config = read('?crossOrigin=https://api.test,https://cdn.test/ignored-path');
  expect(config.crossOrigins).toEqual(['https://api.test', 'https://cdn.test']);
  const own = 'https://site.test';
  expect(handlesRequest(config, own, new URL('https://api.test/x'), 'cors')).toBe(true);
  expect(handlesRequest(config, own, new URL('https://api.test/x'), 'no-cors')).toBe(false);
  expect(handlesRequest(config, own, new URL('https://other.test/x'), 'cors')).toBe(false);
  expect(handlesRequest(read(''), own, new URL('https://api.test/x'), 'cors')).toBe(false);
  expect(handlesRequest(config, own, new URL('https://site.test/page'), 'navigate')).toBe(true);
});
