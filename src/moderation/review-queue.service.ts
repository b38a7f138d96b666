import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { AppConfig } from '../config/app-config.js';
import { reasonCodesFor, type SignatureReasonCode } from '../signatures/signature-reason-codes.js';
import { SignatureActor, SignatureStatus } from '../signatures/signature-status.js';
import { SignatureTransitionsService } from '../signatures/signature-transitions.service.js';
import type { CheckResult } from '../verification/check.js';
import type {
  ClaimResponse,
  ReviewItemResponse,
  ReviewQueueQuery,
  SignatureDecisionDto,
} from './dto/review-queue.dto.js';

/** One petition's part of the review queue. */
export interface PetitionQueueSize {
  petitionId: string;
  title: string;
  /** Signatures in review. */
  waiting: number;
  /** Of those, the ones no moderator holds a live claim on. */
  unclaimed: number;
}

interface ReviewRow {
  id: string;
  petition_id: string;
  full_name: string;
  district: string | null;
  title: string | null;
  email_domain: string | null;
  checks: CheckResult[] | null;
  risk_score: number | null;
  claimed_by: string | null;
  claim_expires_at: Date | null;
  created_at: Date;
}

/** A review item's columns from signatures aliased `s`; a claim that has lapsed reads as none. */
const COLUMNS = `s.id, s.petition_id, s.full_name, s.district, s.title, s.email_domain, s.checks,
  s.risk_score, s.created_at,
  CASE WHEN s.claim_expires_at > now() THEN s.claimed_by END AS claimed_by,
  CASE WHEN s.claim_expires_at > now() THEN s.claim_expires_at END AS claim_expires_at`;

/**
 * The signatures the checks could not settle, oldest first, and moderators' work on them: claims
 * (a lease, so two moderators never hold the same signature, and a forgotten claim lapses) and
 * decisions with a reason code.
 */
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly config: AppConfig,
  ) {}

  async list(query: ReviewQueueQuery): Promise<Page<ReviewItemResponse>> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: ReviewRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM signatures s
        WHERE s.status = 'needs_review' AND ($1::uuid IS NULL OR s.petition_id = $1)
          AND ($2::timestamptz IS NULL OR (s.created_at, s.id) > ($2::timestamptz, $3::uuid))
        ORDER BY s.created_at, s.id LIMIT $4`,
      [query.petitionId ?? null, after?.at ?? null, after?.id ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.created_at.toISOString(), id: row.id }),
      present,
    );
  }

  /**
   * Takes up to `limit` unclaimed (or lapsed) signatures, oldest first. `SKIP LOCKED` lets
   * moderators claiming at the same moment each get different signatures instead of waiting.
   */
  async claim(
    moderator: Principal,
    petitionId: string | undefined,
    limit: number,
  ): Promise<ClaimResponse> {
    const rows = await updateReturning<ReviewRow>(
      this.dataSource,
      `WITH picked AS (
         SELECT id FROM signatures
          WHERE status = 'needs_review' AND ($1::uuid IS NULL OR petition_id = $1)
            AND (claim_expires_at IS NULL OR claim_expires_at <= now())
          ORDER BY created_at, id LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE signatures s
          SET claimed_by = $3, claim_expires_at = now() + make_interval(secs => $4)
         FROM picked WHERE s.id = picked.id
       RETURNING ${COLUMNS}`,
      [petitionId ?? null, limit, moderator.id, this.config.claimLeaseSeconds],
    );
    rows.sort(
      (a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id),
    );
    return {
      items: rows.map(present),
      expiresAt: rows[0]?.claim_expires_at?.toISOString() ?? null,
    };
  }

  /**
   * The caller's live claims still in review, oldest first: what the console's review page works
   * through, one after another, until they are decided, released or lapse.
   */
  async claimsOf(
    moderator: Principal,
    petitionId: string | undefined,
    limit = 50,
  ): Promise<ReviewItemResponse[]> {
    const rows: ReviewRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM signatures s
        WHERE s.status = 'needs_review' AND s.claimed_by = $1 AND s.claim_expires_at > now()
          AND ($2::uuid IS NULL OR s.petition_id = $2)
        ORDER BY s.created_at, s.id LIMIT $3`,
      [moderator.id, petitionId ?? null, limit],
    );
    return rows.map(present);
  }

  /**
   * How many signatures wait for review on each petition, and how many of them nobody holds;
   * the petition whose oldest one has waited longest first.
   */
  async waitingByPetition(): Promise<PetitionQueueSize[]> {
    const rows: Array<{ petition_id: string; title: string; waiting: number; unclaimed: number }> =
      await this.dataSource.query(
        `SELECT s.petition_id, p.title, count(*)::int AS waiting,
                count(*) FILTER (WHERE s.claim_expires_at IS NULL OR s.claim_expires_at <= now())::int
                  AS unclaimed
           FROM signatures s JOIN petitions p ON p.id = s.petition_id
          WHERE s.status = 'needs_review'
          GROUP BY s.petition_id, p.title
          ORDER BY min(s.created_at), s.petition_id`,
      );
    return rows.map((row) => ({
      petitionId: row.petition_id,
      title: row.title,
      waiting: row.waiting,
      unclaimed: row.unclaimed,
    }));
  }

  /** Gives a claim back. Idempotent for its holder; another moderator's live claim is a 409. */
  async release(moderator: Principal, signatureId: string): Promise<void> {
    const released = await updateReturning<{ id: string }>(
      this.dataSource,
      `UPDATE signatures SET claimed_by = NULL, claim_expires_at = NULL
        WHERE id = $1 AND claimed_by = $2 RETURNING id`,
      [signatureId, moderator.id],
    );
    if (released.length > 0) return;
    const [row]: Array<{ claimed_by: string | null }> = await this.dataSource.query(
      `SELECT CASE WHEN claim_expires_at > now() THEN claimed_by END AS claimed_by
         FROM signatures WHERE id = $1`,
      [signatureId],
    );
    if (!row) throw DomainError.notFound('Signature');
    if (row.claimed_by !== null) throw claimedByOther();
  }

  async decide(
    moderator: Principal,
    signatureId: string,
    dto: SignatureDecisionDto,
  ): Promise<SignatureStatus> {
    if (!(reasonCodesFor(dto.decision) as string[]).includes(dto.reasonCode)) {
      const allowed = reasonCodesFor(dto.decision).join(', ');
      throw new DomainError(
        'validation_failed',
        `reasonCode: to ${dto.decision}, use one of ${allowed}`,
        [
          {
            field: 'reasonCode',
            message: `to ${dto.decision}, reasonCode must be one of ${allowed}`,
          },
        ],
      );
    }
    const to = dto.decision === 'verify' ? SignatureStatus.Verified : SignatureStatus.Rejected;
    return this.dataSource.transaction(async (m) => {
      const [row]: Array<{ status: SignatureStatus; claimed_by: string | null }> = await m.query(
        `SELECT status, CASE WHEN claim_expires_at > now() THEN claimed_by END AS claimed_by
           FROM signatures WHERE id = $1 FOR UPDATE`,
        [signatureId],
      );
      if (!row) throw DomainError.notFound('Signature');
      if (row.status !== SignatureStatus.NeedsReview) {
        throw new DomainError(
          'already_decided',
          `The signature is ${row.status}, no longer in review`,
        );
      }
      if (row.claimed_by !== null && row.claimed_by !== moderator.id) throw claimedByOther();
      await this.transitions.move(
        {
          from: SignatureStatus.NeedsReview,
          to,
          actor: SignatureActor.Moderator,
          actorId: moderator.id,
          reasonCode: dto.reasonCode as SignatureReasonCode,
          note: dto.note ?? null,
          items: [{ id: signatureId }],
        },
        m,
      );
      return to;
    });
  }
}

function claimedByOther(): DomainError {
  return new DomainError('claimed_by_other', 'Another moderator holds a claim on this signature');
}

function present(row: ReviewRow): ReviewItemResponse {
  const checks = row.checks ?? [];
  return {
    signatureId: row.id,
    petitionId: row.petition_id,
    fullName: row.full_name,
    district: row.district,
    title: row.title,
    emailDomain: row.email_domain,
    checks: checks.map((c) => ({
      name: c.name,
      outcome: c.outcome,
      detail: c.detail,
      risk: c.risk,
    })),
    riskScore: row.risk_score ?? 0,
    riskFactors: checks
      .filter((c) => c.risk > 0)
      .sort((a, b) => b.risk - a.risk)
      .map((c) => ({ check: c.name, points: c.risk, detail: c.detail })),
    claimedBy: row.claimed_by,
    claimExpiresAt: row.claim_expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
