import {
  canSignatureTransition,
  COUNT_COLUMN,
  FINAL_SIGNATURE_STATUSES,
  RESTARTABLE_SIGNATURE_STATUSES,
  SIGNATURE_STATUSES,
  SIGNATURE_TRANSITIONS,
  SignatureStatus as S,
} from './signature-status.js';

describe('signature transition table', () => {
  it('follows the contract: confirm, check, decide', () => {
    expect(canSignatureTransition(S.Unconfirmed, S.Pending)).toBe(true);
    expect(canSignatureTransition(S.Unconfirmed, S.Expired)).toBe(true);
    for (const outcome of [S.Verified, S.NeedsReview, S.Rejected]) {
      expect(canSignatureTransition(S.Pending, outcome)).toBe(true);
    }
    expect(canSignatureTransition(S.NeedsReview, S.Verified)).toBe(true);
    expect(canSignatureTransition(S.NeedsReview, S.Rejected)).toBe(true);
  });

  it('lets the signer withdraw from every live status, a verified one included', () => {
    for (const from of [S.Unconfirmed, S.Pending, S.NeedsReview, S.Verified]) {
      expect(canSignatureTransition(from, S.Withdrawn)).toBe(true);
    }
  });

  it('never leaves a final status, and never goes back to unconfirmed or pending from a decision', () => {
    for (const from of FINAL_SIGNATURE_STATUSES) expect(SIGNATURE_TRANSITIONS[from]).toEqual([]);
    for (const from of [S.Pending, S.NeedsReview, S.Verified, S.Rejected]) {
      expect(canSignatureTransition(from, S.Unconfirmed)).toBe(false);
      if (from !== S.Pending) expect(canSignatureTransition(from, S.Pending)).toBe(false);
    }
  });

  it('starts an expired signature over when the same person signs again', () => {
    expect(RESTARTABLE_SIGNATURE_STATUSES).toEqual([S.Expired]);
    for (const from of RESTARTABLE_SIGNATURE_STATUSES) {
      expect(SIGNATURE_TRANSITIONS[from]).toEqual([S.Unconfirmed, S.Pending]);
    }
  });

  it('brings a withdrawn signature back only to pending (its owner confirmed a held re-sign)', () => {
    expect(SIGNATURE_TRANSITIONS[S.Withdrawn]).toEqual([S.Pending]);
  });

  it('has a plain snake_case count column for every status', () => {
    for (const status of SIGNATURE_STATUSES) expect(COUNT_COLUMN[status]).toMatch(/^[a-z_]+$/);
    expect(new Set(Object.values(COUNT_COLUMN)).size).toBe(SIGNATURE_STATUSES.length);
  });
});
