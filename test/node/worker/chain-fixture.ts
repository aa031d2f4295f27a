/**
 * handleFetch with injected dependencies, in node: the real layers, policy and memory store; a
 * scripted fetch stands in for the network; the clock is a number the test moves.
 */
import type { DecisionRecord, LayerName, VisitorLocation } from '../../../sdk/protocol.ts';
import { handleFetch } from '../../../sw/handle-fetch.ts';
import { CacheLayer } from '../../../sw/layers/cache-layer.ts';
import { extrasFor } from '../../../sw/layers/layer-extras.ts';
import type { StoredRecord } from '../../../sw/layers/stored-record.ts';
import { createLayerPolicy, type ProfileName } from '../../../sw/policy/index.ts';
import { createMemoryStore, type HttpStore } from '../../../sw/store/index.ts';

export const ORIGIN = 'https://site.test';

export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  fail?: boolean;
  /** Resolve only after this many ms of real time (to overlap concurrent requests). */
  delayMs?: number;
}

export function createChain(options: { layers: LayerName[]; profile?: ProfileName; store?: HttpStore<StoredRecord> }) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const pending: Promise<unknown>[] = [];
  const errors: unknown[] = [];
  const decisions: DecisionRecord[] = [];
  const requests: Request[] = [];
  const scripts = new Map<string, Scripted[]>();
  let visitor: VisitorLocation | null = null;
  const store = options.store ?? createMemoryStore<StoredRecord>({ now: () => clock });
  const layers = options.layers.map(
    (name) =>
      new CacheLayer({
        policy: createLayerPolicy({ layer: name, profile: options.profile ?? 'vercel', flags: { staticPathPrefixes: ['/assets/'] } }),
        store,
        deployment: 'dpl_test',
        extras: extrasFor(name),
      }),
  );
  const network = async (request: Request): Promise<Response> => {
    requests.push(request);
    const list = scripts.get(new URL(request.url).pathname) ?? [];
    const script = list.length > 1 ? list.shift()! : list[0];
    if (!script) return new Response('no script', { status: 404 });
    if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
    if (script.fail) throw new TypeError('fetch failed');
    const headers = { date: new Date(clock).toUTCString(), ...script.headers };
    return new Response(script.body ?? 'ok', { status: script.status ?? 200, headers });
  };
  return {
    store,
    layers,
    errors,
    decisions,
    requests,
    script: (path: string, responses: Scripted[]) => scripts.set(path, [...responses]),
    advance: (seconds: number) => (clock += seconds * 1000),
    setVisitor: (location: VisitorLocation | null) => (visitor = location),
    /** Everything handed to waitUntil (background refreshes, writes) has settled. */
    settle: async () => {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
    fetch: async (path: string, init?: RequestInit) => {
      const response = await handleFetch(new Request(ORIGIN + path, init), {
        fetch: network,
        origin: ORIGIN,
        now: () => clock,
        waitUntil: (promise) => pending.push(promise),
        layers,
        clockOffsetMs: () => 0,
        visitor: () => visitor,
        upstreamTimeoutMs: 200,
        onError: (error) => errors.push(error),
        onDecision: (make) => ({ seq: decisions.push(make()), producedAt: 0 }),
      });
      return { response, body: await response.text(), status: response.status, header: (name: string) => response.headers.get(name) };
    },
  };
}
