import type { StripWhen, WorkerFlags } from '../sdk/protocol.ts';
import { BOOLEAN_FLAGS, STRIP_WHEN } from '../sdk/worker-params.ts';
import { DEFAULT_FLAGS } from './policy/index.ts';

/**
 * The spec's flags for its ambiguous cases (semantics.md §15: "expose the named flag"), read from the
 * script URL's query under their own names: `?edgeHonorsMaxAgeInCacheControl=1&stripWhen=always`.
 * Booleans take `1`/`true` or `0`/`false`. Like every other parameter, an invalid value is reported
 * and the spec's DECIDED default used, so a typo never breaks the site.
 */

/** The policy's own defaults (the spec's DECIDED values) for the flags a script URL can set. */
export const DEFAULT_WORKER_FLAGS: Readonly<WorkerFlags> = Object.freeze({
  lenientTargetedParsing: DEFAULT_FLAGS.lenientTargetedParsing,
  edgeHonorsMaxAgeInCacheControl: DEFAULT_FLAGS.edgeHonorsMaxAgeInCacheControl,
  stripWhen: DEFAULT_FLAGS.stripWhen,
  criteriaReadCacheControlAlways: DEFAULT_FLAGS.criteriaReadCacheControlAlways,
  ageMitigation: DEFAULT_FLAGS.ageMitigation,
  forwardCacheTagHeader: DEFAULT_FLAGS.forwardCacheTagHeader,
  maxBodyBytes: DEFAULT_FLAGS.maxBodyBytes,
});

export type FlagReport = (param: string, value: string, message: string) => void;

export function readPolicyFlags(query: URLSearchParams, report: FlagReport): WorkerFlags {
  const flags: WorkerFlags = { ...DEFAULT_WORKER_FLAGS };
  for (const name of BOOLEAN_FLAGS) {
    const raw = query.get(name);
    if (raw === null) continue;
    if (raw === '1' || raw === 'true') flags[name] = true;
    else if (raw === '0' || raw === 'false') flags[name] = false;
    else report(name, raw, `expected 1, true, 0 or false; using ${String(DEFAULT_WORKER_FLAGS[name])}`);
  }
  const strip = query.get('stripWhen');
  if (strip !== null) {
    if ((STRIP_WHEN as readonly string[]).includes(strip)) flags.stripWhen = strip as StripWhen;
    else report('stripWhen', strip, `expected ${STRIP_WHEN.join(', ')}; using "cc-consumed"`);
  }
  const max = query.get('maxBodyBytes');
  if (max !== null) {
    const bytes = Number(max);
    if (/^\d+$/.test(max) && Number.isSafeInteger(bytes)) flags.maxBodyBytes = bytes;
    else report('maxBodyBytes', max, `expected a whole number of bytes; using ${DEFAULT_WORKER_FLAGS.maxBodyBytes}`);
  }
  return flags;
}
