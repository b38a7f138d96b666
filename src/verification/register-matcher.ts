import type { CheckSubject, Verdict } from './check.js';

/**
 * Matches signers against their petitions' eligibility registers; the registers module
 * implements it. An interface, so the verification pipeline does not depend on how registers are
 * stored. Subjects whose petition names no register are not passed in.
 */
export interface RegisterMatcher {
  /** One verdict per subject, in the same order. */
  match(subjects: readonly CheckSubject[]): Promise<Verdict[]>;
  /**
   * For subjects of petitions with a register whose district is one of the register's (compared
   * by district key), the register's spelling of it and its key. Others are absent.
   */
  canonicalDistricts(
    subjects: readonly CheckSubject[],
  ): Promise<Map<string, { district: string; key: string }>>;
}

export const REGISTER_MATCHER = Symbol('RegisterMatcher');
