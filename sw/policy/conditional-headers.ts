import type { StoredEntry } from './stored-entry.ts';

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
