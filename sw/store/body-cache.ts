import { countBytes, tooLarge } from './body-stream';
import type { BodySource, LayerName } from './types';

export interface BodyCacheOptions {
  caches: CacheStorage;
  /** Cache names are `${prefix}-${layer}`: one cache per layer. */
  prefix: string;
}

/**
 * Response bodies in Cache Storage, one cache per layer, each under a synthetic same-origin URL made
 * of the layer and a fresh nonce per write. A new URL per write means a replaced entry's old body
 * can never be mistaken for the new one, and an orphan (the worker died before the metadata commit)
 * is simply a URL no metadata points to.
 *
 * Only URL strings reach Cache Storage, never a page's Request: Chromium's renderer crashes when
 * matching requests that carry non-ASCII header values. Bodies are stored as bare Responses with no
 * headers; status and headers live in the metadata record (spec §12 P4: Cache Storage also refuses
 * 206 and `Vary: *` responses, which this sidesteps).
 */
export class BodyCache {
  /** Per layer, the Cache reads go through: opened once, not per read (the hit path). */
  private readonly readers = new Map<LayerName, Promise<Cache>>();

  constructor(private readonly options: BodyCacheOptions) {}

  cacheName(layer: LayerName): string {
    return `${this.options.prefix}-${layer}`;
  }

  /**
   * Writes a body and returns its URL and size. A stream goes to Cache Storage as it arrives (never
   * held whole); Cache Storage adds the entry only once the body is complete, so a stream that errors
   * or passes `maxBytes` leaves nothing behind.
   *
   * A stream's write starts only once its first chunk has arrived, and a task later: opening the
   * cache and starting the put cost the worker's thread ~0.5 ms each (profiled, bench/README), which
   * on a miss used to run between the origin's answer and the page's first byte, once per storing
   * layer. The store's branch holds what arrives meanwhile (splitBody's backlog).
   */
  async write(layer: LayerName, body: BodySource, maxBytes: number): Promise<{ url: string; size: number }> {
    const url = `${baseUrl()}/__tiercache/body/${layer}/${nonce()}`;
    if (body instanceof ArrayBuffer) {
      const cache = await this.options.caches.open(this.cacheName(layer));
      await cache.put(url, new Response(body));
      return { url, size: body.byteLength };
    }
    const counted = countBytes(body, maxBytes);
    try {
      await counted.arrived;
      await nextTask();
      const cache = await this.options.caches.open(this.cacheName(layer));
      await cache.put(url, new Response(counted.stream));
    } catch (error) {
      // A put that failed without reading the body to its end must not leave the source unread.
      await counted.cancel(error);
      if (counted.overflowed()) throw tooLarge(maxBytes, counted.bytes());
      throw error;
    }
    return { url, size: counted.bytes() };
  }

  /** The body, or undefined if Cache Storage no longer has it. */
  async read(layer: LayerName, url: string): Promise<ArrayBuffer | undefined> {
    const response = await this.match(layer, url);
    return response ? response.arrayBuffer() : undefined;
  }

  /** The body as a Blob, or undefined. A Cache Storage body is a blob on disk: blob() hands over
   *  its handle without reading the bytes, so nothing is copied. */
  async blob(layer: LayerName, url: string): Promise<Blob | undefined> {
    const response = await this.match(layer, url);
    return response ? response.blob() : undefined;
  }

  /**
   * Matches through the layer's held Cache. A cache deleted by name (site data cleared) lives on
   * behind a held handle while the store writes to the new one, so a body not found there is looked
   * up once more in the cache the name opens now. Failures propagate (the caller reports a storage
   * error) and drop the held handle.
   */
  private async match(layer: LayerName, url: string): Promise<Response | undefined> {
    const held = this.readers.get(layer);
    try {
      if (held) {
        const found = await (await held).match(url);
        if (found) return found;
      }
      // The handle is for the reads to come; this one asks Cache Storage by name in one call (a cold
      // start's first hit would otherwise wait for the open, then for the match).
      const opening = this.options.caches.open(this.cacheName(layer));
      this.readers.set(layer, opening);
      opening.catch(() => this.readers.get(layer) === opening && this.readers.delete(layer));
      return await this.options.caches.match(url, { cacheName: this.cacheName(layer) });
    } catch (error) {
      this.readers.delete(layer);
      throw error;
    }
  }

  async drop(bodies: readonly { layer: LayerName; url: string }[]): Promise<void> {
    const byLayer = new Map<LayerName, string[]>();
    for (const { layer, url } of bodies) {
      const urls = byLayer.get(layer);
      if (urls) urls.push(url);
      else byLayer.set(layer, [url]);
    }
    await Promise.all(
      [...byLayer].map(async ([layer, urls]) => {
        const cache = await this.options.caches.open(this.cacheName(layer));
        await Promise.all(urls.map((url) => cache.delete(url)));
      }),
    );
  }

  /** Every body URL stored for a layer (used to heal the store on open, which also proves that
   *  Cache Storage works before the store relies on it). */
  async urls(layer: LayerName): Promise<string[]> {
    const cache = await this.options.caches.open(this.cacheName(layer));
    return (await cache.keys()).map((request) => request.url);
  }
}

/** Resolves in a later task: the microtasks handing the first chunk on to the page run first. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function baseUrl(): string {
  return globalThis.location.origin;
}

function nonce(): string {
  const random = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
}
