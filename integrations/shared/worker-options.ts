import { TierCacheError } from '../../sdk/errors.ts';
import type { LayerName, WorkerFlags, WorkerProfile } from '../../sdk/protocol.ts';
import { flagParams, REGION_ID } from '../../sdk/worker-params.ts';

/** The worker's options as an integration takes them (each maps to one script-URL parameter, config.ts). */
export interface WorkerOptions {
  /** Page side first; default `['browser']`. */
  layers?: LayerName[];
  /** Default `vercel`. */
  profile?: WorkerProfile;
  /** Path prefixes the layers handle (default `['/']`, every same-origin path). */
  include?: string[];
  /** Other origins whose CORS requests go through the layers too (default none). */
  crossOrigin?: string[];
  /** R24: the simulated edge region, e.g. `fra1`. */
  region?: string;
  /** Per-layer body byte budget (LRU eviction). */
  budget?: number;
  /** A revalidation unanswered after this long counts as a network failure (default 10 000). */
  upstreamTimeoutMs?: number;
  /** The spec's flags for its ambiguous cases (semantics.md §15). */
  flags?: Partial<WorkerFlags>;
}

const KNOWN = ['layers', 'profile', 'include', 'crossOrigin', 'region', 'budget', 'upstreamTimeoutMs', 'flags'];

/**
 * Options → the parameters the worker reads (sw/config.ts). A bad option is a programmer mistake,
 * reported at config time with TierCacheError `invalid-options` naming it; the worker never sees it.
 * `extraKeys` are the integration's own option names, accepted and left to it.
 */
export function workerParams(options: WorkerOptions, extraKeys: readonly string[] = []): Record<string, string> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalid('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key) && !extraKeys.includes(key)) throw invalid(`unknown option "${key}"`);
  }
  const params: Record<string, string> = {};
  const { layers, profile, include, crossOrigin, region, budget, upstreamTimeoutMs } = options;
  if (layers !== undefined) {
    const order: readonly unknown[] = ['browser', 'cdn', 'edge'];
    const valid = Array.isArray(layers) && layers.length > 0 && layers.every((l, i) => order.includes(l) && (i === 0 || order.indexOf(l) > order.indexOf(layers[i - 1])));
    if (!valid) throw invalid('layers must list browser, cdn and/or edge, page side first, each once');
    params.layers = layers.join(',');
  }
  if (profile !== undefined) {
    if (profile !== 'vercel' && profile !== 'rfc9111') throw invalid('profile must be "vercel" or "rfc9111"');
    params.profile = profile;
  }
  if (include !== undefined) {
    if (!isPathList(include)) throw invalid('include must be a non-empty array of paths starting with "/"');
    params.include = include.join(',');
  }
  if (crossOrigin !== undefined) {
    if (!Array.isArray(crossOrigin) || !crossOrigin.every(isOrigin)) throw invalid('crossOrigin must be an array of origins such as https://api.example.com');
    params.crossOrigin = crossOrigin.join(',');
  }
  if (region !== undefined) {
    if (typeof region !== 'string' || !REGION_ID.test(region)) throw invalid('region must be a region id such as fra1');
    params.region = region;
  }
  if (budget !== undefined) params.budget = String(positiveInteger(budget, 'budget'));
  if (upstreamTimeoutMs !== undefined) params.upstreamTimeoutMs = String(positiveInteger(upstreamTimeoutMs, 'upstreamTimeoutMs'));
  return { ...params, ...flagParams(options.flags) };
}

export function invalid(message: string): TierCacheError {
  return new TierCacheError('invalid-options', `tiercache: ${message}.`);
}

function isPathList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string' && p.startsWith('/') && !p.includes(','));
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || value.includes(',')) return false;
  try {
    return new URL(value).origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalid(`${name} must be a positive whole number`);
  return value;
}
