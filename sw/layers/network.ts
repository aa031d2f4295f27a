import { buildResponse, headerRecord } from './http-message.ts';

/**
 * The last stage of the chain: the real network. Every upstream fetch uses `cache: 'no-store'` so the
 * browser's own HTTP cache never answers for the origin, and a conditional request is never silently
 * turned into something else (P3).
 */

export interface NetworkOptions {
  fetch: (request: Request) => Promise<Response>;
  /** The simulated clock's offset from the real one (setClockOffset), in ms. */
  clockOffsetMs: number;
  /** The worker's origin: requests to it go in `same-origin` mode, others (configured cross origins) in `cors`. */
  origin: string;
}

/**
 * Absolute-time response fields an origin writes from its own (real) clock. Last-Modified is left
 * alone: it is a validator, compared byte for byte on a 304 (RFC 9111 §4.3.4).
 */
const DATE_FIELDS = ['date', 'expires'];

export async function fetchNetwork(request: Request, headers: Headers, options: NetworkOptions, signal?: AbortSignal): Promise<Response> {
  // `same-origin` mode: a no-cors request (img, classic script) would silently drop every header that
  // is not CORS-safelisted, validators and x-vercel-* included. Cross-origin requests only get here in
  // cors mode (config.handlesRequest).
  const mode: RequestMode = new URL(request.url).origin === options.origin ? 'same-origin' : 'cors';
  const upstream = new Request(request, { cache: 'no-store', mode, headers, ...(signal ? { signal } : {}) });
  const response = await options.fetch(upstream);
  if (options.clockOffsetMs === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  return shiftDates(response, options.clockOffsetMs);
}

/**
 * With a clock offset the whole simulated world travels in time, the origin included: its absolute
 * Date and Expires move by the same offset, so a response fetched "an hour later" is not an hour old
 * on arrival (R138 apparent age) and its Expires keeps its meaning.
 *
 * An HTTP-date has whole seconds: the shift is rounded up to a whole second, never down. Truncating
 * a fractional offset (a clock pinned to some instant) would make every response up to 0.999 s older
 * than the origin said, which uses up most of an `s-maxage=1` (R137, R138). Both fields move by the
 * same whole seconds, so Expires − Date is unchanged.
 */
function shiftDates(response: Response, offsetMs: number): Response {
  const headers = new Headers(response.headers);
  const shiftMs = Math.ceil(offsetMs / 1000) * 1000;
  let changed = false;
  for (const name of DATE_FIELDS) {
    const value = headers.get(name);
    const time = value === null ? NaN : Date.parse(value);
    if (!Number.isFinite(time)) continue;
    headers.set(name, new Date(time + shiftMs).toUTCString());
    changed = true;
  }
  if (!changed) return response;
  return buildResponse({ status: response.status, statusText: response.statusText, headers: headerRecord(headers), body: response.body });
}
