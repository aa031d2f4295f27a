/**
 * A tiny absolute-URL parser and RFC 3986 §5 reference resolver: sw/policy has no URL class
 * (lib ES2022 only), and it only needs origin comparison, query removal and Location resolution.
 */

export interface ParsedUrl {
  /** Lowercase, without ':' (e.g. `https`). */
  readonly scheme: string;
  /** Lowercase host with port when present (e.g. `example.com:8080`); default ports removed. */
  readonly authority: string;
  /** Path, at least `/` for hierarchical URLs. */
  readonly path: string;
  /** Query including `?`, or ''. */
  readonly query: string;
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };

/** Parses an absolute hierarchical URL; null when it is not one. Userinfo is dropped. */
export function parseUrl(url: string): ParsedUrl | null {
  const m = ABSOLUTE.exec(url.trim());
  if (!m) return null;
  const scheme = (m[1] ?? '').toLowerCase();
  let authority = (m[2] ?? '').replace(/^.*@/, '').toLowerCase();
  const port = DEFAULT_PORTS[scheme];
  if (port !== undefined && authority.endsWith(`:${port}`)) authority = authority.slice(0, -port.length - 1);
  return { scheme, authority, path: m[3] || '/', query: m[4] ?? '' };
}

/** Serialises a ParsedUrl (no fragment). */
export function formatUrl(u: ParsedUrl): string {
  return `${u.scheme}://${u.authority}${u.path}${u.query}`;
}

/** `scheme://authority` of an absolute URL, or null. */
export function originOf(url: string): string | null {
  const u = parseUrl(url);
  return u ? `${u.scheme}://${u.authority}` : null;
}

/** RFC 3986 §5.2 reference resolution against an absolute base; null when the base is not absolute. */
export function resolveUrl(reference: string, base: string): string | null {
  const ref = withoutFragment(reference.trim());
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) {
    const abs = parseUrl(ref);
    return abs ? formatUrl({ ...abs, path: removeDotSegments(abs.path) }) : null;
  }
  const b = parseUrl(base);
  if (!b) return null;
  if (ref.startsWith('//')) {
    const abs = parseUrl(`${b.scheme}:${ref}`);
    return abs ? formatUrl({ ...abs, path: removeDotSegments(abs.path) }) : null;
  }
  const q = ref.indexOf('?');
  const refPath = q === -1 ? ref : ref.slice(0, q);
  const refQuery = q === -1 ? '' : ref.slice(q);
  if (refPath === '') return formatUrl({ ...b, query: refQuery || b.query });
  const merged = refPath.startsWith('/') ? refPath : `${b.path.slice(0, b.path.lastIndexOf('/') + 1)}${refPath}`;
  return formatUrl({ ...b, path: removeDotSegments(merged), query: refQuery });
}

/**
 * Drops `#fragment`. indexOf, not `/#.*$/`: `.` stops at line terminators, so that pattern retries at
 * every `#` and goes quadratic on `####…\n`.
 */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** RFC 3986 §5.2.4. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] ?? '';
    const last = i === segments.length - 1;
    if (s === '.' || s === '..') {
      if (s === '..' && out.length > 1) out.pop();
      if (last) out.push('');
    } else {
      out.push(s);
    }
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}
