/**
 * Why a signature was rejected, withdrawn or expired: shown to the signer through lookup and to
 * moderators. Codes are part of the public contract; add new ones, never rename.
 */
export const SIGNATURE_REASON_CODES = {
  duplicate: 'The same person already signed this petition',
  not_eligible: 'The signer is not on the petition’s eligibility register',
  fake_name: 'The name is not a plausible person’s name',
  fraudulent: 'Part of a ballot-stuffing attempt',
  disposable_email: 'Signed with a throwaway email address',
  signer_request: 'Withdrawn by the signer',
  confirmation_expired: 'The email address was not confirmed in time',
  other: 'Another reason, given in the note',
} as const;

export type SignatureReasonCode = keyof typeof SIGNATURE_REASON_CODES;
