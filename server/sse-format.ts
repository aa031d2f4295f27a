import type { FeedMessage } from '../sdk/feed-event.ts';

const encoder = new TextEncoder();
/** Every connection gets the same message object from the bus: encode it once for all of them. */
const encoded = new WeakMap<FeedMessage, Uint8Array>();

/** One Server-Sent Event (HTML "Server-sent events" §9.2.6): the id is what EventSource sends back
 *  as Last-Event-ID when it reconnects. Our ids and JSON never contain a newline. */
export function sseEvent(message: FeedMessage): Uint8Array {
  let bytes = encoded.get(message);
  if (!bytes) {
    const { id, ...data } = message;
    bytes = encoder.encode(`id: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
    encoded.set(message, bytes);
  }
  return bytes;
}

export function sseText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Sets the client's cursor without an event: an `id` field and no data dispatches nothing (§9.2.6). */
export function sseCursor(id: string): string {
  return `event: hello\nid: ${id}\ndata: {}\n\n`;
}

export const SSE_HEARTBEAT = encoder.encode(': heartbeat\n\n');

export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
