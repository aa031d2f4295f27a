import type { HeaderMap } from './types.ts';

/** Connection-specific fields that are never forwarded, named or not in `Connection` (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade'];

/**
 * RFC 9111 §3.1: a cache must not store (and so never replays) the `Connection` field, the fields it
 * names and the other hop-by-hop fields; they described one connection, not the response. Names are
 * lower case in a HeaderMap; the input is returned as is when there is nothing to drop.
 */
export function withoutHopByHop(headers: HeaderMap): HeaderMap {
  const named = (headers['connection'] ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const drop = [...HOP_BY_HOP, ...named].filter((name) => name in headers);
  if (drop.length === 0) return headers;
  const out: Record<string, string> = { ...headers };
  for (const name of drop) delete out[name];
  return out;
}
