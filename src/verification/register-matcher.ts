import type { CheckSubject, Verdict } from './check.js';

/**
 * Matches signers against their petitions' eligibility registers; the registers module
 * implements it. An interface, so the verification pipeline does not depend on how registers are
 * stored. Subjects whose petition names no register are not passed in.
 */
export interface RegisterMatcher {
  /** One verdict per subject, in the same order. */
  match(subjects: readonly CheckSubject[]): Promise<Verdict[]>;
}

export const REGISTER_MATCHER = Symbol('RegisterMatcher');
