/**
 * The typed view of a cache directive list, shared by the lenient Cache-Control parser and the strict
 * targeted-field parser. Times are delta-seconds (integers, 0 ≤ n ≤ 2^31, R139).
 */

/** RFC 9111 §1.2.2: a cache that cannot represent a larger value uses 2^31. */
export const MAX_DELTA_SECONDS = 2147483648;

/** R10/R13: Vercel's one-year ceiling and the bare `stale-while-revalidate` fallback. */
export const ONE_YEAR_SECONDS = 31536000;

/** Effective directives. Absent numeric directives are `undefined`. */
export interface Directives {
  readonly maxAge?: number | undefined;
  readonly sMaxage?: number | undefined;
  /** A number, or undefined; a bare directive sets `staleWhileRevalidateBare` instead (R13). */
  readonly staleWhileRevalidate?: number | undefined;
  readonly staleWhileRevalidateBare: boolean;
  readonly staleIfError?: number | undefined;
  /** Request directive; a bare `max-stale` is MAX_DELTA_SECONDS (any staleness, RFC 9111 §5.2.1.2). */
  readonly maxStale?: number | undefined;
  readonly minFresh?: number | undefined;
  readonly noStore: boolean;
  /** `no-cache`, qualified or not (R135 treats `no-cache="x"` as unqualified). */
  readonly noCache: boolean;
  readonly noCacheFields: readonly string[];
  /** `private`, qualified or not (R135). */
  readonly private: boolean;
  readonly privateFields: readonly string[];
  readonly public: boolean;
  readonly mustRevalidate: boolean;
  readonly proxyRevalidate: boolean;
  readonly immutable: boolean;
  readonly noTransform: boolean;
  readonly onlyIfCached: boolean;
  readonly mustUnderstand: boolean;
}

/** One member as written, kept so rewriting can drop members without reformatting the others. */
export interface DirectiveMember {
  /** Lowercase name. */
  readonly name: string;
  /** Unquoted value; null for a bare directive. */
  readonly value: string | null;
  /** The member's original text, trimmed (e.g. `max-age=10`, `no-cache="set-cookie"`). */
  readonly raw: string;
}

export type ParseIssueCode =
  | 'invalid-value'
  | 'duplicate'
  | 'unknown-directive'
  | 'bare-stale-while-revalidate'
  | 'overflow'
  | 'syntax-error'
  | 'empty';

/** A problem the parser saw; parsing never throws. */
export interface ParseIssue {
  readonly code: ParseIssueCode;
  /** Directive name, or '' for whole-field problems. */
  readonly directive: string;
  readonly detail: string;
}

/** The result of parsing one directive field. */
export interface ParsedDirectives {
  /** Field value as received ('' when absent). */
  readonly raw: string;
  /** False when the field must be ignored as a whole (targeted-field parse error or empty, R3/R160). */
  readonly usable: boolean;
  readonly directives: Directives;
  /** Members in order, after duplicate resolution (CC: first wins; targeted: last wins, R23). */
  readonly members: readonly DirectiveMember[];
  readonly issues: readonly ParseIssue[];
}

export const EMPTY_DIRECTIVES: Directives = Object.freeze({
  staleWhileRevalidateBare: false,
  noStore: false,
  noCache: false,
  noCacheFields: [],
  private: false,
  privateFields: [],
  public: false,
  mustRevalidate: false,
  proxyRevalidate: false,
  immutable: false,
  noTransform: false,
  onlyIfCached: false,
  mustUnderstand: false,
});

/** Directives whose argument is delta-seconds. */
export const DELTA_DIRECTIVES: ReadonlySet<string> = new Set([
  'max-age',
  's-maxage',
  'stale-while-revalidate',
  'stale-if-error',
  'max-stale',
  'min-fresh',
]);

/** Directives this engine understands (R22: everything else is ignored but kept for forwarding). */
export const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set([
  ...DELTA_DIRECTIVES,
  'no-store',
  'no-cache',
  'private',
  'public',
  'must-revalidate',
  'proxy-revalidate',
  'immutable',
  'no-transform',
  'only-if-cached',
  'must-understand',
]);

/** Freezes a parse result and everything in it, so it can be shared (memo.ts). */
export function freezeParsed(parsed: ParsedDirectives): ParsedDirectives {
  Object.freeze(parsed.directives.noCacheFields);
  Object.freeze(parsed.directives.privateFields);
  Object.freeze(parsed.directives);
  for (const member of parsed.members) Object.freeze(member);
  for (const issue of parsed.issues) Object.freeze(issue);
  Object.freeze(parsed.members);
  Object.freeze(parsed.issues);
  return Object.freeze(parsed);
}
