/**
 * Plain-language sentences for the worker's decisions, each citing the spec rule it applies. Only
 * words: the decision itself always comes from the worker's record (outcome + machine reason).
 */
import type { LayerDecision, LayerName, NotStored } from '../sdk/index.ts';

export const layerTitles: Record<LayerName, string> = { edge: 'Vercel edge', cdn: 'Downstream CDN', browser: 'Browser' };

interface Sentence {
  text: string;
  rule: string;
}

/** Reason ids → sentence. Unknown reasons fall back to a sentence per outcome. */
const byReason: [string, Sentence][] = [
  // x-vercel-cache reasons (R62) and the demo-only ones
  ['cold', { text: 'nothing stored for this key yet, so it asked the next layer', rule: 'R50, R62' }],
  ['collapsed', { text: 'another request for the same key was already on its way; this one waited for it', rule: 'R59' }],
  ['expired', { text: 'the stored copy was past its lifetime and stale window, so it fetched again', rule: 'R60' }],
  ['stale_time', { text: 'the copy was stale but inside stale-while-revalidate: served at once, refreshed in the background', rule: 'R12' }],
  ['stale_tag', { text: 'the tag was invalidated: served the old copy and regenerated it in the background', rule: 'R78' }],
  ['stale_error', { text: 'the origin failed, and stale-if-error allowed serving the old copy', rule: 'R14, R144' }],
  ['tag_deleted', { text: 'the tag was deleted: the request waited for the origin', rule: 'R79' }],
  ['forced', { text: 'Pragma: no-cache forced a synchronous revalidation', rule: 'R56' }],
  ['vary_key_denied:cookie', { text: 'Vary: Cookie is never cached', rule: 'R44' }],
  // policy engine reasons (evaluate, revalidation, storage)
  ['fresh', { text: 'its stored copy was fresh, so nothing further was asked', rule: 'R62, RFC 9111 §4.2' }],
  ['immutable', { text: 'the copy is fresh and immutable: served without revalidation', rule: 'R20, RFC 8246' }],
  ['stale-time', { text: 'the copy was stale but inside stale-while-revalidate: served at once, refreshed in the background', rule: 'R12' }],
  ['tag-invalidated', { text: 'the tag was invalidated: served the old copy and regenerated it in the background', rule: 'R78' }],
  ['tag-delete-deadline', { text: 'the tag is being deleted after a deadline: stale until then, refreshed in the background', rule: 'R79' }],
  ['tag-deleted', { text: 'the tag was deleted: the request waited for the origin', rule: 'R79' }],
  ['not-modified', { text: 'it revalidated its stale copy; the upstream said 304 Not Modified, so the copy was refreshed', rule: 'R148, RFC 9111 §4.3.4' }],
  ['full-response', { text: 'it revalidated its stale copy and got a new response', rule: 'RFC 9111 §4.3' }],
  ['stale-if-error', { text: 'the upstream failed, and stale-if-error allowed serving the old copy', rule: 'R144, RFC 5861 §4' }],
  ['revalidation-error', { text: 'the background refresh failed; it keeps serving the last good copy', rule: 'R58' }],
  ['error-response', { text: 'the upstream answered with an error, passed on and not stored', rule: 'R46, R61' }],
  ['network-error', { text: 'the upstream could not be reached; the error was passed on', rule: 'R61' }],
  ['pragma-no-cache', { text: 'Pragma: no-cache forced a synchronous revalidation', rule: 'R56' }],
  ['request-no-cache', { text: 'the request asked for revalidation (no-cache)', rule: 'R156' }],
  ['no-entry', { text: 'nothing stored for this key, so it asked the next layer', rule: 'R62' }],
  ['vary-mismatch', { text: 'a copy exists, but for other values of the Vary headers', rule: 'R52, R55' }],
  ['stale', { text: 'the copy was past its lifetime (and any stale window), so it revalidated', rule: 'R60, RFC 9111 §4.3' }],
  ['stored', { text: 'it stored the response for later requests', rule: 'R9' }],
  ['static', { text: 'static files are always cached for the whole deployment', rule: 'R48' }],
  ['method', { text: 'only GET and HEAD are cached; the request went through', rule: 'R36, R153' }],
  ['write-through', { text: 'unsafe methods are written through and invalidate the URL', rule: 'R153' }],
  ['range', { text: 'the request had a Range header: passed through, never stored', rule: 'R37' }],
  ['authorization', { text: 'the request carried Authorization: a shared cache never stores it, even if public', rule: 'R38, R21' }],
  ['status', { text: 'the status is not one this layer stores (200, 404, 301, 302, 307, 308 at the edge)', rule: 'R39' }],
  ['too-large', { text: 'the body is over 10 MB: delivered, not stored', rule: 'R40' }],
  ['set-cookie', { text: 'the response sets a cookie: a shared cache does not store it', rule: 'R41, P1' }],
  ['no-store', { text: 'no-store: delivered, not stored', rule: 'R17, R42' }],
  ['private', { text: 'private: only the browser may store it', rule: 'R16, R42' }],
  ['no-cache', { text: 'no-cache: the edge does not store it', rule: 'R17, R42' }],
  ['vary-star', { text: 'Vary: * is treated like private', rule: 'R43' }],
  ['vary-cookie', { text: 'Vary: Cookie is never cached', rule: 'R44' }],
  ['no-s-maxage', { text: 'Cache-Control without s-maxage does not cache at the edge', rule: 'R9, A2' }],
  ['no-explicit-freshness', { text: 'no lifetime for this layer in the headers, so nothing was stored', rule: 'RFC 9111 §3' }],
  ['zero-lifetime', { text: 'a lifetime of 0 with no stale window: nothing worth storing', rule: 'R10, A3' }],
  ['storage-error', { text: 'its storage failed; the request fell back to the network', rule: 'architecture' }],
];

const byOutcome: Record<LayerDecision['outcome'], Sentence> = {
  hit: { text: 'a fresh copy was stored here, so nothing further was asked', rule: 'R62' },
  stale: { text: 'served a stale copy', rule: 'R12' },
  miss: { text: 'no usable copy here; the request went on', rule: 'R62' },
  revalidated: { text: 'the stored copy was revalidated or regenerated before answering', rule: 'R62' },
  bypass: { text: 'this layer did not take part in this request', rule: 'R66' },
  error: { text: 'this layer hit an error and fell back to the network', rule: 'architecture' },
};

export function narrate(decision: LayerDecision): Sentence {
  const match = byReason.find(([reason]) => decision.reason === reason);
  const sentence = match?.[1] ?? byOutcome[decision.outcome];
  const stored = decision.notStored
    ? ` It set out to store the response but kept nothing: ${notStoredWhy(decision.notStored)}.`
    : decision.stored && decision.outcome !== 'hit' ? ' It stored the response.' : '';
  return { text: capitalize(sentence.text) + '.' + stored, rule: sentence.rule };
}

/** The short label of a write abandoned after the headers left (the record's correction). */
export function notStoredLabel(notStored: NotStored): string {
  const sizes = `${bytes(notStored.bytes)} > ${bytes(notStored.limit)}`;
  switch (notStored.reason) {
    case 'too-large':
      return `not stored: too large (${sizes}, R40)`;
    case 'over-budget':
      return `not stored: over budget (${sizes})`;
    case 'storage-error':
      return 'not stored: storage failed';
    case 'body-error':
      return 'not stored: body failed';
  }
}

function notStoredWhy(notStored: NotStored): string {
  switch (notStored.reason) {
    case 'too-large':
      return `the body passed the ${bytes(notStored.limit)} it stores (${bytes(notStored.bytes)} had arrived when it stopped, R40); the page still got all of it`;
    case 'over-budget':
      return `the body passed its ${bytes(notStored.limit)} budget (${bytes(notStored.bytes)} had arrived when it stopped); the page still got all of it`;
    case 'storage-error':
      return `its storage failed (${notStored.detail})`;
    case 'body-error':
      return `the body failed on its way (${notStored.detail})`;
  }
}

function bytes(count: number | undefined): string {
  return count === undefined ? '?' : `${count.toLocaleString('en-US')} bytes`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
