import type { Eligibility } from '../petitions/petition-status.js';

export enum CheckOutcome {
  Pass = 'pass',
  Review = 'review',
  Fail = 'fail',
}

/** What one check found about one signature; stored with the signature and shown to moderators. */
export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  /** For people: what was seen, never the signer's email or IP. */
  detail: string;
  /** How much this result adds to the signature's risk score (0 for a pass). */
  risk: number;
  /** For a fail: the reason code the rejection carries. */
  reasonCode?: string;
}

/** What a check may look at: the signature as stored (no decrypted contact data) and its petition. */
export interface CheckSubject {
  id: string;
  petitionId: string;
  /** The email's blind index under the petition's key (null when imported without one). */
  emailIndex: Buffer | null;
  origin: 'public' | 'import';
  fullName: string;
  nameKey: string;
  district: string | null;
  title: string | null;
  emailDomain: string | null;
  /** The source's blind index under the petition's key: compares within one petition only. */
  sourceIndex: Buffer | null;
  /** The service-wide source hash, encrypted for this row (see BlockCheck). */
  sourceGlobalEncrypted: Buffer | null;
  createdAt: Date;
  /** The register invitation this signature was made through, if any. */
  invitationId?: string | null;
  petition: { registerId: string | null; eligibility: Eligibility };
}

/** A check's finding about one signature, before the check's name is attached. */
export type Verdict = Omit<CheckResult, 'name'>;

/**
 * An automated verification check: a plug-in. Add one by writing a class that implements this
 * and listing it in `checks/index.ts`.
 */
export interface SignatureCheck {
  readonly name: string;
  /**
   * One verdict per subject, in the same order. Checks run on batches: one that reads the
   * database does it in one query for the whole batch, not one per signature.
   */
  run(subjects: readonly CheckSubject[]): Promise<Verdict[]>;
}

export const pass = (detail: string): Verdict => ({
  outcome: CheckOutcome.Pass,
  detail,
  risk: 0,
});
export const review = (detail: string, risk: number): Verdict => ({
  outcome: CheckOutcome.Review,
  detail,
  risk,
});
export const fail = (detail: string, reasonCode: string): Verdict => ({
  outcome: CheckOutcome.Fail,
  detail,
  risk: 100,
  reasonCode,
});
