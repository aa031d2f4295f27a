// Why each test that tiercache does not pass stays that way. report.mjs refuses to write the README
// while a failure (⛔️) in any mode has no entry here. `sw`: a Service Worker (or the page) cannot do
// it; `spec`: a decision of ../shared/spec/semantics.md or of the policy README.

const SET_COOKIE = {
  why: 'sw',
  text: '`Set-Cookie` / `Set-Cookie2` are forbidden response-header names: Chromium removes them from every response a Service Worker sees (semantics.md P1), so the worker can neither store nor replay them. Shared layers also never store such responses (user-needs A7).',
};
const CLEAR_SITE_DATA = {
  why: 'sw',
  text: 'Chromium acts on `Clear-Site-Data` in its network stack and removes it from every response script sees (checked: neither a page\'s `fetch()` nor the worker\'s has it), so the worker cannot store or replay it. Chrome\'s published result fails these tests too.',
};

export const failures = {
  'headers-store-Set-Cookie': SET_COOKIE,
  'headers-store-Set-Cookie2': SET_COOKIE,
  '304-etag-update-response-Set-Cookie': SET_COOKIE,
  '304-etag-update-response-Set-Cookie2': SET_COOKIE,
  'headers-store-Clear-Site-Data': CLEAR_SITE_DATA,
  '304-etag-update-response-Clear-Site-Data': CLEAR_SITE_DATA,
  'age-parse-prefix': {
    why: 'spec',
    text: 'An `Age` that is not exactly one delta-seconds value counts as 2^31 s, so the response is stale on arrival (sw/policy/README.md "Deviations"; like R139 for an invalid `max-age`). That passes the nine other invalid-`Age` tests; this one expects `0,7200` (no space) to be read as `0`, while its sibling `age-parse-prefix-twoline` expects `0, 7200` (two lines, which Fetch joins with a space) to be stale. A worker only ever sees the joined value, so one rule cannot pass both; tiercache takes the conservative side.',
  },
  'surrogate-no-store-cc-fresh': {
    why: 'spec',
    text: 'tiercache\'s shared layers read the RFC 9213 targeted fields (`CDN-Cache-Control`, and `Vercel-CDN-Cache-Control` at the edge) before `Cache-Control` (R1); the pre-standard `Surrogate-Control` is not on any layer\'s list, so its `no-store` is not seen.',
  },
  'surrogate-fresh-cc-nostore': {
    why: 'spec',
    text: '`Surrogate-Control` is not on any layer\'s list of targeted fields (R1: RFC 9213 `CDN-Cache-Control`, and `Vercel-CDN-Cache-Control` at the edge), so its `max-age` is not seen: `Cache-Control: no-store` decides and nothing is stored.',
  },
};

/** Short reasons for the optimal tests (⚠️) not met, by test id prefix; the README lists them too. */
export const optional = [
  ['partial-', 'spec', 'Range requests bypass every layer and 206 responses are never stored (R37, P4: Cache Storage rejects 206).'],
  ['method-POST', 'spec', 'Responses to POST are never stored (R36, R133).'],
  ['vary-normalise-lang', 'spec', 'Vary values are compared after whitespace/case normalisation only (R55); `Accept-Language` lists are not parsed.'],
  ['freshness-expires-invalid-date', 'spec', 'An `Expires` that is not a valid HTTP-date means already expired (R137); the response is not reused.'],
  ['surrogate-', 'spec', '`Surrogate-Control` is not a field tiercache reads (R1: RFC 9213 targeted fields only).'],
  ['conditional-', 'sw', 'The page\'s conditional `fetch()` (If-None-Match / If-Modified-Since) reaches the worker with Chromium\'s cache mode `no-cache` (P3), which upstream means `Cache-Control: max-age=0` (R156); a shared layer obeys it and revalidates with the origin instead of answering the 304 itself (R151). The suite\'s Node client sends no such header. (13 tests that depend on these are not run in the shared modes.)'],
  ['vary-', 'spec', 'Variant selection per R147/R55.'],
  ['other-cookie', 'sw', 'A worker cannot see the `Cookie` request header (P2), so responses to requests that may carry cookies are treated conservatively.'],
];
