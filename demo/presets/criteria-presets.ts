import { draft, type Preset, type Step } from '../types.ts';

const BYPASSED = 'The edge skips its cache for this request (x-vercel-cache: MISS, R66), twice. The origin is reached twice.';

const twice: Step[] = [
  { do: 'send', note: 'First request.' },
  { do: 'send', note: 'Second request: the edge did not store the first answer.' },
];

/**
 * One preset per cacheability criterion of the seed ("Cacheable response criteria") that stops the
 * edge from storing. Each response would otherwise be cached (s-maxage=60), so only the criterion
 * explains the second MISS.
 */
export const criteriaPresets: Preset[] = [
  criterion('method', 'Method POST', 'Request uses GET or HEAD method (R36, R66).', { method: 'POST' },
    'Unsafe methods are written through: no x-vercel-cache; the origin is reached twice.'),
  criterion('range', 'Range request', 'Request does not contain Range header (R37).', { requestHeaders: { Range: 'bytes=0-99' } }, BYPASSED),
  criterion('authorization', 'Authorization header', 'Request does not contain Authorization header (R38, V19).', {
    requestHeaders: { Authorization: 'Bearer demo-token' },
    cacheControl: 'public, s-maxage=60',
  }, BYPASSED),
  // 203 is heuristically cacheable for RFC 9111 but not on Vercel's list; an error status would also
  // work but makes the browser log "Failed to load resource" for every request.
  criterion('status', 'Status 203', 'Response uses 200, 404, 301, 302, 307 or 308 status code (R39, R46).', { status: 203 }),
  criterion('too-large', 'Body over 10 MB', 'Response does not exceed 10MB in content length (R40).', { bodyBytes: 10 * 1024 * 1024 + 1 }),
  criterion('set-cookie', 'Set-Cookie', 'Response does not contain the set-cookie header (R41, P1).', { setCookie: 'session=abc123' }),
  criterion('private', 'private, max-age=300', 'Response does not contain private (R16, R42, V6).', { cacheControl: 'private, max-age=300' },
    'Edge: MISS, not stored. The browser layer may keep it 300 s, so it answers the second request.'),
  criterion('no-cache', 'no-cache', 'Response does not contain no-cache (R17, R42, V10).', { cacheControl: 's-maxage=60, no-cache' }),
  criterion('no-store', 'no-store', 'Response does not contain no-store (R17, R42).', { cacheControl: 's-maxage=60, no-store' }),
  criterion('vary-star', 'Vary: *', 'Response does not contain Vary: * (R43, V8).', { vary: '*' }),
  criterion('vary-cookie', 'Vary: Cookie', 'Vary: Cookie is no longer cached (R44, V9).', { vary: 'Cookie' }),
];

function criterion(
  id: string,
  title: string,
  source: string,
  fields: Partial<Preset['draft']>,
  expect = 'Edge: MISS, MISS. The origin is reached twice.',
): Preset {
  return {
    id: `criterion-${id}`,
    group: 'criteria',
    title,
    summary: `Cacheable response criteria: ${source.split(' (')[0] ?? source}`,
    source: `Seed "Cacheable response criteria": ${source}`,
    draft: draft({ path: `criteria/${id}`, cacheControl: 's-maxage=60', etag: false, ...fields }),
    steps: twice,
    expect,
  };
}
