/** The script-URL parameters for the simulated region (R24) and the spec's flags (semantics.md §15). */
import { expect, test } from 'vitest';
import { readConfig } from '../../../sw/config.ts';

const read = (query: string) => readConfig(`https://site.test/sw.js${query}`, { deployment: 'baked' });

test('R24: no region by default; a region id is read from the query', () => {
  expect(read('').region).toBeUndefined();
  expect(read('?region=fra1')).toMatchObject({ region: 'fra1', issues: [] });
  expect(read('?region=dev1').region).toBe('dev1');
});

test.each(['FRA1', 'fra1::x', 'fra:1', '', '1fra', 'fra1a', 'a'.repeat(17)])('R24: region=%j is reported and no region used', (value) => {
  const config = read(`?region=${encodeURIComponent(value)}`);
  expect(config.region).toBeUndefined();
  expect(config.issues).toEqual([expect.objectContaining({ param: 'region', value })]);
});

test('semantics §15: every flag defaults to the spec decision', () => {
  expect(read('').flags).toEqual({
    lenientTargetedParsing: false,
    edgeHonorsMaxAgeInCacheControl: false,
    stripWhen: 'cc-consumed',
    criteriaReadCacheControlAlways: false,
    ageMitigation: false,
    forwardCacheTagHeader: false,
    maxBodyBytes: 10 * 2 ** 20,
  });
});

test('semantics §15: flags are read under their own names (1/true, 0/false)', () => {
  const config = read('?lenientTargetedParsing=1&edgeHonorsMaxAgeInCacheControl=true&criteriaReadCacheControlAlways=1'
    + '&ageMitigation=true&forwardCacheTagHeader=1&stripWhen=always&maxBodyBytes=1024');
  expect(config.issues).toEqual([]);
  expect(config.flags).toEqual({
    lenientTargetedParsing: true,
    edgeHonorsMaxAgeInCacheControl: true,
    stripWhen: 'always',
    criteriaReadCacheControlAlways: true,
    ageMitigation: true,
    forwardCacheTagHeader: true,
    maxBodyBytes: 1024,
  });
  expect(read('?ageMitigation=0&forwardCacheTagHeader=false').flags).toMatchObject({ ageMitigation: false, forwardCacheTagHeader: false });
});

test.each([
  ['ageMitigation', 'yes'],
  ['lenientTargetedParsing', ''],
  ['stripWhen', 'never'],
  ['maxBodyBytes', '-1'],
  ['maxBodyBytes', '1e6'],
])('semantics §15: %s=%j is reported and the default kept', (param, value) => {
  const config = read(`?${param}=${encodeURIComponent(value)}`);
  expect(config.issues).toEqual([expect.objectContaining({ param, value })]);
  expect(config.flags).toEqual(read('').flags);
});
