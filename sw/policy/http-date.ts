/**
 * HTTP dates (RFC 9110 §5.6.7): recipients accept IMF-fixdate, the obsolete RFC 850 form and asctime.
 * Anything else is invalid (null); callers decide what invalid means (R137: an invalid Expires is
 * "already expired", an invalid Date is replaced by the receipt time).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850 = /^([A-Za-z]{6,9}), (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sun Nov  6 08:49:37 1994
const ASCTIME = /^([A-Za-z]{3}) ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** Parses an HTTP date to epoch milliseconds, or null when it is not a valid HTTP date. */
export function parseHttpDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  let m = IMF.exec(text);
  if (m) return build({ day: m[1], dd: m[2], mon: m[3], year: Number(m[4]), hh: m[5], mm: m[6], ss: m[7] }, DAYS);
  m = RFC850.exec(text);
  if (m) {
    // Deviation: RFC 9110 §5.6.7 resolves two-digit years against the current year; this module is pure
    // (no clock), so it uses the fixed pivot 70 (00–69 → 20xx, 70–99 → 19xx).
    const yy = Number(m[4]);
    const year = yy < 70 ? 2000 + yy : 1900 + yy;
    return build({ day: m[1], dd: m[2], mon: m[3], year, hh: m[5], mm: m[6], ss: m[7] }, LONG_DAYS);
  }
  m = ASCTIME.exec(text);
  if (m) return build({ day: m[1], dd: m[3], mon: m[2], year: Number(m[7]), hh: m[4], mm: m[5], ss: m[6] }, DAYS);
  return null;
}

/** Formats epoch milliseconds as an IMF-fixdate. */
export function formatHttpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

interface Parts {
  day: string | undefined;
  dd: string | undefined;
  mon: string | undefined;
  year: number;
  hh: string | undefined;
  mm: string | undefined;
  ss: string | undefined;
}

function build(p: Parts, dayNames: readonly string[]): number | null {
  if (!dayNames.includes((p.day ?? '').toLowerCase())) return null;
  const month = MONTHS.indexOf((p.mon ?? '').toLowerCase());
  const day = Number((p.dd ?? '').trim());
  const hour = Number(p.hh);
  const minute = Number(p.mm);
  const second = Number(p.ss);
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(p.year, month, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), 0);
  const ms = date.getTime();
  // Reject dates like 31 Feb that would silently roll over.
  if (!Number.isFinite(ms) || date.getUTCDate() !== day) return null;
  return ms;
}
