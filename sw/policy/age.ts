import { parseDeltaSeconds } from './build-directives.ts';
import { MAX_DELTA_SECONDS } from './directives.ts';

/**
 * Parses an `Age` header (RFC 9111 §5.1): one delta-seconds value, saturating at 2^31 (R139).
 * Anything else is invalid: a list (two `Age` lines reach a worker joined as `0, 0`), a parameter
 * (`7200;foo=bar`), a sign, a fraction or letters. Decision (conformance, like R139 for an invalid
 * max-age): an invalid Age cannot vouch for the response's age, so it counts as the largest age and
 * the response is stale on arrival (reused only after validation). Null only when there is no Age.
 */
export function parseAge(value: string | undefined): number | null {
  if (value === undefined) return null;
  return parseDeltaSeconds(value.trim())?.value ?? MAX_DELTA_SECONDS;
}

/** The times a cache records when it receives a response (RFC 9111 §4.2.3). */
export interface AgeInput {
  /** Parsed `Date` header in ms, or null when missing/invalid (R137: the receipt time is used then). */
  readonly dateMs: number | null;
  /** Parsed `Age` header in seconds, or null (treated as 0). */
  readonly ageSeconds: number | null;
  /** When the request was sent (ms). */
  readonly requestTime: number;
  /** When the response was received (ms). */
  readonly responseTime: number;
}

/**
 * R138 / RFC 9111 §4.2.3: corrected_initial_age in seconds, never negative or NaN, at most 2^31.
 * apparent_age = max(0, response_time − date_value); corrected_age_value = age_value + response_delay.
 */
export function correctedInitialAge(input: AgeInput): number {
  const responseTime = finite(input.responseTime);
  const date = input.dateMs === null ? responseTime : finite(input.dateMs);
  const apparentAge = Math.max(0, responseTime - date) / 1000;
  const responseDelay = Math.max(0, responseTime - finite(input.requestTime)) / 1000;
  const correctedAgeValue = (input.ageSeconds ?? 0) + responseDelay;
  return clampSeconds(Math.max(apparentAge, correctedAgeValue));
}

/**
 * R138: current_age = corrected_initial_age + resident_time (seconds). A clock that went backwards
 * adds nothing rather than making the age negative.
 */
export function currentAge(options: { initialAge: number; responseTime: number; now: number }): number {
  const resident = Math.max(0, finite(options.now) - finite(options.responseTime)) / 1000;
  return clampSeconds(finite(options.initialAge) + resident);
}

/** The `Age` header value a cache sends when it serves a stored response (R157, R33): whole seconds. */
export function formatAge(ageSeconds: number): string {
  return String(Math.floor(clampSeconds(ageSeconds)));
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function clampSeconds(n: number): number {
  if (!Number.isFinite(n) || n < 0) return n === Infinity ? MAX_DELTA_SECONDS : 0;
  return Math.min(n, MAX_DELTA_SECONDS);
}
