import { getHeader } from './headers.ts';
import type { HeaderMap } from './types.ts';

/** A parsed `Vary` header (RFC 9110 §12.5.5). */
export interface VaryList {
  /** `Vary: *` — never matches another request (R147), never stored (R43). */
  readonly star: boolean;
  /** Lowercase, de-duplicated field names in order. */
  readonly names: readonly string[];
}

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses `Vary`: comma list of field names, case-insensitive (R55); invalid members are dropped. */
export function parseVary(value: string | undefined): VaryList {
  const names: string[] = [];
  let star = false;
  for (const part of (value ?? '').split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '*') star = true;
    else if (FIELD_NAME.test(name) && !names.includes(name)) names.push(name);
  }
  return { star, names };
}

/**
 * R55: the request values a stored response varies on (pass the names or a parsed VaryList), normalised so they can be compared later:
 * absent stays null; present values have each comma-separated element trimmed and are re-joined with ", ".
 */
export function varyValues(vary: readonly string[] | VaryList, requestHeaders: HeaderMap): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const names = 'names' in vary ? vary.names : vary;
  for (const name of names) out[name] = normalizeVaryValue(getHeader(requestHeaders, name));
  return out;
}

/** R55 normalisation of one request header value (null when absent). */
export function normalizeVaryValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim().replace(/[ \t]+/g, ' '))
    .join(', ');
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
