import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isModerator, type Principal } from '../common/auth/principal.js';
import { DataProtector } from '../common/crypto/data-protector.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Metrics } from '../common/metrics/metrics.js';
import { readUploadRows, type RowError, validateRow } from '../common/upload/row-upload.js';
import { deltaColumns, pickShard, shardUpsertSql } from '../counts/count-shards.js';
import { assertOwnerOrModerator } from '../petitions/petition-access.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';
import { nameKey } from '../signatories/name-key.js';
import { ImportRowDto, type ImportResponse } from './dto/import.dto.js';
import { SignatureActor, SignatureStatus } from './signature-status.js';
import { EMAIL_PURPOSE } from './signer-data.js';

export const IMPORT_MAX_ROWS = 10_000;

/** What an import upload holds; the console reads a file's rows again with it to word bad rows. */
export const IMPORT_SHAPE = {
  jsonKey: 'signatures',
  columns: ['fullName', 'email', 'district', 'title'],
  requiredColumn: 'fullName',
  maxRows: IMPORT_MAX_ROWS,
} as const;

/**
 * Signatures an organiser received elsewhere. Good rows are written in one transaction and start
 * `pending` (the organiser vouches for receiving them; the checks still run); bad rows are listed.
 * They carry no signer IP or token: the request is the organiser's, and no mail goes out.
 *
 * A row whose email already signed the petition is taken in without a second signature: telling
 * the organiser "this person already signed" would reveal who signed.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly protector: DataProtector,
    private readonly petitions: PetitionsService,
    private readonly producer: JobProducer,
    private readonly metrics: Metrics,
  ) {}

  async import(petitionRef: string, principal: Principal, body: unknown): Promise<ImportResponse> {
    const petition = await this.petitions.getVisible(petitionRef, principal);
    assertOwnerOrModerator(petition, principal);
    if (petition.status !== PetitionStatus.Open) {
      throw new DomainError('petition_not_open', `The petition is ${petition.status}, not open`);
    }
    const raw = readUploadRows(body, IMPORT_SHAPE);

    const rejected: RowError[] = [];
    const good: Array<ImportRowDto & { canonical: string | null; domain: string | null }> = [];
    const seen = new Set<string>();
    raw.forEach((item, index) => {
      const result = validateRow(ImportRowDto, item, index + 1);
      if ('error' in result) return void rejected.push(result.error);
      const row = result.value;
      const email = row.email ? normaliseEmail(row.email) : null;
      if (email && seen.has(email.canonical)) {
        return void rejected.push({
          row: index + 1,
          code: 'duplicate_in_upload',
          message: 'this email appears on an earlier row of the same upload',
        });
      }
      if (email) seen.add(email.canonical);
      good.push({
        ...row,
        email: email?.address,
        canonical: email?.canonical ?? null,
        domain: email?.domain ?? null,
      });
    });

    const ids = good.length > 0 ? await this.insert(petition, principal, good) : [];
    if (ids.length > 0) {
      this.metrics.signatureTransitions.inc(
        { from: 'none', to: SignatureStatus.Pending },
        ids.length,
      );
    }
    await this.producer
      .enqueueMany(
        JobName.VerifySignature,
        ids.map((id) => ({ id, payload: { signatureId: id } })),
      )
      .catch(() => undefined); // written and committed: the sweeper enqueues what Redis missed
    return { accepted: good.length, rejected };
  }

  private async insert(
    { id: petitionId, organiserId }: { id: string; organiserId: string },
    principal: Principal,
    rows: Array<ImportRowDto & { canonical: string | null; domain: string | null }>,
  ): Promise<string[]> {
    const actor =
      organiserId !== principal.id && isModerator(principal)
        ? SignatureActor.Moderator
        : SignatureActor.Organiser;
    const result: Array<{ id: string }> = await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::text[])
           AS i(email_index, email_encrypted, full_name, name_key, district, title, email_domain)
       ), signatory AS (
         INSERT INTO signatories (email_index, email_encrypted)
         SELECT email_index, email_encrypted FROM input WHERE email_index IS NOT NULL
         -- One order for every writer, so two imports sharing emails cannot deadlock.
         ORDER BY email_index
         -- A withdrawal may have erased the ciphertext (withdrawal-erasure.ts): this puts it back.
         ON CONFLICT (email_index) DO UPDATE
           SET email_encrypted = COALESCE(signatories.email_encrypted, EXCLUDED.email_encrypted)
         RETURNING id, email_index
       ), sig AS (
         INSERT INTO signatures (petition_id, signatory_id, status, origin, full_name, name_key,
           district, title, email_domain)
         SELECT $1, signatory.id, 'pending', 'import', i.full_name, i.name_key, i.district,
           i.title, i.email_domain
         FROM input i LEFT JOIN signatory ON signatory.email_index = i.email_index
         ON CONFLICT (petition_id, signatory_id) DO NOTHING
         RETURNING id
       ), events AS (
         INSERT INTO signature_events (signature_id, from_status, to_status, actor_type, actor_id)
         SELECT id, NULL, 'pending', $9, $10 FROM sig
       ), counted AS (
         ${shardUpsertSql(
           `SELECT $1::uuid AS petition_id, ${deltaColumns({ [SignatureStatus.Pending]: 'count(*)' })}
              FROM sig HAVING count(*) > 0`,
           '$11',
         )}
       )
       SELECT id FROM sig`,
      [
        petitionId,
        rows.map((r) =>
          r.canonical ? this.protector.blindIndex(r.canonical, EMAIL_PURPOSE) : null,
        ),
        rows.map((r) => (r.email ? this.protector.encrypt(r.email, EMAIL_PURPOSE) : null)),
        rows.map((r) => r.fullName),
        rows.map((r) => nameKey(r.fullName)),
        rows.map((r) => r.district || null),
        rows.map((r) => r.title || null),
        rows.map((r) => r.domain),
        actor,
        principal.id,
        pickShard(),
      ],
    );
    return result.map((row) => row.id);
  }
}
