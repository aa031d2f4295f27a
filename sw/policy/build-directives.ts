import {
  EMPTY_DIRECTIVES,
  DELTA_DIRECTIVES,
  KNOWN_DIRECTIVES,
  MAX_DELTA_SECONDS,
  type Directives,
  type ParseIssue,
} from './directives.ts';

/** A directive argument as a parser saw it. `integer` only for plain non-negative digit strings. */
export type DirectiveArgument =
  | { readonly kind: 'bare' }
  | { readonly kind: 'false' }
  | { readonly kind: 'integer'; readonly value: number; readonly overflow: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'other'; readonly value: string };

export interface DirectiveEntry {
  readonly name: string;
  readonly argument: DirectiveArgument;
}

/**
 * `lenient` (Cache-Control): an invalid max-age / s-maxage makes the response stale (R139: treated as 0);
 * quoted integers are accepted (RFC 9111 §5.2 "recipients ought to accept both forms").
 * `strict` (targeted fields): a non-Integer value is not consumed at all (R159).
 */
export type BuildMode = 'lenient' | 'strict';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses delta-seconds (RFC 9111 §1.2.2); overflow saturates at 2^31 (R139). */
export function parseDeltaSeconds(text: string): { value: number; overflow: boolean } | null {
  if (text.length === 0 || !/^[0-9]+$/.test(text)) return null;
  const digits = text.replace(/^0+(?=[0-9])/, '');
  if (digits.length > 10) return { value: MAX_DELTA_SECONDS, overflow: true };
  const value = Number(digits);
  return value > MAX_DELTA_SECONDS ? { value: MAX_DELTA_SECONDS, overflow: true } : { value, overflow: false };
}

/** Builds the typed directive view from entries that are already de-duplicated. */
export function buildDirectives(
  entries: readonly DirectiveEntry[],
  mode: BuildMode,
): { directives: Directives; issues: ParseIssue[] } {
  // A copy of the shared defaults: never hand out EMPTY_DIRECTIVES' own arrays in a mutable result.
  const d: Mutable<Directives> = { ...EMPTY_DIRECTIVES, noCacheFields: [], privateFields: [] };
  const issues: ParseIssue[] = [];
  for (const { name, argument } of entries) {
    if (!KNOWN_DIRECTIVES.has(name)) {
      issues.push({ code: 'unknown-directive', directive: name, detail: 'ignored (R22)' });
      continue;
    }
    if (argument.kind === 'false') continue;
    if (DELTA_DIRECTIVES.has(name)) applyDelta(d, name, argument, mode, issues);
    else applyFlag(d, name, argument);
  }
  return { directives: d, issues };
}

function applyDelta(
  d: Mutable<Directives>,
  name: string,
  argument: DirectiveArgument,
  mode: BuildMode,
  issues: ParseIssue[],
): void {
  let seconds: number | undefined;
  if (argument.kind === 'integer') {
    seconds = argument.value;
    if (argument.overflow) issues.push({ code: 'overflow', directive: name, detail: `treated as ${MAX_DELTA_SECONDS} (R139)` });
  } else if (argument.kind === 'string' && mode === 'lenient') {
    const parsed = parseDeltaSeconds(argument.value);
    if (parsed) seconds = parsed.value;
  }
  if (seconds === undefined && argument.kind === 'bare') {
    if (name === 'stale-while-revalidate') {
      d.staleWhileRevalidateBare = true;
      issues.push({ code: 'bare-stale-while-revalidate', directive: name, detail: 'no value (R13)' });
      return;
    }
    if (name === 'max-stale') {
      d.maxStale = MAX_DELTA_SECONDS; // RFC 9111 §5.2.1.2: no value = any staleness
      return;
    }
  }
  if (seconds === undefined) {
    issues.push({ code: 'invalid-value', directive: name, detail: describe(argument) });
    // R139: an invalid freshness value is treated conservatively as "already stale" in Cache-Control;
    // R159: in a targeted field it is simply not consumed.
    if (mode === 'lenient' && (name === 'max-age' || name === 's-maxage')) seconds = 0;
    else return;
  }
  setDelta(d, name, seconds);
}

function setDelta(d: Mutable<Directives>, name: string, seconds: number): void {
  switch (name) {
    case 'max-age': d.maxAge = seconds; break;
    case 's-maxage': d.sMaxage = seconds; break;
    case 'stale-while-revalidate': d.staleWhileRevalidate = seconds; break;
    case 'stale-if-error': d.staleIfError = seconds; break;
    case 'max-stale': d.maxStale = seconds; break;
    default: d.minFresh = seconds;
  }
}

function applyFlag(d: Mutable<Directives>, name: string, argument: DirectiveArgument): void {
  const fields = argument.kind === 'string' || argument.kind === 'other' ? splitFieldNames(argument.value) : [];
  switch (name) {
    case 'no-store': d.noStore = true; break;
    case 'no-cache': d.noCache = true; d.noCacheFields = fields; break;
    case 'private': d.private = true; d.privateFields = fields; break;
    case 'public': d.public = true; break;
    case 'must-revalidate': d.mustRevalidate = true; break;
    case 'proxy-revalidate': d.proxyRevalidate = true; break;
    case 'immutable': d.immutable = true; break;
    case 'no-transform': d.noTransform = true; break;
    case 'only-if-cached': d.onlyIfCached = true; break;
    default: d.mustUnderstand = true;
  }
}

function splitFieldNames(value: string): string[] {
  return value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
}

function describe(argument: DirectiveArgument): string {
  switch (argument.kind) {
    case 'bare': return 'missing value';
    case 'integer': return String(argument.value);
    case 'false': return '?0';
    default: return `not delta-seconds: ${JSON.stringify(argument.value.slice(0, 40))}`;
  }
}
