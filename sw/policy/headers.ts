import type { HeaderMap } from './types.ts';

/** Any header list the caller may have: entries (e.g. `[...headers]`) or a plain object. */
export type HeaderInput = Iterable<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;

/**
 * Normalises a header list to a HeaderMap: lowercase names, values trimmed, several field lines of one
 * name combined with ", " in order (RFC 9110 §5.3). Never throws.
 */
export function normalizeHeaders(input: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const key = name.trim().toLowerCase();
    if (key.length === 0) return;
    const v = value.trim();
    const prev = getHeader(out, key);
    // Empty field lines add no list members (RFC 9110 §5.6.1), which also keeps normalisation idempotent.
    setField(out, key, prev === undefined || prev === '' ? v : v === '' ? prev : `${prev}, ${v}`);
  };
  if (isIterable(input)) {
    for (const [name, value] of input) add(String(name), String(value));
  } else {
    for (const [name, value] of Object.entries(input)) {
      if (Array.isArray(value)) for (const v of value as readonly string[]) add(name, String(v));
      else add(name, String(value));
    }
  }
  return out;
}

/**
 * Sets a field by a name that came from outside. `record[name] = value` with the (valid) field name
 * `__proto__` would change the object's prototype or be ignored instead of adding a header.
 */
export function setField<T>(record: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}

/** Reads one header; `names` must be lowercase. Returns undefined when absent. */
export function getHeader(headers: HeaderMap, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
}

/** True when the header is present (even with an empty value). */
export function hasHeader(headers: HeaderMap, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(headers, name);
}

/** Returns a copy without the given lowercase names. */
export function withoutHeaders(headers: HeaderMap, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { ...headers };
  for (const name of names) delete out[name];
  return out;
}

function isIterable(input: HeaderInput): input is Iterable<readonly [string, string]> {
  return typeof (input as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/** R35: response headers route config can never set or override. */
export const RESERVED_RESPONSE_HEADERS: readonly string[] = ['x-matched-path', 'server', 'content-length'];

/**
 * R5/R6: merges the function's response headers with headers from route config (`vercel.json` /
 * `next.config.js`). Per header name the function's value wins; a name only the config sets is still
 * applied — except the reserved names (R35). Precedence (R1) is then evaluated on the result.
 */
export function mergeRouteHeaders(functionHeaders: HeaderInput, configHeaders: HeaderInput): Record<string, string> {
  const fromFunction = normalizeHeaders(functionHeaders);
  const fromConfig = normalizeHeaders(configHeaders);
  const out: Record<string, string> = { ...fromFunction };
  for (const [name, value] of Object.entries(fromConfig)) {
    if (RESERVED_RESPONSE_HEADERS.includes(name)) continue;
    if (!Object.prototype.hasOwnProperty.call(out, name)) setField(out, name, value);
  }
  return out;
}
