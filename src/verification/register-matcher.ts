import type { CheckResult, CheckSubject } from './check.js';

/**
 * Matches a signer against the petition's eligibility register. The registers module provides
 * the real implementation; until a petition names a register, every signer passes.
 */
export interface RegisterMatcher {
  match(subject: CheckSubject): Promise<Omit<CheckResult, 'name'>>;
}

export const REGISTER_MATCHER = Symbol('RegisterMatcher');
