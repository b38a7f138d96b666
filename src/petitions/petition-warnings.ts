import type { Petition } from './petition.entity.js';

/**
 * What an organiser should know about a petition's settings before it goes out: stable codes
 * (add, never rename), with the API's English words. The console words the same codes in the
 * reader's language.
 */
export const PETITION_WARNINGS = {
  /**
   * Counts move when a signature arrives `pending`. Without confirmation that happens at once for
   * any address, and not at all for an address that already signed (a repeat adds nothing), so
   * anyone can test an address by signing with it and watching the counts.
   */
  no_email_confirmation:
    'Without email confirmation, anyone who knows an address can find out whether it signed, by signing with it and watching the counts.',
} as const;

export type PetitionWarning = keyof typeof PETITION_WARNINGS;

/** The warnings a petition's settings call for, in a fixed order; none for the safe defaults. */
export function petitionWarnings(
  petition: Pick<Petition, 'requireEmailConfirmation'>,
): PetitionWarning[] {
  const warnings: PetitionWarning[] = [];
  if (!petition.requireEmailConfirmation) warnings.push('no_email_confirmation');
  return warnings;
}
