/**
 * Watches the page's own fetch() calls so the timeline can show the headers the page really received
 * (the worker's record says what each layer did, not what reached the page). It wraps `fetch` on the
 * given window, reads only the status and headers (never the body, which belongs to the app), and
 * restores the original on stop. Requests the worker does not handle (`handled` false) are not logged.
 */
import type { PageResponse, RequestLog } from './request-log.ts';

export function observeFetch(target: Window & typeof globalThis, log: RequestLog, handled: (url: string) => boolean, paused: () => boolean): () => void {
  const original = target.fetch.bind(target);
  const observed: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : new URL(input instanceof URL ? input.href : input, target.location.href).href;
    if (paused() || !handled(url)) return original(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const row = log.begin(url, method, undefined);
    const started = performance.now();
    try {
      const response = await original(input, init);
      const headers: PageResponse['headers'] = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      log.complete(row, { response: { status: response.status, headers, durationMs: Math.round(performance.now() - started) } });
      return response;
    } catch (error) {
      log.complete(row, { failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      throw error;
    }
  };
  // Kept as is (not bound) so stop() puts back the very function that was there.
  const unwrapped: unknown = Reflect.get(target, 'fetch');
  target.fetch = observed;
  return () => {
    // Only undo our own wrapper: something wrapped fetch after us keeps working (it calls ours).
    if (target.fetch === observed) Reflect.set(target, 'fetch', unwrapped);
  };
}
