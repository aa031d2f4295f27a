import type { RouteHeaderRuleConfig } from '../sdk/protocol.ts';
import { buildResponse, headerRecord } from './layers/http-message.ts';
import { compileRouteRules, mergeRouteHeaders, routeHeadersFor } from './policy/index.ts';

/**
 * R5: the route-config (vercel.json) headers enter where the origin's response enters the chain, so
 * every layer, the edge first, sees the merged set: per header name the function's value wins, a name
 * only the config sets is added, and R1 precedence is then evaluated over the result. Only the
 * worker's own origin has route config; other origins' responses pass unchanged.
 */
export function withRouteHeaders(
  fetch: (request: Request) => Promise<Response>,
  rules: readonly RouteHeaderRuleConfig[],
  origin: string,
): (request: Request) => Promise<Response> {
  if (rules.length === 0) return fetch;
  const compiled = compileRouteRules(rules);
  return async (request) => {
    const response = await fetch(request);
    const url = new URL(request.url);
    if (url.origin !== origin || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
    const route = routeHeadersFor(compiled, {
      path: url.pathname, query: url.search.slice(1), host: url.host, headers: headerRecord(request.headers),
    });
    if (Object.keys(route).length === 0) return response;
    const headers = mergeRouteHeaders(headerRecord(response.headers), route);
    return buildResponse({ status: response.status, statusText: response.statusText, headers, body: response.body });
  };
}
