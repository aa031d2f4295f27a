import type { NotStored } from '../../sdk/protocol.ts';
import { isStoreError } from '../store/index.ts';

/**
 * Why a layer's write of a streamed answer was abandoned, for its decision record's amendment (the
 * record said `stored` when the headers arrived). `maxBytes` is the layer's own largest body (the edge's
 * maxBodyBytes, R40); a smaller limit the store reports is the layer's budget. `sourceFailed`: the
 * body itself errored (cut off by the origin), whatever the store then made of it.
 */
export function whyNotStored(error: unknown, maxBytes: number | undefined, sourceFailed: boolean): NotStored {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (sourceFailed) return { reason: 'body-error', detail };
  if (isStoreError(error) && error.code === 'entry-too-large' && error.size) {
    const { limit, bytes } = error.size;
    return { reason: limit === maxBytes ? 'too-large' : 'over-budget', limit, bytes, detail };
  }
  return { reason: 'storage-error', detail };
}
