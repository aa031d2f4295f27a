import { normalizeHeaders, type HeaderInput } from './headers.ts';

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
    if (!Object.prototype.hasOwnProperty.call(out, name)) out[name] = value;
  }
  return out;
}
