import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isModerator, type Principal } from '../common/auth/principal.js';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Metrics } from '../common/metrics/metrics.js';
import { readUploadRows, type RowError, validateRow } from '../common/upload/row-upload.js';
import { deltaColumns, pickShard, shardUpsertSql } from '../counts/count-shards.js';
import { assertOwnerOrModerator } from '../petitions/petition-access.js';
import { type MailLanguage, PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { AppConfig } from '../config/app-config.js';
import { JobProducer, type KeyedJob } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';
import { nameKey } from '../signatories/name-key.js';
import { ImportRowDto, type ImportResponse } from './dto/import.dto.js';
import { SignatureActor, SignatureStatus } from './signature-status.js';
import { EMAIL_PURPOSE, TOKEN_PURPOSE } from './signer-data.js';

export const IMPORT_MAX_ROWS = 10_000;

/** What an import upload holds; the console reads a file's rows again with it to word bad rows. */
export const IMPORT_SHAPE = {
  jsonKey: 'signatures',
  columns: ['fullName', 'email', 'district', 'title'],
  requiredColumn: 'fullName',
  maxRows: IMPORT_MAX_ROWS,
} as const;

/**
 * An import's rows share work batches of this many (`signatures.work_batch`): one verification
 * job and one receipts job each, as a sign statement's signatures share theirs, so the sweeper
 * finds a lost one under the same id.
 */
const WORK_BATCH = 500;

/**
 * Below a signer's own mails: BullMQ takes jobs without a priority first, so the receipts of a
 * large import wait while confirmations of public signatures go ahead of them.
 */
export const IMPORT_RECEIPT_PRIORITY = 10;

/**
 * Signatures an organiser received elsewhere. Good rows are written in one transaction and start
 * `pending` (the organiser vouches for receiving them; the checks still run); bad rows are listed.
 * They carry no signer IP: the request is the organiser's.
 *
 * An imported row is its own signature even when its address already signed the petition (online
 * or in an earlier import): nothing is merged, the counts move as for any new row (so an import
 * cannot tell whether someone signed), and the same-address check sends it to review. A row with
 * an email gets a token and a receipt mail with the withdraw link, so the owner of the address can
 * take back a signature made in their name. The mail is queued work: the import answers without
 * waiting for it, the receipts go at a lower priority than signers' own mails, and each counts
 * against MAIL_LIMIT_PER_ADDRESS like any mail (past it, the row is kept and its mail dropped).
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyRing,
    private readonly petitions: PetitionsService,
    private readonly producer: JobProducer,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
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

    const written = good.length > 0 ? await this.insert(petition, principal, good) : [];
    if (written.length > 0) {
      this.metrics.signatureTransitions.inc(
        { from: 'none', to: SignatureStatus.Pending },
        written.length,
      );
    }
    // Written and committed: the sweeper enqueues what Redis missed.
    await this.producer
      .enqueueMany(
        JobName.VerifySignatures,
        workBatches(written, () => true),
      )
      .catch(() => undefined);
    await this.producer
      .enqueueMany(
        JobName.SendImportReceipts,
        workBatches(written, (row) => row.emailed),
        { priority: IMPORT_RECEIPT_PRIORITY },
      )
      .catch(() => undefined);
    return { accepted: good.length, rejected };
  }

  private async insert(
    petition: { id: string; organiserId: string; language: MailLanguage },
    principal: Principal,
    rows: Array<ImportRowDto & { canonical: string | null; domain: string | null }>,
  ): Promise<WrittenRow[]> {
    const actor =
      petition.organiserId !== principal.id && isModerator(principal)
        ? SignatureActor.Moderator
        : SignatureActor.Organiser;
    const keys = await this.keys.petitionKeys(petition.id);
    if (!keys) throw new DomainError('petition_not_open', 'The petition is not open');
    // Ids made here: each row's ciphertexts are bound to it.
    const ids = rows.map(() => randomUUID());
    const expiresAt = new Date(Date.now() + this.config.confirmationTtlHours * 3_600_000);
    const batches = Array.from({ length: Math.ceil(rows.length / WORK_BATCH) }, () => randomUUID());
    const signer = rows.map((r, i) => {
      if (!r.email) return null;
      const token = generateToken();
      return { hash: hashToken(token), encrypted: keys.encrypt(token, TOKEN_PURPOSE, ids[i]) };
    });
    return this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $12::bytea[], $13::bytea[], $14::uuid[],
                              $17::uuid[])
           AS i(email_index, email_encrypted, full_name, name_key, district, title, email_domain,
                token_hash, token_encrypted, work_batch, id)
       ), sig AS (
         -- No ON CONFLICT: one signature per address holds for public signing only.
         INSERT INTO signatures (id, petition_id, email_index, email_encrypted, status, origin,
           full_name, name_key, district, title, email_domain, token_hash, token_encrypted,
           token_expires_at, language, work_batch)
         SELECT i.id, $1, i.email_index, i.email_encrypted, 'pending', 'import', i.full_name,
           i.name_key, i.district, i.title, i.email_domain, i.token_hash, i.token_encrypted,
           CASE WHEN i.token_hash IS NOT NULL THEN $15::timestamptz END, $16, i.work_batch
         FROM input i
         RETURNING id, work_batch, token_hash IS NOT NULL AS emailed
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
       SELECT id, work_batch, emailed FROM sig`,
      [
        petition.id,
        rows.map((r) => (r.canonical ? keys.index(r.canonical, EMAIL_PURPOSE) : null)),
        rows.map((r, i) => (r.email ? keys.encrypt(r.email, EMAIL_PURPOSE, ids[i]) : null)),
        rows.map((r) => r.fullName),
        rows.map((r) => nameKey(r.fullName)),
        rows.map((r) => r.district || null),
        rows.map((r) => r.title || null),
        rows.map((r) => r.domain),
        actor,
        principal.id,
        pickShard(),
        signer.map((x) => x?.hash ?? null),
        signer.map((x) => x?.encrypted ?? null),
        rows.map((_, i) => batches[Math.floor(i / WORK_BATCH)]),
        expiresAt,
        petition.language,
        ids,
      ],
    );
  }
}

/** A signature as the import wrote it. */
interface WrittenRow {
  id: string;
  work_batch: string;
  /** It has an email, so a token and a receipt owed. */
  emailed: boolean;
}

/** One job per work batch, for those of its signatures that `pick` selects (none: no job). */
function workBatches<N extends JobName.VerifySignatures | JobName.SendImportReceipts>(
  written: readonly WrittenRow[],
  pick: (row: WrittenRow) => boolean,
): Array<KeyedJob<N>> {
  const byBatch = new Map<string, string[]>();
  for (const row of written.filter(pick)) {
    const ids = byBatch.get(row.work_batch) ?? [];
    if (ids.length === 0) byBatch.set(row.work_batch, ids);
    ids.push(row.id);
  }
  return [...byBatch].map(([batchId, signatureIds]) => ({
    id: batchId,
    payload: { batchId, signatureIds } as KeyedJob<N>['payload'],
  }));
}
