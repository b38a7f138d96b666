import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A current register entry that has an email: who an invitation can go to. */
export interface InvitableEntryRow {
  row_number: number;
  full_name: string;
  district: string | null;
  title: string | null;
  email_encrypted: Buffer;
  email_index: Buffer;
}

export interface NewInvitation {
  entry: InvitableEntryRow;
  tokenHash: Buffer;
  tokenEncrypted: Buffer;
}

/** An invitation found by its token, with its petition's state. */
export interface InvitationRow {
  id: string;
  petition_id: string;
  petition_slug: string;
  petition_status: string;
  full_name: string;
  district: string | null;
  title: string | null;
  email_encrypted: Buffer;
  language: string;
  used_at: Date | null;
}

/** An invitation whose mail is owed. */
export interface InvitationOutboxRow {
  id: string;
  token_encrypted: Buffer;
  email_encrypted: Buffer;
  full_name: string;
  language: string;
  petition_title: string;
  petition_slug: string;
}

const INVITATION_COLUMNS = `i.id, i.petition_id, p.slug AS petition_slug, p.status AS petition_status,
  i.full_name, i.district, i.title, i.email_encrypted, i.language, i.used_at`;

/** The SQL of `register_invitations`. */
@Injectable()
export class InvitationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Holds the petition's invitation runs one at a time (until the transaction ends). */
  async lockPetition(m: EntityManager, petitionId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('invite:' || $1, 0))`, [
      petitionId,
    ]);
  }

  async invitableEntries(m: EntityManager, registerId: string): Promise<InvitableEntryRow[]> {
    return m.query(
      `SELECT e.row_number, e.full_name, e.district, e.title, e.email_encrypted, e.email_index
         FROM eligibility_registers r
         JOIN register_entries e ON e.register_id = r.id AND e.version = r.version
        WHERE r.id = $1 AND e.email_index IS NOT NULL
        ORDER BY e.row_number`,
      [registerId],
    );
  }

  /** Which of these register email indexes were invited to the petition in the last 24 hours. */
  async invitedRecently(
    m: EntityManager,
    petitionId: string,
    emailIndexes: Buffer[],
  ): Promise<Set<string>> {
    const rows: Array<{ email_index: Buffer }> = await m.query(
      `SELECT DISTINCT email_index FROM register_invitations
        WHERE petition_id = $1 AND email_index = ANY($2::bytea[])
          AND created_at > now() - interval '24 hours'`,
      [petitionId, emailIndexes],
    );
    return new Set(rows.map((row) => row.email_index.toString('hex')));
  }

  async insert(
    m: EntityManager,
    petition: { id: string; registerId: string; language: string },
    invitedBy: string,
    invitations: NewInvitation[],
  ): Promise<string[]> {
    if (invitations.length === 0) return [];
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO register_invitations (petition_id, register_id, full_name, district, title,
         email_index, email_encrypted, token_hash, token_encrypted, language, invited_by)
       SELECT $1, $2, x.full_name, x.district, x.title, x.email_index, x.email_encrypted,
              x.token_hash, x.token_encrypted, $10, $11
         FROM unnest($3::text[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::bytea[],
                     $9::bytea[])
           AS x(full_name, district, title, email_index, email_encrypted, token_hash,
                token_encrypted)
       RETURNING id`,
      [
        petition.id,
        petition.registerId,
        invitations.map((i) => i.entry.full_name),
        invitations.map((i) => i.entry.district),
        invitations.map((i) => i.entry.title),
        invitations.map((i) => i.entry.email_index),
        invitations.map((i) => i.entry.email_encrypted),
        invitations.map((i) => i.tokenHash),
        invitations.map((i) => i.tokenEncrypted),
        petition.language,
        invitedBy,
      ],
    );
    return rows.map((row) => row.id);
  }

  /** The invitation with this token hash, unlocked (for showing the page). */
  async findByToken(tokenHash: Buffer): Promise<InvitationRow | undefined> {
    const [row]: InvitationRow[] = await this.dataSource.query(
      `SELECT ${INVITATION_COLUMNS} FROM register_invitations i
         JOIN petitions p ON p.id = i.petition_id WHERE i.token_hash = $1`,
      [tokenHash],
    );
    return row;
  }

  /**
   * The invitation with this token hash, locked until the transaction ends: two signings with
   * one invitation queue here, and the second sees it used.
   */
  async lockByToken(m: EntityManager, tokenHash: Buffer): Promise<InvitationRow | undefined> {
    const [row]: InvitationRow[] = await m.query(
      `SELECT ${INVITATION_COLUMNS} FROM register_invitations i
         JOIN petitions p ON p.id = i.petition_id WHERE i.token_hash = $1 FOR UPDATE OF i`,
      [tokenHash],
    );
    return row;
  }

  async markUsed(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE register_invitations SET used_at = now(), token_encrypted = NULL WHERE id = $1`,
      [id],
    );
  }

  /** The invitation's mail, if still owed: not sent, not used, its petition still open. */
  async owedMail(id: string): Promise<InvitationOutboxRow | undefined> {
    const [row]: InvitationOutboxRow[] = await this.dataSource.query(
      `SELECT i.id, i.token_encrypted, i.email_encrypted, i.full_name, i.language,
              p.title AS petition_title, p.slug AS petition_slug
         FROM register_invitations i JOIN petitions p ON p.id = i.petition_id
        WHERE i.id = $1 AND i.token_encrypted IS NOT NULL AND i.used_at IS NULL
          AND p.status = 'open'`,
      [id],
    );
    return row;
  }

  /** Invitations of open petitions whose mail is still owed, made longer ago than `age`. */
  async owedSince(age: '1 minute', limit = 1_000): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT i.id FROM register_invitations i JOIN petitions p ON p.id = i.petition_id
        WHERE i.token_encrypted IS NOT NULL AND i.used_at IS NULL AND p.status = 'open'
          AND i.created_at < now() - $1::interval
        ORDER BY i.created_at LIMIT $2`,
      [age, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The mail is settled: sent, or not to be sent. The token's hash stays, so the link works. */
  async clearOutbox(id: string, sent: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE register_invitations SET token_encrypted = NULL${sent ? ', mail_sent_at = now()' : ''}
        WHERE id = $1`,
      [id],
    );
  }
}
