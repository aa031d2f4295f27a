import { ZERO_ID } from '../sdk/feed-event.ts';

/** The id after `last`, minted as Redis mints stream ids: `<ms>-<seq>`, never going back with the clock. */
export function nextFeedId(last: string, now: number): string {
  const [lastMs = 0, lastSeq = 0] = (last === ZERO_ID ? '0-0' : last).split('-').map(Number);
  const ms = Math.max(Math.floor(now), lastMs);
  return ms === lastMs ? `${ms}-${lastSeq + 1}` : `${ms}-0`;
}
