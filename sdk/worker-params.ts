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
