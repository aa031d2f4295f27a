/**
 * The non-empty, trimmed members of a comma-separated list field without quoted strings (RFC 9110 §5.6.1:
 * empty elements are ignored), e.g. `Vary` or `Vercel-Cache-Tag` (R73: a comma always separates).
 *
 * Why not `value.split(',')`: a hostile 256 KiB value of bare commas would allocate 262,144 empty
 * strings per call; this allocates only the members it yields. Linear in the value's length.
 */
export function* listMembers(value: string): Generator<string, void, undefined> {
  let start = 0;
  while (start <= value.length) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    if (end > start) {
      const member = value.slice(start, end).trim();
      if (member.length > 0) yield member;
    }
    start = end + 1;
  }
}
