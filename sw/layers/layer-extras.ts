import type { LayerName } from '../../sdk/protocol.ts';
import type { LayerReport } from '../policy/index.ts';
import type { LayerDeps, Outgoing } from './exchange.ts';
import { visitorHeaders } from './visitor-headers.ts';

/** What one layer adds on top of the generic cache layer. */
export interface LayerExtras {
  /** Before the lookup: request headers this layer adds (they take part in Vary matching). */
  prepare(outgoing: Outgoing, deps: LayerDeps): void;
  /** Last touch on the headers handed down for a GET/HEAD. */
  finish(headers: Record<string, string>, report: LayerReport): Record<string, string>;
}

const none: LayerExtras = {
  prepare: () => {},
  finish: (headers) => headers,
};

let requestCounter = 0;

/**
 * The edge: simulated visitor location on every request it forwards or looks up (so
 * `Vary: X-Vercel-IP-Country` really varies), and x-vercel-cache on what it hands down (R32, R62).
 */
const edge: LayerExtras = {
  prepare(outgoing, deps) {
    const id = `${Date.now().toString(36)}-${(requestCounter++).toString(36)}`;
    for (const [name, value] of Object.entries(visitorHeaders(deps.visitor(), id))) outgoing.headers.set(name, value);
  },
  finish(headers, report) {
    // R66: no x-vercel-cache on non-GET/HEAD requests (the policy reports null then).
    return report.xVercelCache ? { ...headers, 'x-vercel-cache': report.xVercelCache.status } : headers;
  },
};

export function extrasFor(layer: LayerName): LayerExtras {
  return layer === 'edge' ? edge : none;
}
