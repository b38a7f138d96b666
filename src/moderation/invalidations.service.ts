import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { AppConfig } from '../config/app-config.js';
import { pickShard } from '../counts/count-shards.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import type { SignatureReasonCode } from '../signatures/signature-reason-codes.js';
import { SignatureActor, SignatureStatus } from '../signatures/signature-status.js';
import { SignatureTransitionsService } from '../signatures/signature-transitions.service.js';
import type { CreateInvalidationDto, InvalidationResponse } from './dto/invalidation.dto.js';
import type { InvalidationStatus } from './invalidation-status.js';
import { criteriaSql, type StoredCriteria, storeCriteria } from './invalidation-criteria.js';
import { InvalidationTargetsRepository } from './invalidation-targets.repository.js';

const BATCH = 500;

export interface InvalidationListFilter {
  statuses?: InvalidationStatus[];
  limit: number;
  cursor?: string;
}

/** A signature an invalidation's criteria match: enough to see whether they are the right ones. */
export interface InvalidationMatch {
  signatureId: string;
  fullName: string;
  district: string | null;
  status: string;
  createdAt: string;
}

interface InvalidationRow {
  id: string;
  petition_id: string;
  criteria: StoredCriteria;
  reason_code: string;
  note: string | null;
  status: InvalidationStatus;
  matched: number;
  processed: number;
  requested_by: string;
  approved_by: string | null;
  /** False only for invalidations requested before their targets were recorded by id. */
  targets_recorded: boolean;
  created_at: Date;
  finished_at: Date | null;
}

/**
 * Bulk invalidation of fraud: moderators reject, by criteria, the signatures of one petition. A
 * dry run only counts. A request records the ids it matches; when it takes what its moderator has
 * changed on that petition alone in 24 hours past INVALIDATION_APPROVAL_THRESHOLD (see
 * InvalidationTargetsRepository) a second moderator must approve before anything changes. A
 * BullMQ job then rejects, in batches, those recorded signatures that still match, recording
 * progress, and stops between batches when cancelled. Every rejection is an ordinary transition
 * (event, counts) whose event names the invalidation and both moderators.
 */
@Injectable()
export class InvalidationsService {
  private readonly logger = new Logger(InvalidationsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly petitions: PetitionsService,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
    private readonly targets: InvalidationTargetsRepository,
  ) {}

  async create(moderator: Principal, dto: CreateInvalidationDto): Promise<InvalidationResponse> {
    const petition = await this.petitions.getVisible(dto.petitionId, moderator);
    const criteria = storeCriteria(dto.criteria);
    if (criteria.sameSourceAs) await this.assertOfPetition(criteria.sameSourceAs, petition.id);
    const { where, params } = criteriaSql(petition.id, criteria);
    const insert = (m: EntityManager, status: InvalidationStatus, matched: number) =>
      m.query(
        `INSERT INTO invalidations (petition_id, criteria, reason_code, note, status, matched, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          petition.id,
          JSON.stringify(criteria),
          dto.reasonCode,
          dto.note ?? null,
          status,
          matched,
          moderator.id,
        ],
      ) as Promise<InvalidationRow[]>;

    if (dto.dryRun) {
      const [{ n }]: Array<{ n: number }> = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM signatures s WHERE ${where}`,
        params,
      );
      const [preview] = await insert(this.dataSource.manager, 'preview', n);
      return present(preview);
    }

    const row = await this.dataSource.transaction(async (m) => {
      await this.targets.lockRequester(m, moderator.id, petition.id);
      const before = await this.targets.unapprovedTotal(m, moderator.id, petition.id);
      const [created] = await insert(m, 'awaiting_approval', 0);
      const matched = await this.targets.record(m, created.id, where, params);
      // Any request that takes this moderator's own total past the threshold waits for another.
      const status =
        matched > 0 && before + matched > this.config.invalidationApprovalThreshold
          ? 'awaiting_approval'
          : 'running';
      const [updated] = await updateReturning<InvalidationRow>(
        m,
        `UPDATE invalidations SET status = $2, matched = $3 WHERE id = $1 RETURNING *`,
        [created.id, status, matched],
      );
      return updated;
    });
    if (row.status === 'running') await this.start(row.id);
    return present(row);
  }

  /**
   * `sameSourceAs` must name a signature of this petition: another petition's would show the
   * moderator an overlap across petitions, and let its id be probed from here.
   */
  private async assertOfPetition(signatureId: string, petitionId: string): Promise<void> {
    const [found]: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM signatures WHERE id = $1 AND petition_id = $2`,
      [signatureId, petitionId],
    );
    if (!found) {
      throw new DomainError(
        'validation_failed',
        'criteria.sameSourceAs: no signature of this petition has this id',
        [
          {
            field: 'criteria.sameSourceAs',
            message:
              'name a signature of this petition (no signature of this petition has this id)',
          },
        ],
      );
    }
  }

  /**
   * What this moderator's invalidations of this petition changed, or will, on their own in the
   * last 24 hours: what a new request adds to before INVALIDATION_APPROVAL_THRESHOLD (the console
   * says beforehand whether a previewed one would wait for a second moderator).
   */
  async changedAlone(moderatorId: string, petitionId: string): Promise<number> {
    return this.targets.unapprovedTotal(this.dataSource.manager, moderatorId, petitionId);
  }

  async get(id: string): Promise<InvalidationResponse> {
    return present(await this.find(id));
  }

  /**
   * Invalidations, newest first, optionally only those in some statuses (the console's list of
   * those awaiting a second moderator, and of recent ones). Keyset-paginated on (created_at, id).
   */
  async list(query: InvalidationListFilter): Promise<Page<InvalidationResponse>> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: InvalidationRow[] = await this.dataSource.query(
      `SELECT * FROM invalidations
        WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [query.statuses ?? null, after?.at ?? null, after?.id ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.created_at.toISOString(), id: row.id }),
      present,
    );
  }

  /**
   * Up to `limit` of the signatures an invalidation's criteria match now, oldest first: what a
   * moderator looks at before requesting or approving it. What it has already rejected no longer
   * matches (`rejected` is never among its statuses), so while it runs this shows what is left.
   */
  async sample(id: string, limit = 20): Promise<InvalidationMatch[]> {
    const invalidation = await this.find(id);
    const { where, params } = criteriaSql(invalidation.petition_id, invalidation.criteria);
    const rows: Array<{
      id: string;
      full_name: string;
      district: string | null;
      status: string;
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT s.id, s.full_name, s.district, s.status, s.created_at FROM signatures s
        WHERE ${where} ORDER BY s.created_at, s.id LIMIT ${Math.max(1, Math.min(100, limit))}`,
      params,
    );
    return rows.map((row) => ({
      signatureId: row.id,
      fullName: row.full_name,
      district: row.district,
      status: row.status,
      createdAt: row.created_at.toISOString(),
    }));
  }

  async approve(moderator: Principal, id: string): Promise<InvalidationResponse> {
    const [row] = await updateReturning<InvalidationRow>(
      this.dataSource,
      `UPDATE invalidations SET status = 'running', approved_by = $2, updated_at = now()
        WHERE id = $1 AND status = 'awaiting_approval' AND requested_by <> $2 RETURNING *`,
      [id, moderator.id],
    );
    if (!row) {
      const current = await this.find(id);
      if (current.requested_by === moderator.id && current.status === 'awaiting_approval') {
        throw new DomainError(
          'second_moderator_required',
          'Another moderator must approve an invalidation you requested',
        );
      }
      throw new DomainError('invalid_transition', `The invalidation is ${current.status}`);
    }
    await this.start(row.id);
    return present(row);
  }

  async cancel(id: string): Promise<InvalidationResponse> {
    const [row] = await updateReturning<InvalidationRow>(
      this.dataSource,
      `UPDATE invalidations SET status = 'cancelled', updated_at = now(), finished_at = now()
        WHERE id = $1 AND status IN ('preview', 'awaiting_approval', 'running') RETURNING *`,
      [id],
    );
    if (!row) {
      const current = await this.find(id);
      throw new DomainError('invalid_transition', `The invalidation is already ${current.status}`);
    }
    await this.targets.forget(this.dataSource, id);
    return present(row);
  }

  /**
   * The job: rejects the matches in batches until none is left, the invalidation is cancelled, or
   * it is no longer running. Safe to run again (a retry continues where it stopped).
   */
  async run(id: string): Promise<{ processed: number; status: string }> {
    let processed = 0;
    for (;;) {
      const invalidation = await this.find(id);
      if (invalidation.status !== 'running') return { processed, status: invalidation.status };
      const moved = await this.dataSource.transaction(async (m) => {
        const { where, params } = criteriaSql(invalidation.petition_id, invalidation.criteria);
        // Only what it matched when requested, and still matches: never more than `matched`.
        const targeted = invalidation.targets_recorded
          ? ` AND ${this.targets.targetClause(`$${params.length + 1}`)}`
          : '';
        const rows: Array<{ id: string; status: SignatureStatus }> = await m.query(
          `SELECT s.id, s.status FROM signatures s WHERE ${where}${targeted}
            ORDER BY s.id LIMIT ${BATCH} FOR UPDATE OF s`,
          invalidation.targets_recorded ? [...params, invalidation.id] : params,
        );
        let count = 0;
        const shard = pickShard(); // one for the whole transaction: see Move.shard
        for (const from of new Set(rows.map((r) => r.status))) {
          const done = await this.transitions.move(
            {
              from,
              to: SignatureStatus.Rejected,
              actor: SignatureActor.Moderator,
              actorId: invalidation.requested_by,
              reasonCode: invalidation.reason_code as SignatureReasonCode,
              note: eventNote(invalidation),
              invalidationId: invalidation.id,
              shard,
              items: rows.filter((r) => r.status === from),
            },
            m,
          );
          count += done.length;
        }
        // A cancel that came meanwhile keeps this batch's work and ends the loop at the next look.
        await m.query(
          `UPDATE invalidations SET processed = processed + $2, updated_at = now() WHERE id = $1`,
          [id, count],
        );
        return rows.length === 0 ? null : count;
      });
      if (moved === null) break;
      processed += moved;
    }
    await this.dataSource.query(
      `UPDATE invalidations SET status = 'completed', finished_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [id],
    );
    await this.targets.forget(this.dataSource, id);
    this.logger.log({ msg: 'invalidation completed', invalidationId: id, processed });
    return { processed, status: 'completed' };
  }

  private async start(id: string): Promise<void> {
    await this.producer
      .enqueue(JobName.RunInvalidation, { invalidationId: id }, { jobId: id })
      .catch((error: Error) => {
        // Recorded as running: the sweeper starts running invalidations that have no job.
        this.logger.warn(`could not enqueue invalidation ${id}: ${error.message}`);
      });
  }

  /** For the sweeper: a running invalidation whose job Redis lost, or that failed, runs again. */
  async reviveRunning(): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM invalidations WHERE status = 'running' AND updated_at < now() - interval '30 seconds'`,
    );
    const added = await this.producer.ensureLive(
      JobName.RunInvalidation,
      rows.map(({ id }) => ({ id, payload: { invalidationId: id } })),
    );
    return added.length;
  }

  private async find(id: string): Promise<InvalidationRow> {
    const [row]: InvalidationRow[] = await this.dataSource.query(
      `SELECT * FROM invalidations WHERE id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('Invalidation');
    return row;
  }
}

function eventNote(invalidation: InvalidationRow): string {
  const approval = invalidation.approved_by
    ? `approved by moderator ${invalidation.approved_by}`
    : 'below the approval threshold, no second moderator needed';
  const note = invalidation.note ? `: ${invalidation.note}` : '';
  return `Bulk invalidation ${invalidation.id}, requested by moderator ${invalidation.requested_by}, ${approval}${note}`;
}

function present(row: InvalidationRow): InvalidationResponse {
  return {
    id: row.id,
    status: row.status,
    matched: row.matched,
    processed: row.processed,
    requestedBy: row.requested_by,
    approvedBy: row.approved_by,
    petitionId: row.petition_id,
    criteria: row.criteria as unknown as Record<string, unknown>,
    reasonCode: row.reason_code,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
