import { getHeader } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { HeaderMap } from './types.ts';

/** An entity tag (RFC 9110 §8.8.3). `opaque` includes the quotes, e.g. `"v1"`. */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/** The validators a stored response carries (R148). */
export interface Validators {
  /** The ETag exactly as received (e.g. `W/"v1"`), or null. */
  readonly etag: string | null;
  /** The Last-Modified value as received, or null. */
  readonly lastModified: string | null;
  /** Last-Modified parsed to ms, or null when absent/invalid. */
  readonly lastModifiedMs: number | null;
}

const ETAG = /^(W\/)?("[\x21\x23-\x7e\x80-\uffff]*")$/;

/** Parses one entity tag; null when invalid. */
export function parseEntityTag(value: string | undefined): EntityTag | null {
  if (value === undefined) return null;
  const m = ETAG.exec(value.trim());
  return m && m[2] !== undefined ? { weak: m[1] !== undefined, opaque: m[2] } : null;
}

const OPAQUE_TAG = /^"[\x21\x23-\x7e\x80-\uffff]*"$/;

/**
 * Parses an `If-None-Match`-style list: `*` or a comma list of entity tags (invalid members dropped).
 * Scans quote to quote (what the pattern `(W/)?"[^"]*"` matches, left to right) without a match
 * object per tag: linear and cheap on hostile 256 KiB lists.
 */
export function parseEntityTagList(value: string | undefined): { any: boolean; tags: EntityTag[] } {
  const text = (value ?? '').trim();
  if (text === '*') return { any: true, tags: [] };
  const tags: EntityTag[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    const close = open === -1 ? -1 : text.indexOf('"', open + 1);
    if (close === -1) break;
    const weak = open - 2 >= from && text.startsWith('W/', open - 2);
    const opaque = text.slice(open, close + 1);
    if (OPAQUE_TAG.test(opaque)) tags.push({ weak, opaque });
    from = close + 1;
  }
  return { any: false, tags };
}

/** RFC 9110 §8.8.3.2 weak comparison: opaque tags equal, weakness ignored. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** RFC 9110 §8.8.3.2 strong comparison: both strong and equal. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Reads the validators of a response (R148). */
export function readValidators(headers: HeaderMap): Validators {
  const etag = parseEntityTag(getHeader(headers, 'etag'));
  const lastModified = getHeader(headers, 'last-modified')?.trim() ?? null;
  return {
    etag: etag ? `${etag.weak ? 'W/' : ''}${etag.opaque}` : null,
    lastModified: lastModified && lastModified.length > 0 ? lastModified : null,
    lastModifiedMs: parseHttpDate(lastModified ?? undefined),
  };
}
