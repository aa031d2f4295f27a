/**
 * Sends one request of the route the way a page would (a plain fetch, the worker in between) and
 * records exactly what the page got back. Headers are read from the Response the page received, not
 * from the worker's record, so the timeline shows what a developer would see in their own code.
 */
import type { RouteDraft } from '../types.ts';
import { routeUrl } from './origin-client.ts';
import type { PageResponse, RequestLog, TimelineRow } from '../../devtools/views.ts';

const PREVIEW_BYTES = 160;

export async function sendRequest(log: RequestLog, draft: RouteDraft, note?: string): Promise<TimelineRow> {
  const url = routeUrl(draft.path);
  const row = log.begin(url, draft.method, note);
  const started = performance.now();
  try {
    const response = await fetch(url, { method: draft.method, headers: requestHeaders(draft) });
    log.complete(row, { response: await readResponse(response, started) });
  } catch (error) {
    log.complete(row, { failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
  return row;
}

/** Several requests at once: concurrent misses for one key make one origin request (R59). */
export async function sendBurst(log: RequestLog, draft: RouteDraft, count: number, note?: string): Promise<TimelineRow[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => sendRequest(log, draft, i === 0 ? note : undefined)));
}

function requestHeaders(draft: RouteDraft): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(draft.requestHeaders)) if (value.trim() !== '') headers.set(name, value.trim());
  return headers;
}

async function readResponse(response: Response, started: number): Promise<PageResponse> {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => headers.push([name, value]));
  const bytes = new Uint8Array(await response.arrayBuffer());
  const bodyPreview = new TextDecoder().decode(bytes.subarray(0, PREVIEW_BYTES)) + (bytes.length > PREVIEW_BYTES ? '…' : '');
  return { status: response.status, headers, bodyPreview, bodySize: bytes.length, durationMs: Math.round(performance.now() - started) };
}
