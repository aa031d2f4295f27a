/**
 * R126–R129: the visitor's location from Vercel's request headers, field for field like
 * `@vercel/functions`. Works with a Fetch `Request`, a `Headers` holder or anything with `headers.get`.
 */
export interface HeadersLike {
  get(name: string): string | null;
}

export interface RequestLike {
  headers: HeadersLike;
}

export interface Geo {
  city?: string | undefined;
  country?: string | undefined;
  flag?: string | undefined;
  countryRegion?: string | undefined;
  region?: string | undefined;
  latitude?: string | undefined;
  longitude?: string | undefined;
  postalCode?: string | undefined;
}

/** Regional-indicator letters start at U+1F1E6 = 'A' + 127397. */
const FLAG_OFFSET = 127397;

function header(headers: HeadersLike, name: string): string | undefined {
  return headers.get(name) ?? undefined;
}

/** R128: only two upper-case ASCII letters make a flag. */
function flagOf(country: string | undefined): string | undefined {
  if (!country || !/^[A-Z]{2}$/.test(country)) return undefined;
  return String.fromCodePoint(FLAG_OFFSET + country.charCodeAt(0), FLAG_OFFSET + country.charCodeAt(1));
}

export function geolocation(request: RequestLike): Geo {
  const { headers } = request;
  const city = header(headers, 'x-vercel-ip-city');
  const country = header(headers, 'x-vercel-ip-country');
  const requestId = header(headers, 'x-vercel-id');
  return {
    // R126/R129: multi-byte city names arrive percent-encoded; a malformed sequence throws URIError as in Vercel.
    city: city ? decodeURIComponent(city) : undefined,
    country,
    flag: flagOf(country),
    countryRegion: header(headers, 'x-vercel-ip-country-region'),
    // R127: `fra1::abc` → fra1, `hnd1:iad1::abc` → hnd1, missing or empty → dev1.
    region: requestId ? requestId.split(':')[0] : 'dev1',
    latitude: header(headers, 'x-vercel-ip-latitude'),
    longitude: header(headers, 'x-vercel-ip-longitude'),
    postalCode: header(headers, 'x-vercel-ip-postal-code'),
  };
}
