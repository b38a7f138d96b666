import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataKeysRepository } from '../keys/data-keys.repository.js';

/**
 * The SQL of erasure at the end of retention. The personal fields of a petition's signatures are
 * emptied; what is kept is what counts need: status, origin, district (district totals stay),
 * times, reason codes and risk scores, and the events without their free-text notes.
 */
const ERASE_SIGNATURES = `
  UPDATE signatures SET
    full_name = NULL, name_key = NULL, title = NULL, comment = NULL, display_publicly = false,
    email_domain = NULL, email_index = NULL, email_encrypted = NULL,
    source_index = NULL, source_global_encrypted = NULL, user_agent_index = NULL,
    token_hash = NULL, token_encrypted = NULL, checks = NULL,
    claimed_by = NULL, claim_expires_at = NULL
  WHERE petition_id = $1`;

@Injectable()
export class RetentionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: DataKeysRepository,
  ) {}

  /**
   * Erases one petition whose retention has ended, if any is left that no other worker holds:
   * in one transaction, with the petition's row locked (SKIP LOCKED, so workers share the work),
   * its keys are deleted, then its signers' fields erased, then it is marked erased. Returns its
   * id, or null when none is due. A retried or concurrent run finds it marked and skips it.
   */
  async eraseNextDue(now: Date): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const [due]: Array<{ id: string }> = await manager.query(
        `SELECT id FROM petitions
          WHERE retention_ends_at <= $1 AND personal_data_erased_at IS NULL
          ORDER BY retention_ends_at, id LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!due) return null;
      await this.keys.destroy(manager, 'petition', due.id);
      await manager.query(ERASE_SIGNATURES, [due.id]);
      // The register invitations sent for this petition hold the invited entries' names and
      // emails: they go too (a signature's invitation_id is set null by the foreign key).
      await manager.query(`DELETE FROM register_invitations WHERE petition_id = $1`, [due.id]);
      // Re-signs held for withdrawn signatures (see ResignHoldsRepository) go with them.
      await manager.query(
        `DELETE FROM signature_resign_holds h USING signatures s
          WHERE s.id = h.signature_id AND s.petition_id = $1`,
        [due.id],
      );
      await manager.query(
        `UPDATE signature_events e SET note = NULL
           FROM signatures s
          WHERE s.id = e.signature_id AND s.petition_id = $1 AND e.note IS NOT NULL`,
        [due.id],
      );
      await manager.query(
        `UPDATE petitions SET personal_data_erased_at = now(), updated_at = now() WHERE id = $1`,
        [due.id],
      );
      return due.id;
    });
  }
}
