import type { RequestInfo, ResponseInfo } from '../policy/index.ts';
import type { Outgoing } from './exchange.ts';
import { headerRecord } from './http-message.ts';

const CACHE_MODES = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);

/** The policy's plain-data view of a request as this layer forwards it (R156 cache mode included). */
export function requestInfo(outgoing: Outgoing, deploymentId: string, region?: string): RequestInfo {
  const mode = outgoing.request.cache;
  return {
    method: outgoing.request.method.toUpperCase(),
    url: outgoing.request.url,
    headers: headerRecord(outgoing.headers),
    cache: CACHE_MODES.has(mode) ? (mode) : 'default',
    deploymentId,
    region, // R24
  };
}

/** Body size from Content-Length when known (R40); the buffered length replaces it before storing. */
export function responseInfo(response: Response, bodySize?: number): ResponseInfo {
  const length = response.headers.get('content-length');
  const declared = length === null || !/^\d+$/.test(length) ? undefined : Number(length);
  return { status: response.status, headers: headerRecord(response.headers), bodySize: bodySize ?? declared };
}
