/**
 * The request timeline's model. A row is born when the page sends a request and is completed by two
 * things that arrive independently: the response the page received (status, exact headers) and the
 * worker's decision record for it (onDecision). Records are paired with responses by URL, method and
 * the Cache-Status value both carry, so concurrent requests (a burst) pair up correctly. A record
 * that no page request explains (a background refresh, another tab) becomes a row of its own. A
 * corrected record (`revision`, same source and seq) replaces the one it corrects.
 */
import type { DecisionRecord } from '../../sdk/index.ts';

export interface PageResponse {
  status: number;
  /** Every header the page could read, in the order the browser lists them (lowercase names). */
  headers: [string, string][];
  /** The body's first bytes, when the sender read them (the devtools never read an app's body). */
  bodyPreview?: string | undefined;
  bodySize?: number | undefined;
  durationMs: number;
}

export interface TimelineRow {
  id: number;
  url: string;
  method: string;
  /** Page clock when sent. */
  sentAt: number;
  note: string | undefined;
  response: PageResponse | undefined;
  /** A network error the page saw instead of a response. */
  failure: string | undefined;
  record: DecisionRecord | undefined;
  /** The record came without a page request (a background refresh, `record.background`, or another tab). */
  unsolicited: boolean;
}

export class RequestLog {
  readonly rows: TimelineRow[] = [];
  /**
   * @param orphanAfterMs how long a record waits for a page request to claim it before it becomes a
   * row of its own (the demo sends every request itself; the devtools only see fetch() calls).
   */
  constructor(readonly orphanAfterMs = 1500) {}

  #nextId = 1;
  #orphans: { record: DecisionRecord; arrived: number }[] = [];
  #listeners = new Set<() => void>();

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  begin(url: string, method: string, note: string | undefined): TimelineRow {
    const row: TimelineRow = { id: this.#nextId++, url, method, sentAt: Date.now(), note, response: undefined, failure: undefined, record: undefined, unsolicited: false };
    this.rows.push(row);
    this.#changed();
    return row;
  }

  complete(row: TimelineRow, outcome: { response: PageResponse } | { failure: string }): void {
    if ('response' in outcome) row.response = outcome.response;
    else row.failure = outcome.failure;
    const index = this.#orphans.findIndex(({ record }) => pairs(row, record));
    if (index >= 0) {
      row.record = this.#orphans[index]?.record;
      this.#orphans.splice(index, 1);
    }
    this.#changed();
  }

  /** A decision record from the worker. */
  receive(record: DecisionRecord): void {
    // A corrected record (a layer's write abandoned after the headers left) replaces the one it corrects.
    if (record.revision && this.#amend(record)) return;
    // A background refresh (R12, R78) answers no page request: it is a row of its own at once.
    if (record.background) {
      this.rows.push({ id: this.#nextId++, url: record.url, method: record.method, sentAt: Date.now(), note: undefined, response: undefined, failure: undefined, record, unsolicited: true });
      this.#changed();
      return;
    }
    // Only rows whose response is known can be checked against the record's Cache-Status; a record
    // that arrives first waits for its response in complete().
    const row = this.rows.find((c) => !c.record && !c.unsolicited && (c.response || c.failure !== undefined) && pairs(c, record));
    if (row) row.record = record;
    else this.#orphans.push({ record, arrived: Date.now() });
    this.#changed();
  }

  /** Replaces the record with the same source and seq, wherever it is; false when none is here yet. */
  #amend(record: DecisionRecord): boolean {
    const same = (held: DecisionRecord | undefined) => held?.seq === record.seq && held?.source === record.source && (held?.revision ?? 0) < (record.revision ?? 0);
    const row = this.rows.find((r) => same(r.record));
    const orphan = this.#orphans.find((o) => same(o.record));
    if (row) row.record = record;
    else if (orphan) orphan.record = record;
    else return false;
    this.#changed();
    return true;
  }

  /** Records nobody claimed for a while become rows of their own; call periodically. */
  settle(now = Date.now()): void {
    const waiting = this.rows.some((row) => !row.response && !row.failure);
    const stale = this.#orphans.filter(({ arrived }) => now - arrived > this.orphanAfterMs && !waiting);
    if (stale.length === 0) return;
    for (const { record } of stale) {
      this.rows.push({ id: this.#nextId++, url: record.url, method: record.method, sentAt: now, note: undefined, response: undefined, failure: undefined, record, unsolicited: true });
    }
    this.#orphans = this.#orphans.filter((orphan) => !stale.includes(orphan));
    this.#changed();
  }

  clear(): void {
    this.rows.length = 0;
    this.#nextId = 1;
    this.#orphans = [];
    this.#changed();
  }
}

/** A record belongs to a row when URL and method match and, once the response is known, its Cache-Status. */
function pairs(row: TimelineRow, record: DecisionRecord): boolean {
  if (row.url !== record.url || row.method.toUpperCase() !== record.method.toUpperCase()) return false;
  if (!row.response) return row.failure !== undefined;
  const cacheStatus = row.response.headers.find(([name]) => name === 'cache-status')?.[1] ?? '';
  return cacheStatus === record.cacheStatus && row.response.status === record.status;
}
