import { getHeader, setField } from './headers.ts';
import { listMembers } from './list-members.ts';
import { memoizeByText } from './memo.ts';
import type { HeaderMap } from './types.ts';

/** A parsed `Vary` header (RFC 9110 §12.5.5). */
export interface VaryList {
  /** `Vary: *` — never matches another request (R147), never stored (R43). */
  readonly star: boolean;
  /** Lowercase, de-duplicated field names in order. */
  readonly names: readonly string[];
}

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Deviation: a `Vary` naming more than this many fields is treated as `Vary: *` (never matches, never
 * stored, R43). RFC 9111 §3 lets a cache decline to store anything; real responses vary on a handful of
 * fields, and a hostile origin's 32k-name Vary would otherwise cost every lookup (and every stored
 * record) 32k header comparisons.
 */
export const MAX_VARY_FIELDS = 128;

/**
 * Parses `Vary`: comma list of field names, case-insensitive (R55); invalid members are dropped.
 * Linear in the value's length (a Set de-duplicates): a hostile origin's huge Vary must not stall the worker.
 * Results are shared and frozen (memoised by value, see memo.ts).
 */
export function parseVary(value: string | undefined): VaryList {
  return parseVaryMemo(value ?? '');
}

const parseVaryMemo = memoizeByText((value: string): VaryList => {
  const names = new Set<string>();
  let star = false;
  for (const part of listMembers(value)) {
    const name = part.toLowerCase();
    if (name === '*') star = true;
    else if (FIELD_NAME.test(name)) names.add(name);
    if (names.size > MAX_VARY_FIELDS) return { star: true, names: [] };
  }
  return { star, names: [...names] };
}, (list) => Object.freeze({ star: list.star, names: Object.freeze(list.names) }));

/**
 * R55: the request values a stored response varies on (pass the names or a parsed VaryList), normalised so they can be compared later:
 * absent stays null; present values have each comma-separated element trimmed and are re-joined with ", ".
 */
export function varyValues(vary: readonly string[] | VaryList, requestHeaders: HeaderMap): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const names = 'names' in vary ? vary.names : vary;
  for (const name of names) setField(out, name, normalizeVaryValue(getHeader(requestHeaders, name)));
  return out;
}

/** R55 normalisation of one request header value (null when absent). */
export function normalizeVaryValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  // The common single value needs no work (and no allocation): this runs for every stored variant on every lookup.
  if (!value.includes(',') && !needsCollapse(value) && value.trim() === value) return value;
  // Without any whitespace only the separators change (native split/join; replaceAll is several times slower).
  if (!/\s/.test(value)) return value.split(',').join(', ');
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = (parts[i] ?? '').trim();
    parts[i] = needsCollapse(part) ? part.replace(/[ \t]+/g, ' ') : part;
  }
  return parts.join(', ');
}

function needsCollapse(text: string): boolean {
  return text.includes('\t') || text.includes('  ');
}

/**
 * R147/R55: a stored response matches a request when every header it varies on has the same normalised
 * value (absent matches absent; present vs absent does not). `Vary: *` never matches.
 */
export function varyMatches(
  stored: { readonly varyStar: boolean; readonly varyValues: Readonly<Record<string, string | null>> },
  requestHeaders: HeaderMap,
): boolean {
  if (stored.varyStar) return false;
  for (const name of Object.keys(stored.varyValues)) {
    if ((stored.varyValues[name] ?? null) !== normalizeVaryValue(getHeader(requestHeaders, name))) return false;
  }
  return true;
}
