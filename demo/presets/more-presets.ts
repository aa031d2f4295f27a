import { draft, type Preset } from '../types.ts';

/** Cases the spec adds around the seed: defaults, precedence surprises, recommended settings. */
export const morePresets: Preset[] = [
  {
    id: 'no-headers',
    group: 'more',
    title: 'No Cache-Control at all',
    summary: 'The default: not cached at the edge, always revalidated by the browser.',
    source: 'Spec R18, R31, V5: the browser receives public, max-age=0, must-revalidate.',
    draft: draft({ path: 'no-headers' }),
    steps: [{ do: 'send' }, { do: 'send', note: 'Nothing was stored: MISS again.' }],
    expect: 'Edge: MISS, MISS. The origin is reached twice.',
  },
  {
    id: 'targeted-beats-no-store',
    group: 'more',
    title: 'no-store, but CDN-Cache-Control max-age=600',
    summary: 'A targeted header replaces Cache-Control entirely for the caches it targets.',
    source: 'Spec R2, A12, V14 (RFC 9213 §2.2).',
    draft: draft({ path: 'targeted-beats-no-store', cacheControl: 'no-store', cdnCacheControl: 'max-age=600' }),
    steps: [{ do: 'send' }, { do: 'send', note: 'Cached by the CDN and the edge for 600 s, never by the browser.' }],
    expect: 'CDN HIT on the second request. The origin is reached once.',
  },
  {
    id: 'unparsable-targeted',
    group: 'more',
    title: 'Unparsable CDN-Cache-Control',
    summary: 'Max-Age=60 is not a valid structured-field key: the header is ignored.',
    source: 'Spec R3, R158, V12: the edge falls back to Cache-Control s-maxage=5.',
    draft: draft({ path: 'unparsable-targeted', cacheControl: 's-maxage=5', cdnCacheControl: 'Max-Age=60' }),
    steps: [{ do: 'send' }, { do: 'advance', seconds: 10 }, { do: 'send', note: 'Expired after 5 s, not 60: back to the origin.' }],
    expect: 'Edge: MISS, then back to the origin after 10 s: the copy lived 5 s (Cache-Control), not 60 s.',
  },
  {
    id: 'recommended-semi-static',
    group: 'more',
    title: 'Recommended: max-age=120, s-maxage=86400',
    summary: 'Semi-static pages: the browser keeps 2 minutes, the edge a day.',
    source: 'Spec R25 (Vercel’s recommended settings).',
    draft: draft({ path: 'recommended', cacheControl: 'max-age=120, s-maxage=86400' }),
    steps: [
      { do: 'send' },
      { do: 'send', note: 'Browser HIT.' },
      { do: 'advance', seconds: 3600 },
      { do: 'send', note: 'Browser stale after 2 minutes; edge HIT.' },
    ],
    expect: 'Browser HIT, then edge HIT. The origin is reached once.',
  },
];
