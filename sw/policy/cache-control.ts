import { buildDirectives, parseDeltaSeconds, type DirectiveArgument } from './build-directives.ts';
import { freezeParsed, type DirectiveMember, type ParsedDirectives, type ParseIssue } from './directives.ts';
import { memoizeByText } from './memo.ts';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses a Cache-Control field value with the lenient RFC 9111 §5.2 grammar: comma-separated
 * `token [ "=" ( token / quoted-string ) ]`, commas inside quoted strings do not split, names are
 * case-insensitive, duplicates keep the first occurrence (R23), malformed members are skipped and
 * reported. Never throws. Results are shared and frozen (memoised by value, see memo.ts).
 */
export function parseCacheControl(value: string | undefined): ParsedDirectives {
  return parseMemo(value ?? '');
}

const parseMemo = memoizeByText(parseUncached, freezeParsed);

function parseUncached(raw: string): ParsedDirectives {
  const issues: ParseIssue[] = [];
  const members: DirectiveMember[] = [];
  const seen = new Set<string>();
  for (const text of splitMembers(raw)) {
    const member = parseMember(text);
    if (!member) {
      issues.push({ code: 'syntax-error', directive: '', detail: `skipped ${JSON.stringify(text.slice(0, 40))}` });
      continue;
    }
    if (seen.has(member.name)) {
      // R23 / RFC 9111 §4.2.1: with duplicates, the first occurrence is used.
      issues.push({ code: 'duplicate', directive: member.name, detail: 'first occurrence used (R23)' });
      continue;
    }
    seen.add(member.name);
    members.push(member);
  }
  const built = buildDirectives(
    members.map((m) => ({ name: m.name, argument: toArgument(m.value) })),
    'lenient',
  );
  return { raw, usable: true, directives: built.directives, members, issues: [...issues, ...built.issues] };
}

/** Serialises members in canonical form: lowercase names, token values bare, others quoted. */
export function formatDirectives(members: readonly DirectiveMember[]): string {
  return members
    .map((m) => (m.value === null ? m.name : `${m.name}=${TOKEN.test(m.value) ? m.value : quote(m.value)}`))
    .join(', ');
}

/** Canonical form of a Cache-Control value (idempotent: normalising twice changes nothing). */
export function normalizeCacheControl(value: string | undefined): string {
  return formatDirectives(parseCacheControl(value).members);
}

function toArgument(value: string | null): DirectiveArgument {
  if (value === null) return { kind: 'bare' };
  const delta = parseDeltaSeconds(value);
  return delta ? { kind: 'integer', value: delta.value, overflow: delta.overflow } : { kind: 'string', value };
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Splits on commas that are outside quoted strings; drops empty members (RFC 9110 §5.6.1).
 * One pass over char codes, no intermediate list of empty members: linear on hostile 256 KiB values.
 */
function splitMembers(raw: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (quoted && c === BACKSLASH) i++;
    else if (c === QUOTE) quoted = !quoted;
    else if (c === COMMA && !quoted) {
      pushTrimmed(out, raw, start, i);
      start = i + 1;
    }
  }
  pushTrimmed(out, raw, start, raw.length);
  return out;
}

function pushTrimmed(out: string[], raw: string, start: number, end: number): void {
  if (start === end) return;
  const member = raw.slice(start, end).trim();
  if (member.length > 0) out.push(member);
}

function parseMember(text: string): DirectiveMember | null {
  const eq = text.indexOf('=');
  const name = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
  if (!TOKEN.test(name)) return null;
  if (eq === -1) return { name, value: null, raw: text };
  const rest = text.slice(eq + 1).trim();
  if (rest.startsWith('"')) {
    const unquoted = unquote(rest);
    if (unquoted === null) return null;
    return { name, value: unquoted, raw: text };
  }
  // Lenient: a non-token value is kept as text; a delta directive then reports it as invalid (R139).
  return { name, value: rest, raw: text };
}

/** RFC 9110 §5.6.4 quoted-string; returns null when unterminated or followed by junk. */
function unquote(text: string): string | null {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\') {
      i++;
      out += text[i] ?? '';
    } else if (c === '"') {
      return i === text.length - 1 ? out : null;
    } else {
      out += c;
    }
  }
  return null;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
