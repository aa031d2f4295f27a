import { describe, expect, test } from 'vitest';
import { evaluate, normalizeVaryValue, parseVary, varyMatches, varyValues } from '../../../sw/policy/index.ts';
import { browser, req, res, store, T0 } from './fixtures.ts';

const stored = (names: string[], headers: Record<string, string>) => ({ varyStar: false, varyValues: varyValues(names, headers) });

describe('Vary matching (RFC 9111 §4.1)', () => {
  test('parseVary lowercases, de-duplicates and recognises *', () => {
    expect(parseVary('Accept-Language, accept-language ,X-A')).toEqual({ star: false, names: ['accept-language', 'x-a'] });
    expect(parseVary('*')).toEqual({ star: true, names: [] });
    expect(parseVary(undefined)).toEqual({ star: false, names: [] });
  });

  test('R52: varyValues takes the names or a parsed VaryList', () => {
    expect(varyValues(parseVary('X-A, X-B'), { 'x-a': ' 1 ' })).toEqual({ 'x-a': '1', 'x-b': null });
    expect(varyValues(['x-a'], { 'x-a': '1' })).toEqual({ 'x-a': '1' });
  });

  test('R55: field names match case-insensitively', () => {
    const s = store(browser(), res({ 'cache-control': 'max-age=60', vary: 'X-Theme' }), { request: req({ headers: { 'x-theme': 'dark' } }) });
    expect(varyMatches(s, { 'x-theme': 'dark' })).toBe(true);
  });

  test('R55: a header absent in both requests matches; present in one only does not', () => {
    expect(varyMatches(stored(['x-a'], {}), {})).toBe(true);
    expect(varyMatches(stored(['x-a'], {}), { 'x-a': '1' })).toBe(false);
    expect(varyMatches(stored(['x-a'], { 'x-a': '1' }), {})).toBe(false);
  });

  test('R55: values are compared after combining field lines with ", " and trimming whitespace', () => {
    expect(varyMatches(stored(['accept'], { accept: 'text/html,  application/json' }), { accept: ' text/html , application/json ' })).toBe(true);
    expect(varyMatches(stored(['accept'], { accept: 'text/html' }), { accept: 'text/html, application/json' })).toBe(false);
    expect(normalizeVaryValue('a,b ,  c')).toBe('a, b, c');
  });

  test('R147: reuse needs every Vary header to match; Vary: * never matches', () => {
    expect(varyMatches({ varyStar: true, varyValues: {} }, {})).toBe(false);
    const s = store(browser(), res({ 'cache-control': 'max-age=60', vary: 'Accept-Language' }), { request: req({ headers: { 'accept-language': 'en' } }) });
    expect(evaluate(browser(), { entries: s, request: req({ headers: { 'accept-language': 'de' } }), now: T0 })).toMatchObject({ action: 'miss', reason: 'vary-mismatch' });
    expect(evaluate(browser(), { entries: s, request: req({ headers: { 'accept-language': 'en' } }), now: T0 }).action).toBe('fresh');
  });

  test('R141: when several stored responses match, the most recent (by Date) is used', () => {
    const p = browser();
    const older = store(p, res({ 'cache-control': 'max-age=600', date: 'Thu, 01 Jan 2026 00:00:00 GMT', etag: '"old"' }), { at: T0 });
    const newer = store(p, res({ 'cache-control': 'max-age=600', date: 'Thu, 01 Jan 2026 00:00:05 GMT', etag: '"new"' }), { at: T0 + 5000 });
    const ev = evaluate(p, { entries: [newer, older], request: req(), now: T0 + 6000 });
    expect(ev.action === 'fresh' && ev.entry.etag).toBe('"new"');
    const ev2 = evaluate(p, { entries: [older, newer], request: req(), now: T0 + 6000 });
    expect(ev2.action === 'fresh' && ev2.entry.etag).toBe('"new"');
  });
});
