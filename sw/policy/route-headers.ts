/**
 * Route-config headers (`vercel.json` / `next.config.js` `headers`), R5: which rules match a request,
 * the way Vercel matches them. headers.ts's mergeRouteHeaders then puts them *under* the function's
 * own headers, per header name.
 *
 * `source` uses path-to-regexp v6 syntax, compiled as Vercel's routing-utils do (`strict: true,
 * sensitive: true, delimiter: '/'`): the whole path must match, case-sensitively, with no implicit
 * trailing slash. Supported: literals, `:name`, `:name(regex)`, `(regex)`, and the `?` `*` `+`
 * modifiers (a `/` or `.` before a parameter is its optional prefix). `{…}` groups are not, and a
 * `cookie` condition cannot be checked in a Service Worker (the browser never shows it the Cookie
 * header); such rules are returned as `skipped`, never half-applied.
 */

export interface RouteCondition {
  readonly type: 'header' | 'query' | 'host' | 'cookie';
  /** The header, query or cookie name (not used for `host`). */
  readonly key?: string;
  /** A regular expression the whole value must match; absent: the key only has to be present. */
  readonly value?: string;
}

export interface RouteHeaderRule {
  readonly source: string;
  readonly headers: readonly { readonly key: string; readonly value: string }[];
  readonly has?: readonly RouteCondition[];
  readonly missing?: readonly RouteCondition[];
}

/** The request facts a rule is matched on (the worker fills them from the Request). */
export interface RouteRequest {
  /** The URL path, percent-encoded as sent (`/blog/a%20b`). */
  readonly path: string;
  /** The query without `?` (`a=1&b=2`). */
  readonly query: string;
  readonly host: string;
  /** Request header values by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface CompiledRouteRule {
  readonly index: number;
  readonly pattern: RegExp;
  readonly has: readonly CompiledCondition[];
  readonly missing: readonly CompiledCondition[];
  readonly headers: readonly { readonly key: string; readonly value: string }[];
}

interface CompiledCondition {
  readonly type: 'header' | 'query' | 'host';
  readonly key: string;
  readonly value: RegExp | undefined;
}

export interface SkippedRouteRule {
  readonly index: number;
  readonly source: string;
  readonly reason: string;
}

export interface CompiledRouteRules {
  readonly rules: readonly CompiledRouteRule[];
  readonly skipped: readonly SkippedRouteRule[];
}

/** Compiles the rules once; a rule this emulation cannot express is skipped with the reason. */
export function compileRouteRules(rules: readonly RouteHeaderRule[]): CompiledRouteRules {
  const compiled: CompiledRouteRule[] = [];
  const skipped: SkippedRouteRule[] = [];
  rules.forEach((rule, index) => {
    try {
      compiled.push({
        index,
        pattern: sourcePattern(rule.source),
        has: (rule.has ?? []).map(compileCondition),
        missing: (rule.missing ?? []).map(compileCondition),
        headers: rule.headers,
      });
    } catch (error) {
      skipped.push({ index, source: rule.source, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  return { rules: compiled, skipped };
}

/**
 * The config headers for a request, by lower-case name. Every matching rule applies, in file order;
 * a later rule setting the same name wins (Vercel applies all matching header routes in order).
 * `:name` in a value is replaced by that parameter's match.
 */
export function routeHeadersFor(compiled: CompiledRouteRules, request: RouteRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of compiled.rules) {
    const match = rule.pattern.exec(request.path);
    if (!match) continue;
    if (!rule.has.every((c) => conditionHolds(c, request)) || rule.missing.some((c) => conditionHolds(c, request))) continue;
    for (const { key, value } of rule.headers) out[key.toLowerCase()] = substitute(value, match.groups);
  }
  return out;
}

const DEFAULT_SEGMENT = '[^\\/#\\?]+?';
const NAME = /^[A-Za-z0-9_]+/;

/** path-to-regexp v6 (strict, sensitive, delimiter `/`) → an anchored RegExp with named groups. */
function sourcePattern(source: string): RegExp {
  if (typeof source !== 'string' || !source.startsWith('/')) throw new Error('source must start with "/"');
  let out = '';
  let unnamed = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      out += escapeRegExp(source[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (ch === '{' || ch === '}') throw new Error('{…} groups are not supported');
    if (ch === '?' || ch === '*' || ch === '+') throw new Error(`"${ch}" at ${i} must follow a parameter or group`);
    if (ch !== ':' && ch !== '(') {
      out += escapeRegExp(ch);
      i += 1;
      continue;
    }
    // A parameter: `:name`, `:name(regex)` or `(regex)`, then an optional modifier.
    let name: string;
    if (ch === ':') {
      const found = NAME.exec(source.slice(i + 1));
      if (!found) throw new Error(`missing parameter name at ${i}`);
      name = found[0];
      if (/^\d/.test(name)) throw new Error(`parameter name "${name}" must not start with a digit`);
      i += 1 + name.length;
    } else {
      name = `_${unnamed++}`;
    }
    let inner = DEFAULT_SEGMENT;
    if (source[i] === '(') {
      const end = groupEnd(source, i);
      inner = source.slice(i + 1, end);
      if (inner.startsWith('?') && !inner.startsWith('?:') && !inner.startsWith('?=') && !inner.startsWith('?!')) {
        throw new Error(`group at ${i} must not start with "?"`);
      }
      i = end + 1;
    }
    const modifier = source[i] === '?' || source[i] === '*' || source[i] === '+' ? (source[i] as string) : '';
    if (modifier) i += 1;
    // The `/` or `.` written just before a parameter is its prefix: optional together with it.
    const prefix = out.endsWith('\\/') ? '\\/' : out.endsWith('\\.') ? '\\.' : '';
    if (prefix) out = out.slice(0, -prefix.length);
    const group = `(?<${name}>`;
    if (modifier === '*' || modifier === '+') {
      const repeated = `${group}(?:${inner})(?:${prefix}(?:${inner}))*)`;
      out += modifier === '*' ? `(?:${prefix}${repeated})?` : `${prefix}${repeated}`;
    } else {
      out += `(?:${prefix}${group}${inner}))${modifier}`;
    }
  }
  try {
    return new RegExp(`^${out}$`);
  } catch (error) {
    throw new Error(`not a valid pattern: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let j = start; j < source.length; j++) {
    if (source[j] === '\\') j += 1;
    else if (source[j] === '(') depth += 1;
    else if (source[j] === ')' && --depth === 0) return j;
  }
  throw new Error(`unbalanced "(" at ${start}`);
}

function compileCondition(condition: RouteCondition): CompiledCondition {
  if (condition.type === 'cookie') throw new Error('"cookie" conditions cannot be checked by a Service Worker (it never sees the Cookie header)');
  if (condition.type !== 'header' && condition.type !== 'query' && condition.type !== 'host') {
    throw new Error(`unknown condition type "${String(condition.type)}"`);
  }
  if (condition.type !== 'host' && typeof condition.key !== 'string') throw new Error(`a "${condition.type}" condition needs a key`);
  if (condition.type === 'host' && typeof condition.value !== 'string') throw new Error('a "host" condition needs a value');
  let value: RegExp | undefined;
  if (condition.value !== undefined) {
    try {
      value = new RegExp(`^(?:${condition.value})$`);
    } catch (error) {
      throw new Error(`condition value ${JSON.stringify(condition.value)} is not a valid regular expression`, { cause: error });
    }
  }
  // Header names are case-insensitive; query keys are not.
  const key = condition.key ?? '';
  return { type: condition.type, key: condition.type === 'header' ? key.toLowerCase() : key, value };
}

function conditionHolds(condition: CompiledCondition, request: RouteRequest): boolean {
  const actual = condition.type === 'host' ? request.host : condition.type === 'header' ? request.headers[condition.key] : queryValue(request.query, condition.key);
  if (actual === undefined) return false;
  return condition.value === undefined || condition.value.test(actual);
}

function queryValue(query: string, key: string): string | undefined {
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (name === key) return decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
  }
  return undefined;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function substitute(value: string, groups: Record<string, string | undefined> | undefined): string {
  if (!groups) return value;
  return value.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => groups[name] ?? whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
