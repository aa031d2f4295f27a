import type { FeedMessage } from '../sdk/feed-event.ts';

/** One Server-Sent Event (HTML "Server-sent events" §9.2.6): the id is what EventSource sends back
 *  as Last-Event-ID when it reconnects. Our ids and JSON never contain a newline. */
export function sseEvent(message: FeedMessage): string {
  const { id, ...data } = message;
  return `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Sets the client's cursor without an event: an `id` field and no data dispatches nothing (§9.2.6). */
export function sseCursor(id: string): string {
  return `event: hello\nid: ${id}\ndata: {}\n\n`;
}

export const SSE_HEARTBEAT = ': heartbeat\n\n';

export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
