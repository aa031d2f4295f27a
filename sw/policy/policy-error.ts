/**
 * Programmer mistakes in calls to the policy engine (bad options). sw/policy imports nothing outside
 * itself, so it cannot use sdk/errors.ts; the codes are a subset of TierCacheErrorCode so callers can
 * match both the same way. Header input never throws: bad headers are facts the engine reports.
 */
export type PolicyErrorCode = 'invalid-options' | 'invalid-argument';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code: PolicyErrorCode;

  constructor(code: PolicyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
