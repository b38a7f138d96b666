import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { InFlightBatcher } from '../common/batching/in-flight-batcher.js';
import { Metrics } from '../common/metrics/metrics.js';
import { AppConfig } from '../config/app-config.js';
import { deltaColumns, pickShard, shardUpsertSql } from '../counts/count-shards.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { nameKey } from '../signatories/name-key.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';
import { pickLanguage } from './accept-language.js';
import { InvitationSigningService } from './invitation-signing.service.js';
import { SignAgainService } from './sign-again.service.js';
import { countNewSignatures, signBatchOptions } from './sign-batch.js';
import { SignLimits } from './sign-limits.service.js';
import type { Restart } from './signature-transitions.service.js';
import type { SignDto } from './dto/sign.dto.js';
import { SignatureStatus } from './signature-status.js';
import {
  EMAIL_PURPOSE,
  SOURCE_GLOBAL_PURPOSE,
  SOURCE_PURPOSE,
  TOKEN_PURPOSE,
  USER_AGENT_PURPOSE,
} from './signer-data.js';
import { UUID } from '../common/validation/uuid.js';

/** What a slug can look like (see slug.ts); anything else names no petition. */
const SLUG = /^[a-z0-9-]{1,100}$/;

/** What the request tells about the signer, besides the body. Used only as keyed hashes. */
export interface SigningContext {
  ip: string;
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  principal: Principal | undefined;
}

/** One request's part of a batched sign statement. */
interface SignItem {
  petitionId: string;
  /** Made here, not by PostgreSQL: the ciphertexts are bound to it. */
  signatureId: string;
  emailIndex: Buffer;
  signer: Restart;
}

/** What the statement tells one request: its petition (nulls if none), and its new signature. */
interface SignRow {
  petition_id: string | null;
  petition_status: PetitionStatus | null;
  require_email_confirmation: boolean | null;
  signature_id: string | null;
  signature_status: SignatureStatus | null;
}

/** How long after its answer a repeat's own work starts (see afterAnswer). */
const REPEAT_WORK_DELAY_MS = 25;

const NEW_STATUS = `CASE WHEN p.require_email_confirmation THEN 'unconfirmed' ELSE 'pending' END`;

/**
 * Public signing. The petition's keys (cached, see KeyRing) make the email's per-petition blind
 * index and the ciphertexts, bound to a signature id made here. One statement finds the petition,
 * inserts the signature unless this email already signed it publicly, records the
 * event and counts it. A repeat signer takes exactly the same path and gets the same answer; only
 * a new signature is followed (after the commit) by its mail and, without confirmation, its checks.
 */
@Injectable()
export class SigningService implements OnApplicationShutdown {
  private readonly sql = signSql();
  /** Repeats' after-answer work still running (see afterAnswer). */
  private readonly repeats = new Set<Promise<void>>();
  /** Concurrent signs are written together: see signBatchOptions. */
  private readonly batcher = new InFlightBatcher<SignItem, SignRow>(
    (items) => this.writeBatch(items),
    signBatchOptions(this.config, this.metrics),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyRing,
    private readonly petitions: PetitionsService,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
    private readonly signAgain: SignAgainService,
    private readonly metrics: Metrics,
    private readonly limits: SignLimits,
    private readonly invited: InvitationSigningService,
  ) {}

  async sign(petitionRef: string, dto: SignDto, context: SigningContext): Promise<void> {
    const started = performance.now();
    if (!UUID.test(petitionRef) && !SLUG.test(petitionRef)) throw DomainError.notFound('Petition');
    // A register invitation: its own path (the entry's details, no confirmation mail).
    if (dto.invitation !== undefined) return this.invited.sign(petitionRef, dto, context);
    // Before anything is written: a refused signature leaves no trace but its count.
    await this.limits.check(petitionRef, context.ip);
    const target = await this.keys.petition(petitionRef);
    if (target === null) throw DomainError.notFound('Petition');
    if (target.keys === null) {
      // Its signers' data was erased: it closed (or was rejected) long ago.
      const petition = await this.petitions.getVisible(petitionRef, context.principal);
      throw new DomainError('petition_not_open', `The petition is ${petition.status}, not open`);
    }
    const keys = target.keys;
    const email = normaliseEmail(dto.email);
    const emailIndex = keys.index(email.canonical, EMAIL_PURPOSE);
    const sourceGlobal = keys.globalIndex(context.ip, SOURCE_PURPOSE);
    const token = generateToken();
    /** The ciphertexts of a signature, bound to its row (a repeat's are made for the old row). */
    const seal = (rowId: string) => ({
      emailEncrypted: keys.encrypt(email.address, EMAIL_PURPOSE, rowId),
      tokenEncrypted: keys.encrypt(token, TOKEN_PURPOSE, rowId),
      sourceGlobalEncrypted: keys.encryptBytes(sourceGlobal, SOURCE_GLOBAL_PURPOSE, rowId),
    });
    const signatureId = randomUUID();
    const signer: Restart = {
      fullName: dto.fullName,
      nameKey: nameKey(dto.fullName),
      district: emptyToNull(dto.district),
      title: emptyToNull(dto.title),
      displayPublicly: dto.displayPublicly ?? false,
      comment: emptyToNull(dto.comment),
      emailDomain: email.domain,
      sourceIndex: keys.indexOfGlobal(sourceGlobal, SOURCE_PURPOSE),
      userAgentIndex: context.userAgent ? keys.index(context.userAgent, USER_AGENT_PURPOSE) : null,
      tokenHash: hashToken(token),
      ...seal(signatureId),
      tokenExpiresAt: new Date(Date.now() + this.config.confirmationTtlHours * 3_600_000),
      language: pickLanguage(context.acceptLanguage),
    };
    const item: SignItem = {
      petitionId: target.petitionId,
      signatureId,
      emailIndex,
      signer,
    };
    const row = await this.batcher.add(item);
    if (row.petition_id === null) throw DomainError.notFound('Petition');
    if (row.petition_status !== PetitionStatus.Open) {
      // Tell "closed" apart from "does not exist" only to those who may see the petition.
      await this.petitions.getVisible(petitionRef, context.principal);
      throw new DomainError(
        'petition_not_open',
        `The petition is ${row.petition_status}, not open`,
      );
    }
    // A new signature's mail and checks were enqueued with its batch's (see writeOne).
    if (row.signature_id === null) {
      // Already signed: the same answer; a lapsed signature starts over, a lost mail is resent,
      // a withdrawn one holds the re-sign for its owner to confirm. All of it after the answer.
      const petitionId = row.petition_id;
      const requireConfirmation = row.require_email_confirmation as boolean;
      this.afterAnswer(() =>
        this.signAgain.signAgain(petitionId, requireConfirmation, emailIndex, signer, seal),
      );
    }
    await this.answerNoSoonerThan(started + this.config.signMinResponseMs);
  }

  /**
   * Work only a repeat needs runs after its answer has gone out: its queries must not make a
   * repeat slower (or faster) to answer than a first signature, which would tell who signed.
   * It waits REPEAT_WORK_DELAY_MS rather than the next turn of the event loop: started at once,
   * its queries competed for the CPU with the answer's own delivery and still added 0.9 ms to a
   * repeat's median (test/repeat-timing.e2e-spec.ts, one signer at a time). It is awaited at
   * shutdown; a failure is logged by SignAgainService and the sweeper sends any mail then owed.
   */
  private afterAnswer(work: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setTimeout(resolve, REPEAT_WORK_DELAY_MS))
      .then(work)
      .finally(() => this.repeats.delete(run));
    this.repeats.add(run);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.repeats]);
  }

  /**
   * Writes a batch of signs: one statement per petition. The same email twice in one statement
   * would make its upsert touch a row twice, which PostgreSQL refuses, so a repeat waits for the
   * next statement (and then finds the signature already there). Should a statement fail, the
   * batch fails and the batcher writes each request alone: one request's failure is its own, and
   * a request whose statement had succeeded finds its signature there and gets the same answer.
   */
  private async writeBatch(items: SignItem[]): Promise<SignRow[]> {
    const rows = new Map<SignItem, SignRow>();
    let rest = items;
    while (rest.length > 0) {
      const groups = new Map<string, Map<string, SignItem>>();
      const later: SignItem[] = [];
      for (const item of rest) {
        const group = groups.get(item.petitionId) ?? new Map<string, SignItem>();
        groups.set(item.petitionId, group);
        const key = item.emailIndex.toString('hex');
        if (group.has(key)) later.push(item);
        else group.set(key, item);
      }
      await Promise.all(
        [...groups].map(async ([petitionId, group]) => {
          // The same order in every statement, so two concurrent ones cannot deadlock on the
          // unique indexes they both insert into.
          const batch = [...group.values()].sort((a, b) =>
            Buffer.compare(a.emailIndex, b.emailIndex),
          );
          const result = await this.writeOne(petitionId, batch);
          batch.forEach((item, i) => rows.set(item, result[i]));
        }),
      );
      rest = later;
    }
    return items.map((item) => rows.get(item) as SignRow);
  }

  /**
   * One statement, then the jobs for the signatures it wrote: one mail job and (without email
   * confirmation) one verification job for all of them, keyed by the batch id stored with each.
   */
  private async writeOne(petitionId: string, items: SignItem[]): Promise<SignRow[]> {
    const batchId = randomUUID();
    const column = <T>(pick: (item: SignItem) => T) => items.map(pick);
    const rows: Array<SignRow & { n: string }> = await this.dataSource.query(this.sql, [
      petitionId,
      column((i) => i.emailIndex),
      column((i) => i.signer.emailEncrypted),
      column((i) => i.signer.fullName),
      column((i) => i.signer.nameKey),
      column((i) => i.signer.district),
      column((i) => i.signer.title),
      column((i) => i.signer.displayPublicly),
      column((i) => i.signer.comment),
      column((i) => i.signer.emailDomain),
      column((i) => i.signer.sourceIndex),
      column((i) => i.signer.userAgentIndex),
      column((i) => i.signer.tokenHash),
      column((i) => i.signer.tokenEncrypted),
      column((i) => i.signer.tokenExpiresAt),
      column((i) => i.signer.language),
      pickShard(),
      batchId,
      column((i) => i.signatureId),
      column((i) => i.signer.sourceGlobalEncrypted),
    ]);
    const written = rows.filter((row) => row.signature_id !== null);
    countNewSignatures(this.metrics, written);
    const batch = (pick: (row: SignRow) => boolean) => ({
      id: batchId,
      payload: { batchId, signatureIds: written.filter(pick).map((row) => row.signature_id!) },
    });
    if (written.length > 0)
      this.producer.enqueueSoon(
        JobName.SendSignerMails,
        batch(() => true),
      );
    const pending = batch((row) => row.signature_status === SignatureStatus.Pending);
    if (pending.payload.signatureIds.length > 0) {
      this.producer.enqueueSoon(JobName.VerifySignatures, pending);
    }
    const byN = new Map(rows.map((row) => [Number(row.n), row]));
    return items.map((_, i) => byN.get(i + 1) as SignRow);
  }

  /**
   * A repeat signature skips the inserts, so it is a little faster: measured here at 0.1–0.2 ms
   * on the median, enough to tell over many tries who has signed. Holding every answer until the
   * same moment hides that; under load, queueing noise dwarfs it anyway.
   */
  private async answerNoSoonerThan(deadline: number): Promise<void> {
    const wait = deadline - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/**
 * The sign statement for a batch: $1 is the petition's id, $2…$16, $19 and $20 are parallel
 * arrays, one element per signer (distinct email indexes; $19 the signature ids), $17 the count
 * shard, $18 the work batch. One row comes back per signer (`n`, from 1), with the petition's
 * columns null when there is no such petition.
 */
function signSql(): string {
  return `
    WITH input AS (
      SELECT * FROM unnest($2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::text[],
                           $7::text[], $8::boolean[], $9::text[], $10::text[], $11::bytea[],
                           $12::bytea[], $13::bytea[], $14::bytea[], $15::timestamptz[], $16::text[],
                           $19::uuid[], $20::bytea[])
        WITH ORDINALITY AS i(email_index, email_encrypted, full_name, name_key, district, title,
                             display_publicly, comment, email_domain, source_index,
                             user_agent_index, token_hash, token_encrypted, token_expires_at,
                             language, id, source_global_encrypted, n)
    ), p AS (
      SELECT id, status, require_email_confirmation, language FROM petitions p WHERE p.id = $1::uuid
    ), sig AS (
      INSERT INTO signatures (id, petition_id, email_index, email_encrypted, status, origin,
        full_name, name_key, district, title, display_publicly, comment, email_domain,
        source_index, source_global_encrypted, user_agent_index, token_hash, token_encrypted,
        token_expires_at, language, work_batch)
      SELECT i.id, p.id, i.email_index, i.email_encrypted, ${NEW_STATUS}, 'public', i.full_name,
        i.name_key, i.district, i.title, i.display_publicly, i.comment, i.email_domain,
        i.source_index, i.source_global_encrypted, i.user_agent_index, i.token_hash,
        i.token_encrypted, i.token_expires_at, coalesce(i.language, p.language), $18::uuid
      FROM input i CROSS JOIN p
      WHERE p.status = 'open'
      ORDER BY i.n
      ON CONFLICT (petition_id, email_index) WHERE origin = 'public' DO NOTHING
      RETURNING id, petition_id, status
    ), events AS (
      INSERT INTO signature_events (signature_id, from_status, to_status, actor_type)
      SELECT id, NULL, status, 'signer' FROM sig
    ), counted AS (
      ${shardUpsertSql(
        `SELECT petition_id,
           ${deltaColumns({
             [SignatureStatus.Unconfirmed]: `count(*) FILTER (WHERE status = 'unconfirmed')`,
             [SignatureStatus.Pending]: `count(*) FILTER (WHERE status = 'pending')`,
           })}
         FROM sig GROUP BY petition_id`,
        '$17',
      )}
    )
    SELECT i.n, p.id AS petition_id, p.status AS petition_status, p.require_email_confirmation,
           sig.id AS signature_id, sig.status AS signature_status
      FROM input i
      LEFT JOIN p ON true
      LEFT JOIN sig ON sig.id = i.id`;
}
