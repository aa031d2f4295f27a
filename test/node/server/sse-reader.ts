/** A test-side SSE client over fetch (as EventSource reads: id, event, data fields, HTML §9.2.6). */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseReader {
  status: number;
  events: SseEvent[];
  comments: number;
  /** Resolves once `predicate` holds for the events so far (polled as chunks arrive). */
  until(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let comments = 0;
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  let buffered = '';
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0 || current.id !== undefined) events.push({ id: current.id, event: current.event ?? 'message', data: current.data.join('\n') });
            current = { data: [] };
          } else if (line.startsWith(':')) comments++;
          else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
            else if (field === 'data') current.data.push(value);
          }
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted
    }
    for (const wake of waiters) wake();
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    status: response.status,
    events,
    get comments() {
      return comments;
    },
    until(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(events)) {
            cleanup();
            resolve();
          } else if (done) {
            cleanup();
            reject(new Error(`stream ended after ${events.length} events`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${events.length} events`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    ended,
    close: () => abort.abort(),
  };
}

/** The invalidation events (not hello/heartbeats) as parsed JSON with their ids. */
export function invalidations(events: SseEvent[]): ({ id: string } & Record<string, unknown>)[] {
  return events.filter((e) => e.event === 'message').map((e) => ({ id: e.id ?? '', ...(JSON.parse(e.data) as Record<string, unknown>) }));
}
