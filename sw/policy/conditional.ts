import { getHeader, hasHeader } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { StoredEntry } from './stored-entry.ts';
import type { HeaderMap, RequestInfo } from './types.ts';
import { parseEntityTag, parseEntityTagList, weakMatch } from './validators.ts';

/**
 * R151 / RFC 9111 §4.3.2: may a cache answer the client's own conditional GET/HEAD with 304 from this
 * (fresh or just-validated) stored response? If-None-Match (weak comparison) takes precedence over
 * If-Modified-Since; If-Match and If-Unmodified-Since are left to the origin.
 */
export function conditionalMatches(entry: Pick<StoredEntry, 'etag' | 'lastModified' | 'date' | 'status'>, request: RequestInfo): boolean {
  const method = request.method.toUpperCase();
  if ((method !== 'GET' && method !== 'HEAD') || entry.status !== 200) return false;
  if (hasHeader(request.headers, 'if-none-match')) {
    const header = getHeader(request.headers, 'if-none-match');
    if (header?.trim() === '*') return true;
    const stored = parseEntityTag(entry.etag ?? undefined);
    // Without a stored entity tag nothing can match: skip reading the (possibly huge) list.
    return stored !== null && parseEntityTagList(header).tags.some((t) => weakMatch(t, stored));
  }
  const since = parseHttpDate(getHeader(request.headers, 'if-modified-since'));
  if (since === null) return false;
  // RFC 9111 §4.3.2: use Last-Modified, else the Date the response was stored with.
  const modified = entry.lastModified !== null ? parseHttpDate(entry.lastModified) : entry.date;
  return modified !== null && modified <= since;
}

/** R152 / RFC 9110 §15.4.5: the fields a 304 carries from the 200 it stands for. */
const NOT_MODIFIED_FIELDS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary'];

/**
 * Fields that describe how a response was delivered rather than the representation: `Age` (R157,
 * RFC 9111 §5.1: a cache sends it with what it serves from its store), `Cache-Status` (RFC 9211: the
 * members of every cache the stored response passed through) and its Vercel counterpart
 * `x-vercel-cache` (R32). A 304 from a cache carries them too (RFC 9110 §15.4.5 only limits
 * representation metadata): the layer below merges the 304 over its copy (R149), so without them the
 * upstream members and the age penalty (R33) would vanish at every 304 hop.
 */
export const DELIVERY_FIELDS: readonly string[] = ['age', 'cache-status', 'x-vercel-cache'];

/**
 * The headers of a 304 answered from a stored response, given the headers the 200 would have had
 * (after the layer's rewrite, with its Age): the R152 fields plus the DELIVERY_FIELDS.
 */
export function notModifiedHeaders(headers: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...NOT_MODIFIED_FIELDS, ...DELIVERY_FIELDS]) {
    const value = getHeader(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * R148 / RFC 9111 §4.3.1: the validators to send when revalidating a stored response:
 * `If-None-Match` with its entity tag and `If-Modified-Since` with its Last-Modified, when present.
 */
export function conditionalHeaders(entry: Pick<StoredEntry, 'etag' | 'lastModified'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (entry.etag !== null) out['if-none-match'] = entry.etag;
  if (entry.lastModified !== null) out['if-modified-since'] = entry.lastModified;
  return out;
}
