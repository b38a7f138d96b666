import type { CheckResult, CheckSubject } from './check.js';

/**
 * Matches a signer against the petition's eligibility register; the registers module implements
 * it. An interface, so the verification pipeline does not depend on how registers are stored.
 */
export interface RegisterMatcher {
  match(subject: CheckSubject): Promise<Omit<CheckResult, 'name'>>;
}

export const REGISTER_MATCHER = Symbol('RegisterMatcher');
