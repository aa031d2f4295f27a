/**
 * Everything the toolbar, the presets and the scenario player can do, in one place. Each action goes
 * through the SDK controller or the local origin, then refreshes the lanes (inspect()) and the origin
 * count, so every view shows what the worker and the origin report, never a guess.
 */
import type { LayerName } from '../../sdk/index.ts';
import type { RouteDraft, Step } from '../types.ts';
import { LaneHistory, RequestLog, type TimelineRow } from '../../devtools/views.ts';
import { originHits, resetOrigin, routeUrl, scriptRoute } from './origin-client.ts';
import { sendBurst, sendRequest } from './send-request.ts';
import type { WorkerSession } from './worker-session.ts';

const WAIT_MS = 3000;

export class Actions {
  readonly log = new RequestLog();
  readonly history = new LaneHistory();
  draft: RouteDraft;
  originCount = 0;
  #listeners = new Set<() => void>();

  constructor(
    readonly session: WorkerSession,
    initial: RouteDraft,
  ) {
    this.draft = initial;
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  setDraft(draft: RouteDraft): void {
    this.draft = draft;
    this.#changed();
  }

  async send(note?: string): Promise<void> {
    await scriptRoute(this.draft, this.session.workerNow());
    await this.#settle([await sendRequest(this.log, this.draft, note)]);
  }

  async burst(count: number, note?: string): Promise<void> {
    await scriptRoute(this.draft, this.session.workerNow());
    await this.#settle(await sendBurst(this.log, this.draft, count, note));
  }

  /** Waits for each row's decision record and, after a STALE, for the background refresh to land. */
  async #settle(rows: TimelineRow[]): Promise<void> {
    await until(() => rows.every((row) => row.record !== undefined), WAIT_MS);
    const refreshing = rows.flatMap((row) => row.record?.layers.filter((d) => d.outcome === 'stale' && !d.reason.includes('error')) ?? []);
    if (refreshing.length > 0) {
      const layers = new Set(refreshing.map((d) => d.layer));
      await until(async () => {
        const { entries } = await this.session.inspect();
        return [...layers].every((layer) => entries.some((e) => e.layer === layer && this.belongs(e.url) && e.status === 'fresh' && !e.invalidated));
      }, WAIT_MS);
    }
    await this.refresh();
  }

  belongs = (url: string): boolean => {
    try {
      return new URL(url, location.origin).pathname === new URL(routeUrl(this.draft.path)).pathname;
    } catch {
      return false;
    }
  };

  /** Re-reads the worker's entries and the origin's hit count. */
  async refresh(): Promise<void> {
    if (this.session.state.connected) this.history.update(await this.session.inspect(), this.belongs);
    this.originCount = (await originHits(this.draft.path)).count;
    this.#changed();
  }

  async control(work: () => Promise<unknown>): Promise<void> {
    await work();
    await this.refresh();
  }

  /** Worker-clock time of the latest thing the worker did for this route: a request or a stored copy. */
  lastWorkerEvent(): number {
    const stored = this.history.entries.map((entry) => entry.storedAt);
    const handled = this.log.rows.map((row) => row.record?.at ?? 0);
    return Math.max(0, ...stored, ...handled);
  }

  /** Sets the worker's clock to `workerTime` (ms) from now on (the scenario player's clock). */
  pinClock = (workerTime: number) => this.control(() => this.session.setClockOffset(workerTime - Date.now()));
  advance = (seconds: number) => this.control(() => this.session.advance(seconds));
  resetClock = () => this.control(() => this.session.setClockOffset(0));
  purgeAll = () => this.control(() => this.session.controller.purgeAll());
  invalidateTag = (tag: string) => this.control(() => this.session.controller.invalidateByTag(tag));
  deleteTag = (tag: string, deadlineSeconds: number) =>
    this.control(() => this.session.controller.dangerouslyDeleteByTag(tag, { revalidationDeadlineSeconds: deadlineSeconds }));
  setCountry = (country: string) => this.control(() => this.session.setCountry(country));
  setLayers = (layers: LayerName[]) => this.control(() => this.session.connect({ layers }));
  setDeployment = (deployment: string) => this.control(() => this.session.connect({ deployment }));

  clear(): void {
    this.log.clear();
    this.history.clear();
    this.#changed();
  }

  /** A clean slate for a preset: empty caches, real time, a fresh hit count for its route. */
  async reset(): Promise<void> {
    this.clear();
    await this.session.controller.purgeAll();
    await this.session.setClockOffset(0);
    await resetOrigin();
    await this.refresh();
  }

  async perform(step: Step): Promise<void> {
    switch (step.do) {
      case 'send':
        return this.send(step.note);
      case 'burst':
        return this.burst(step.count, step.note);
      case 'advance':
        return this.advance(step.seconds);
      case 'country':
        return this.setCountry(step.country);
      case 'requestHeader':
        this.setDraft({ ...this.draft, requestHeaders: { ...this.draft.requestHeaders, [step.name]: step.value } });
        return;
      case 'invalidateTag':
        return this.invalidateTag(step.tag);
      case 'deleteTag':
        return this.deleteTag(step.tag, step.deadlineSeconds);
      case 'purgeAll':
        return this.purgeAll();
      case 'fail':
        this.setDraft({ ...this.draft, failure: step.failure });
        return this.control(() => scriptRoute(this.draft, this.session.workerNow()));
      case 'deployment':
        return this.setDeployment(step.deployment);
    }
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
