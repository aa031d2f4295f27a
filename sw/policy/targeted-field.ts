import { buildDirectives, type DirectiveArgument } from './build-directives.ts';
import { parseCacheControl } from './cache-control.ts';
import { EMPTY_DIRECTIVES, freezeParsed, type DirectiveMember, type ParsedDirectives } from './directives.ts';
import { memoizeByText } from './memo.ts';

/**
 * Parses `CDN-Cache-Control` / `Vercel-CDN-Cache-Control` as a strict RFC 8941 §4.2.2 Dictionary
 * (RFC 9213 §2.1). Any syntax error, or an empty field, makes the whole field unusable (R3, R158, R160);
 * duplicate keys keep the last value (R160); parameters are ignored (R159). With `lenient`
 * (the `lenientTargetedParsing` flag, A1) the Cache-Control parser is used instead. Never throws.
 * Results are shared and frozen (memoised by value, see memo.ts).
 */
export function parseTargetedField(value: string | undefined, options?: { lenient?: boolean }): ParsedDirectives {
  const raw = value ?? '';
  if (options?.lenient) {
    const parsed = parseCacheControl(raw);
    return parsed.members.length === 0 ? unusable(raw, 'empty', 'empty field (R3)') : parsed;
  }
  return parseStrictMemo(raw);
}

const parseStrictMemo = memoizeByText(parseStrict, freezeParsed);

function parseStrict(raw: string): ParsedDirectives {
  const input = trimSpacesAndTabs(raw);
  if (input.length === 0) return unusable(raw, 'empty', 'empty field (R3, R160)');
  const result = new DictionaryParser(input).parse();
  if (typeof result === 'string') return unusable(raw, 'syntax-error', `${result} (R3, R158, R160)`);
  const entries = [...result.values()];
  const built = buildDirectives(entries, 'strict');
  const members: DirectiveMember[] = entries.map((e) => ({ name: e.name, value: argumentText(e.argument), raw: e.raw }));
  return { raw, usable: true, directives: built.directives, members, issues: built.issues };
}

/**
 * RFC 8941 §4.2 discards leading and trailing SP (HTTP also strips HTAB). A loop, not `/[ \t]+$/`:
 * that pattern backtracks quadratically over inner runs of spaces (`x<64 KiB of spaces>x`: 26 s).
 */
function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceOrTab(text.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function unusable(raw: string, code: 'empty' | 'syntax-error', detail: string): ParsedDirectives {
  return { raw, usable: false, directives: EMPTY_DIRECTIVES, members: [], issues: [{ code, directive: '', detail }] };
}

function argumentText(argument: DirectiveArgument): string | null {
  switch (argument.kind) {
    case 'bare': return null;
    case 'false': return '?0';
    case 'integer': return String(argument.value);
    default: return argument.value;
  }
}

interface Entry {
  readonly name: string;
  readonly argument: DirectiveArgument;
  readonly raw: string;
}

const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;

/** A small recursive-descent RFC 8941 parser; methods return an error string on failure. */
class DictionaryParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  parse(): Map<string, Entry> | string {
    const out = new Map<string, Entry>();
    for (;;) {
      const start = this.pos;
      const name = this.key();
      if (name === null) return `invalid key at ${this.pos}`;
      let argument: DirectiveArgument = { kind: 'bare' };
      if (this.s[this.pos] === '=') {
        this.pos++;
        const item = this.s[this.pos] === '(' ? this.innerList() : this.bareItem();
        if (typeof item === 'string') return item;
        argument = item;
      }
      const params = this.parameters();
      if (params !== null) return params;
      out.delete(name); // RFC 8941 keeps the last value; re-insert so order follows the winner
      out.set(name, { name, argument, raw: this.s.slice(start, this.pos) });
      this.skipOws();
      if (this.pos >= this.s.length) return out;
      if (this.s[this.pos] !== ',') return `expected "," at ${this.pos}`;
      this.pos++;
      this.skipOws();
      if (this.pos >= this.s.length) return 'trailing comma';
    }
  }

  private key(): string | null {
    const start = this.pos;
    if (!KEY_START.test(this.s[this.pos] ?? '')) return null;
    while (KEY_CHAR.test(this.s[this.pos] ?? '')) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private parameters(): string | null {
    while (this.s[this.pos] === ';') {
      this.pos++;
      while (this.s[this.pos] === ' ') this.pos++;
      if (this.key() === null) return `invalid parameter key at ${this.pos}`;
      if (this.s[this.pos] === '=') {
        this.pos++;
        const item = this.bareItem();
        if (typeof item === 'string') return item;
      }
    }
    return null;
  }

  private innerList(): DirectiveArgument | string {
    const start = this.pos++;
    for (;;) {
      while (this.s[this.pos] === ' ') this.pos++;
      if (this.s[this.pos] === ')') {
        this.pos++;
        const params = this.parameters();
        return params ?? { kind: 'other', value: this.s.slice(start, this.pos) };
      }
      const item = this.bareItem();
      if (typeof item === 'string') return item;
      const params = this.parameters();
      if (params !== null) return params;
      const next = this.s[this.pos];
      if (next !== ' ' && next !== ')') return `bad inner list at ${this.pos}`;
    }
  }

  private bareItem(): DirectiveArgument | string {
    const c = this.s[this.pos] ?? '';
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (c === '"') return this.string();
    if (c === '?') return this.boolean();
    if (c === ':') return this.bytes();
    if (c === '@') {
      this.pos++;
      const n = this.number();
      return typeof n === 'string' || n.kind !== 'integer' ? 'bad date' : { kind: 'other', value: `@${n.value}` };
    }
    if (/[A-Za-z*]/.test(c)) return this.token();
    return `unexpected ${JSON.stringify(c)} at ${this.pos}`;
  }

  private number(): DirectiveArgument | string {
    const m = /^(-?)([0-9]{1,15})(?:\.([0-9]{1,3}))?(?![0-9.])/.exec(this.s.slice(this.pos));
    if (!m) return `bad number at ${this.pos}`;
    const [text, sign, int = '', frac] = m;
    if (frac !== undefined && int.length > 12) return `decimal too long at ${this.pos}`;
    this.pos += text.length;
    if (frac !== undefined || sign === '-') return { kind: 'other', value: text };
    const value = Number(int);
    return value > 2147483648 ? { kind: 'integer', value: 2147483648, overflow: true } : { kind: 'integer', value, overflow: false };
  }

  private string(): DirectiveArgument | string {
    let out = '';
    for (this.pos++; this.pos < this.s.length; this.pos++) {
      const c = this.s[this.pos] ?? '';
      if (c === '\\') {
        const n = this.s[++this.pos];
        if (n !== '"' && n !== '\\') return `bad escape at ${this.pos}`;
        out += n;
      } else if (c === '"') {
        this.pos++;
        return { kind: 'string', value: out };
      } else if (c < ' ' || c > '~') {
        return `invalid character in string at ${this.pos}`;
      } else {
        out += c;
      }
    }
    return 'unterminated string';
  }

  private boolean(): DirectiveArgument | string {
    const v = this.s[this.pos + 1];
    if (v !== '0' && v !== '1') return `bad boolean at ${this.pos}`;
    this.pos += 2;
    return v === '1' ? { kind: 'bare' } : { kind: 'false' };
  }

  private bytes(): DirectiveArgument | string {
    const m = /^:([A-Za-z0-9+/=]*):/.exec(this.s.slice(this.pos));
    if (!m) return `bad byte sequence at ${this.pos}`;
    this.pos += m[0].length;
    return { kind: 'other', value: m[0] };
  }

  private token(): DirectiveArgument {
    const start = this.pos++;
    while (TOKEN_CHAR.test(this.s[this.pos] ?? '')) this.pos++;
    return { kind: 'other', value: this.s.slice(start, this.pos) };
  }

  private skipOws(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }
}
