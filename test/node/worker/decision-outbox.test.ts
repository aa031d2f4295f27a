/**
 * The outbox's corrections (issue 15: a layer abandons its write after the record was made), with a
 * real BroadcastChannel and a clock the test moves: a correction of a record not posted yet is folded
 * into it (posted once, corrected), one of a posted record is posted again (same seq, source and
 * producedAt, the next revision), now if a lease is live, else replayed to a lease that began before
 * the record. The browser tests (not-stored-records) check the same through the built worker.
 */
import { afterEach, expect, test } from 'vitest';
import type { DecisionMessage, DecisionRecord, ListeningMessage } from '../../../sdk/protocol.ts';
import { createDecisionOutbox } from '../../../sw/decision-outbox.ts';
import { AmendableRecord } from '../../../sw/layers/amendable-record.ts';

const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

function setup() {
  let now = 1_000_000;
  const name = `outbox-${Math.random()}`;
  const worker = new BroadcastChannel(name);
  const page = new BroadcastChannel(name);
  channels.push(worker, page);
  const posted: DecisionMessage[] = [];
  page.onmessage = (event: MessageEvent<DecisionMessage>) => {
    if (event.data.kind === 'decision') posted.push(event.data);
  };
  const outbox = createDecisionOutbox({ channel: worker, clock: () => now, source: 'w1', replayMs: 5000, replayCount: 200 });
  const lease = (since: number, until: number) => outbox.receive({ tag: 'tiercache/1', kind: 'listening', context: 'c1', since, until } satisfies ListeningMessage);
  /** A page request's record through the edge, handed over as handle-fetch.ts does. */
  const request = (url: string, defer: boolean) => {
    const base: DecisionRecord = {
      url, method: 'GET', at: now, status: 200, originContacted: true, cacheStatus: 'edge; fwd=uri-miss; stored', xVercelCache: 'MISS', error: undefined,
      layers: [{ layer: 'edge', outcome: 'miss', reason: 'cold', forwarded: true, stored: true }],
    };
    const record = new AmendableRecord(() => ({ ...base, layers: base.layers.map((d) => ({ ...d })) }));
    const published = (defer && outbox.defer(record.make)) || outbox.publish(record.make);
    record.handedOver(() => outbox.amend(published, record.make));
    return record;
  };
  const delivered = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20)); // BroadcastChannel delivers asynchronously
    return posted.map((m) => ({ url: m.record.url, seq: m.record.seq, source: m.source, producedAt: m.producedAt, revision: m.record.revision, edge: m.record.layers[0] }));
  };
  return { outbox, lease, request, delivered, tick: (ms: number) => (now += ms), now: () => now };
}

const tooLarge = { reason: 'too-large', limit: 10, bytes: 11, detail: 'StoreError: …' } as const;

test('a record corrected before it was posted is posted once, already saying not stored', async () => {
  const { lease, request, delivered, now } = setup();
  const since = now();
  const record = request('/a', true); // nobody listens: kept unbuilt
  record.layerNotStored('edge', tooLarge);
  lease(since, now() + 10_000); // replays it
  const seen = await delivered();
  expect(seen).toEqual([{ url: '/a', seq: 1, source: 'w1', producedAt: since, revision: 1, edge: { layer: 'edge', outcome: 'miss', reason: 'cold', forwarded: true, stored: false, notStored: tooLarge } }]);
});

test('a record corrected after it was posted is posted again: same seq, source and producedAt, the next revision', async () => {
  const { lease, request, delivered, tick, now } = setup();
  const producedAt = now();
  lease(producedAt, producedAt + 10_000);
  const record = request('/b', false);
  tick(3000);
  record.layerNotStored('edge', tooLarge);
  record.layerNotStored('edge', tooLarge); // one correction per layer
  const seen = await delivered();
  expect(seen.map(({ seq, source, revision, edge }) => [seq, source, revision, edge?.stored])).toEqual([[1, 'w1', undefined, true], [1, 'w1', 1, false]]);
  expect(seen[1]?.producedAt).toBe(producedAt);
});

test('a correction made while nobody listens is kept and replayed to a lease that began before the record, not to one that began after', async () => {
  const { lease, request, delivered, tick, now } = setup();
  const since = now();
  lease(since, since + 1000);
  const record = request('/c', false);
  tick(2000); // the lease ran out
  record.layerNotStored('edge', tooLarge);
  expect((await delivered()).map((m) => m.revision)).toEqual([undefined]);
  lease(now(), now() + 10_000); // began listening after the record: not for it
  expect((await delivered()).map((m) => m.revision)).toEqual([undefined]);
  lease(since, now() + 10_000);
  expect((await delivered()).map((m) => m.revision)).toEqual([undefined, 1]);
  lease(since, now() + 10_000); // replayed once
  expect((await delivered()).map((m) => m.revision)).toEqual([undefined, 1]);
});
