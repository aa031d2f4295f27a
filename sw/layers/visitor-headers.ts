import type { VisitorLocation } from '../../sdk/protocol.ts';

/**
 * The request headers Vercel's edge adds before a request reaches the function (R126, R127, R130).
 * The edge layer adds them to the request BEFORE its own lookup, so `Vary: X-Vercel-IP-Country`
 * selects variants by the simulated visitor exactly as it would on Vercel.
 */
export function visitorHeaders(location: VisitorLocation | null, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-vercel-id': `${location?.region ?? 'dev1'}::${requestId}` };
  if (!location) return headers;
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') headers[name] = value;
  };
  set('x-vercel-ip-country', location.country);
  set('x-vercel-ip-country-region', location.countryRegion);
  // R126: multi-byte city names arrive percent-encoded; geolocation() decodes them.
  set('x-vercel-ip-city', location.city === undefined ? undefined : encodeURIComponent(location.city));
  set('x-vercel-ip-latitude', location.latitude);
  set('x-vercel-ip-longitude', location.longitude);
  set('x-vercel-ip-postal-code', location.postalCode);
  set('x-real-ip', location.ipAddress);
  return headers;
}
