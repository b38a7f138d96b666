/**
 * What a withdrawal erases, at once and in the same statement as the status change (issue 14,
 * item 3). Kept in this one file so that a change of where signer data lives (per-petition keys)
 * changes one place.
 *
 * Erased: the name and its key, district and its key, the register invitation it was made
 * through (whose row holds the entry's name), title, comment, email domain, the source and
 * user-agent hashes, the token ciphertext, what the checks found (their details can quote a
 * register entry, so the signer's name) and the choice to be listed.
 * With per-petition keys the email ciphertext and the encrypted source hash live on the
 * signature, so they go here too.
 * Kept: status, reason, times, events and counts; the token hash, so the signer's link still
 * shows `withdrawn`; and the email blind index (under the petition's key), so the address still
 * has its one signature here and signing again cannot start a second.
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
           email_encrypted = NULL,
           source_global_encrypted = NULL,
           checks = NULL,
           risk_score = NULL,
           display_publicly = false`;
