import { TierCacheError } from './errors.ts';
import type { StripWhen, WorkerFlags } from './protocol.ts';

/**
 * The script-URL parameters that both sides check: the SDK when it builds the URL (a bad value is a
 * programmer mistake, TierCacheError) and the worker when it reads it (a bad value is reported and
 * defaulted). One definition, so the two can never disagree on what is valid.
 */

/** R24: a Vercel region id, lowercase letters then digits (`fra1`); never a `:` (x-vercel-id, R127). */
export const REGION_ID = /^[a-z]{1,16}[0-9]{0,4}$/;

/** The flags of semantics.md §15 that are yes/no (`1`/`0` in the URL). */
export const BOOLEAN_FLAGS = [
  'lenientTargetedParsing',
  'edgeHonorsMaxAgeInCacheControl',
  'criteriaReadCacheControlAlways',
  'ageMitigation',
  'forwardCacheTagHeader',
] as const satisfies readonly (keyof WorkerFlags)[];

/** A6/R29: when the edge strips `s-maxage` / `stale-while-revalidate` from Cache-Control. */
export const STRIP_WHEN: readonly StripWhen[] = ['cc-consumed', 'no-cdn-cache-control', 'always'];

/**
 * The flags as the worker reads them from its script URL (sw/read-policy-flags.ts); a bad flag is a
 * programmer mistake (TierCacheError `invalid-options`). Used by registerCacheWorker and the integrations.
 */
export function flagParams(flags: Partial<WorkerFlags> | undefined): Record<string, string> {
  if (flags === undefined) return {};
  if (typeof flags !== 'object' || flags === null) throw new TierCacheError('invalid-options', 'flags must be an object.');
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(flags) as [string, unknown][]) {
    if (value === undefined) continue;
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw new TierCacheError('invalid-options', `flags.${name} must be a boolean.`);
      params[name] = value ? '1' : '0';
    } else if (name === 'stripWhen') {
      if (typeof value !== 'string' || !(STRIP_WHEN as readonly string[]).includes(value)) {
        throw new TierCacheError('invalid-options', `flags.stripWhen must be one of ${STRIP_WHEN.join(', ')}.`);
      }
      params[name] = value;
    } else if (name === 'maxBodyBytes') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new TierCacheError('invalid-options', 'flags.maxBodyBytes must be a whole number of bytes.');
      }
      params[name] = String(value);
    } else {
      throw new TierCacheError('invalid-options', `flags.${name} is not a known flag.`);
    }
  }
  return params;
}
