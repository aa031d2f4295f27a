import { describe, expect, test } from 'vitest';
import { geolocation, ipAddress } from '../../../sdk/request/index.ts';

const request = (headers: Record<string, string>): Request => new Request('https://example.test/', { headers });

describe('R126–R129: geolocation(request)', () => {
  test('R126: every field from its header, city percent-decoded', () => {
    expect(
      geolocation(
        request({
          'x-vercel-ip-city': 'S%C3%A3o%20Paulo',
          'x-vercel-ip-country': 'BR',
          'x-vercel-ip-country-region': 'SP',
          'x-vercel-id': 'gru1::abc123',
          'x-vercel-ip-latitude': '-23.5475',
          'x-vercel-ip-longitude': '-46.6361',
          'x-vercel-ip-postal-code': '01000-000',
        }),
      ),
    ).toEqual({
      city: 'São Paulo',
      country: 'BR',
      flag: '🇧🇷',
      countryRegion: 'SP',
      region: 'gru1',
      latitude: '-23.5475',
      longitude: '-46.6361',
      postalCode: '01000-000',
    });
  });

  test('R126: missing headers give undefined fields, and region dev1', () => {
    expect(geolocation(request({}))).toEqual({
      city: undefined,
      country: undefined,
      flag: undefined,
      countryRegion: undefined,
      region: 'dev1',
      latitude: undefined,
      longitude: undefined,
      postalCode: undefined,
    });
  });

  test.each([
    ['fra1::abc', 'fra1'],
    ['hnd1:iad1::abc', 'hnd1'],
    ['', 'dev1'],
  ])('R127: x-vercel-id %j → region %j', (id, region) => {
    expect(geolocation(request({ 'x-vercel-id': id })).region).toBe(region);
  });

  test('R127: a missing x-vercel-id gives dev1', () => {
    expect(geolocation({ headers: { get: () => null } }).region).toBe('dev1');
  });

  test.each([
    ['US', '🇺🇸'],
    ['AAA', undefined],
    ['us', undefined],
    ['U1', undefined],
  ])('R128: country %j → flag %j', (country, flag) => {
    expect(geolocation(request({ 'x-vercel-ip-country': country })).flag).toBe(flag);
  });

  test('R129: a malformed percent-sequence in the city throws URIError, as in Vercel', () => {
    expect(() => geolocation(request({ 'x-vercel-ip-city': '%E0%A4%A' }))).toThrow(URIError);
  });
});

describe('R130: ipAddress(requestOrHeaders)', () => {
  test('R130: x-real-ip from a request or from its headers', () => {
    expect(ipAddress(request({ 'x-real-ip': '203.0.113.7' }))).toBe('203.0.113.7');
    expect(ipAddress(new Headers({ 'x-real-ip': '2001:db8::1' }))).toBe('2001:db8::1');
  });

  test('R130: undefined without the header (x-forwarded-for is not used)', () => {
    expect(ipAddress(request({ 'x-forwarded-for': '198.51.100.1' }))).toBeUndefined();
    expect(ipAddress(new Headers())).toBeUndefined();
  });
});
