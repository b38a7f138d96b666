import { allowsTransition, type TransitionTable } from '../common/state/transition-table.js';

export enum SignatureStatus {
  Unconfirmed = 'unconfirmed',
  Pending = 'pending',
  NeedsReview = 'needs_review',
  Verified = 'verified',
  Rejected = 'rejected',
  Withdrawn = 'withdrawn',
  Expired = 'expired',
}

export const SIGNATURE_STATUSES = Object.values(SignatureStatus);

/** Who moved a signature: recorded on every event. */
export enum SignatureActor {
  Signer = 'signer',
  Organiser = 'organiser',
  Moderator = 'moderator',
  System = 'system',
}

const S = SignatureStatus;

/**
 * The signature lifecycle, in one place; every status change is checked against it.
 * - unconfirmed: waiting for the signer's email confirmation (or expiry).
 * - pending: received, waiting for the automated checks.
 * - needs_review: the checks could not settle it; a moderator decides.
 * - verified → needs_review: a changed eligibility register no longer matches it.
 * - verified → rejected: a moderator's bulk invalidation.
 * - any live status → withdrawn: the signer may withdraw at any time while the petition is open.
 * - expired → unconfirmed or pending: the same person signs again (a lost confirmation mail);
 *   it starts over as a first signature would.
 * - withdrawn → pending: only when the address's owner confirms a re-sign (its mailed token, or
 *   the signature's earlier one). Until then the re-sign is held aside (signature_resign_holds)
 *   and the row stays withdrawn, so a stranger signing with the address moves nothing, not even
 *   the public counts.
 */
export const SIGNATURE_TRANSITIONS: TransitionTable<SignatureStatus> = {
  [S.Unconfirmed]: [S.Pending, S.Expired, S.Withdrawn, S.Rejected],
  [S.Pending]: [S.Verified, S.NeedsReview, S.Rejected, S.Withdrawn],
  [S.NeedsReview]: [S.Verified, S.Rejected, S.Withdrawn],
  [S.Verified]: [S.NeedsReview, S.Rejected, S.Withdrawn],
  [S.Rejected]: [],
  [S.Withdrawn]: [S.Pending],
  [S.Expired]: [S.Unconfirmed, S.Pending],
};

export function canSignatureTransition(from: SignatureStatus, to: SignatureStatus): boolean {
  return allowsTransition(SIGNATURE_TRANSITIONS, from, to);
}

/** Decided for good: no transition starts from it. */
export const FINAL_SIGNATURE_STATUSES: readonly SignatureStatus[] = [S.Rejected];

/**
 * Over unless the same person signs again, which starts the signature over. Not withdrawn: a
 * withdrawal is final unless the address's owner confirms (see SignAgainService).
 */
export const RESTARTABLE_SIGNATURE_STATUSES: readonly SignatureStatus[] = [S.Expired];

/**
 * The counts everyone sees (the public and organisers). Unconfirmed and expired are for
 * moderators only: they move when anyone types an address into the sign form, so showing them
 * would tell whether that address had signed before.
 */
export const PUBLIC_COUNT_STATUSES: readonly SignatureStatus[] = [
  S.Pending,
  S.NeedsReview,
  S.Verified,
  S.Rejected,
  S.Withdrawn,
];

/** Column of `petition_count_shards` that counts each status (fixed names, safe to put in SQL). */
export const COUNT_COLUMN: Readonly<Record<SignatureStatus, string>> = {
  [S.Unconfirmed]: 'unconfirmed',
  [S.Pending]: 'pending',
  [S.NeedsReview]: 'needs_review',
  [S.Verified]: 'verified',
  [S.Rejected]: 'rejected',
  [S.Withdrawn]: 'withdrawn',
  [S.Expired]: 'expired',
};
