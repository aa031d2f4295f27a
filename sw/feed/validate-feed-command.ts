import { isFeedId, parseFeedMessage } from '../../sdk/feed-event.ts';

/** Why an `applyFeed` command is malformed, or undefined (messages.ts validates before dispatching). */
export function validateFeedCommand(c: Record<string, unknown>): string | undefined {
  if (!Array.isArray(c.messages)) return 'messages must be an array';
  if (c.cursor !== undefined && !isFeedId(c.cursor)) return 'cursor must be a feed id';
  const bad = (c.messages as unknown[]).findIndex((m) => typeof m !== 'object' || m === null || parseFeedMessage((m as { id?: unknown }).id, m) === undefined);
  return bad < 0 ? undefined : `messages[${bad}] is not a feed message`;
}
