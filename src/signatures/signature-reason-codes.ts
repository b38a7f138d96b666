/**
 * Why a signature changed status: on its events, on the signature (`reasonCode` in the signer's
 * lookup) and in moderators' decisions. Codes are part of the public contract; add new ones,
 * never rename. `decisions` says which moderator decisions may give the code; codes without any
 * are set by the system or the signer.
 */
export const SIGNATURE_REASON_CODES = {
  duplicate: { description: 'The same person already signed this petition', decisions: ['reject'] },
  not_eligible: {
    description: 'The signer is not entitled to sign (not on the eligibility register)',
    decisions: ['reject'],
  },
  fake_name: { description: 'The name is not a plausible person’s name', decisions: ['reject'] },
  fraudulent: {
    description: 'Part of a ballot-stuffing attempt (bulk, scripted or impersonated signing)',
    decisions: ['reject'],
  },
  signer_request: { description: 'The signer asked for it to be removed', decisions: ['reject'] },
  identity_confirmed: {
    description: 'The moderator confirmed who the signer is',
    decisions: ['verify'],
  },
  namesake: {
    description: 'A different person who shares a name with another signer',
    decisions: ['verify'],
  },
  eligible_not_on_register: {
    description: 'Entitled to sign although the register does not list them (yet)',
    decisions: ['verify'],
  },
  other: { description: 'Another reason, given in the note', decisions: ['verify', 'reject'] },
  disposable_email: { description: 'Signed with a throwaway email address', decisions: [] },
  confirmation_expired: {
    description: 'The email address was not confirmed in time',
    decisions: [],
  },
  register_changed: {
    description: 'The eligibility register changed and no longer matches the signer',
    decisions: [],
  },
} as const satisfies Record<
  string,
  { description: string; decisions: ReadonlyArray<'verify' | 'reject'> }
>;

export type SignatureReasonCode = keyof typeof SIGNATURE_REASON_CODES;

export function reasonCodesFor(decision: 'verify' | 'reject'): SignatureReasonCode[] {
  return (Object.keys(SIGNATURE_REASON_CODES) as SignatureReasonCode[]).filter((code) =>
    (SIGNATURE_REASON_CODES[code].decisions as ReadonlyArray<string>).includes(decision),
  );
}
