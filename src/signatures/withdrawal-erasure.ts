/**
 * What a withdrawal erases, at once and in the same statement as the status change (issue 14,
 * item 3). Kept in this one file so that a change of where signer data lives (per-petition keys)
 * changes one place.
 *
 * Erased: the name and its key, district and its key, the register invitation it was made
 * through (whose row holds the entry's name), title, comment, email domain, the source and
 * user-agent hashes, the token ciphertext, what the checks found (their details can quote a
 * register entry, so the signer's name) and the choice to be listed.
 * Kept: status, reason, times, events and counts; the token hash, so the signer's link still
 * shows `withdrawn`; and the email blind index (on the signatory), so the address still has its
 * one signature here and signing again cannot start a second.
 */
export const WITHDRAWAL_ERASED_SETS = `full_name = NULL,
           name_key = NULL,
           district = NULL,
           district_key = NULL,
           invitation_id = NULL,
           title = NULL,
           comment = NULL,
           email_domain = NULL,
           source_index = NULL,
           user_agent_index = NULL,
           token_encrypted = NULL,
           checks = NULL,
           risk_score = NULL,
           display_publicly = false`;

/**
 * A data-modifying CTE body that erases the email ciphertext of the signatories of the
 * signatures in `moved` (which must return `id` and `signatory_id`). The signatory row is shared
 * by one address's signatures on every petition, so its ciphertext goes only when no other
 * signature of it still needs it (all others withdrawn too); the blind index always stays.
 * Signing anywhere again puts the ciphertext back (see the sign statement's upsert).
 */
export function withdrawalEmailErasureSql(moved: string): string {
  return `UPDATE signatories g SET email_encrypted = NULL
      FROM ${moved} m
     WHERE g.id = m.signatory_id
       AND NOT EXISTS (
         SELECT 1 FROM signatures o
          WHERE o.signatory_id = g.id AND o.id <> m.id AND o.status <> 'withdrawn')`;
}
