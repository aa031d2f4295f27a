import { conditionalMatches, parseHttpDate, readValidators, type RequestInfo } from '../policy/index.ts';
import type { Exchange, Outgoing } from './exchange.ts';
import { buildResponse, discard, headerRecord } from './http-message.ts';

/**
 * The conditional request fields a cache evaluates itself (R151); If-Match and If-Unmodified-Since
 * are left to the origin.
 */
const CACHE_CONDITIONALS = ['if-none-match', 'if-modified-since'];

/**
 * RFC 9111 §4.3.1: a layer forwarding a request it has no stored response for (a miss, a deleted or
 * unusable entry) asks for the full response. Passing the downstream's validators on would
 * bring back a 304 this layer cannot store, so it would stay cold for as long as the layers below
 * hold a copy (a new deployment's edge playing MISS forever). The downstream's conditional is answered
 * here instead (answerConditional).
 */
export function unconditional(outgoing: Outgoing): Outgoing {
  if (!CACHE_CONDITIONALS.some((name) => outgoing.headers.has(name))) return outgoing;
  const headers = new Headers(outgoing.headers);
  for (const name of CACHE_CONDITIONALS) headers.delete(name);
  return { ...outgoing, headers };
}

/**
 * R151 / RFC 9111 §4.3.2: the downstream's own conditional (If-None-Match, weak comparison, else
 * If-Modified-Since) evaluated against the full 200 this layer just received: a 304 when its
 * validators match, else the full response unchanged. `receivedAt` stands in for a missing Date (R137).
 */
export function answerConditional(upstream: Exchange, request: RequestInfo, receivedAt: number): Exchange {
  const response = upstream.response;
  if (response.status !== 200 || !CACHE_CONDITIONALS.some((name) => request.headers[name] !== undefined)) return upstream;
  const headers = headerRecord(response.headers);
  const { etag, lastModified } = readValidators(headers);
  const date = parseHttpDate(headers['date']) ?? receivedAt;
  if (!conditionalMatches({ status: response.status, etag, lastModified, date }, request)) return upstream;
  discard(response);
  const notModified = buildResponse({ status: 304, statusText: 'Not Modified', headers: notModifiedFields(headers), body: null });
  return { ...upstream, response: notModified };
}

/** Fields of a body that a 304 has none of (RFC 9110 §15.4.5; a 304 merge never takes them, R149). */
const BODY_FIELDS = new Set(['content-length', 'content-encoding', 'content-range', 'transfer-encoding']);

/**
 * The 304 carries every other field of the 200 it stands for, as the origin's own 304 would: beyond
 * the R152 minimum, so a layer below that may not have stored this very response (this layer did
 * not store it, or stored another one) updates all of its stored fields from it (R149).
 */
function notModifiedFields(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!BODY_FIELDS.has(name)) out[name] = value;
  return out;
}
