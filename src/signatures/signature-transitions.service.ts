import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Metrics } from '../common/metrics/metrics.js';
import { afterCommit } from '../database/after-commit.js';
import { moveDeltaColumns, pickShard, shardUpsertSql } from '../counts/count-shards.js';
import type { CheckResult } from '../verification/check.js';
import { canSignatureTransition, SignatureActor, SignatureStatus } from './signature-status.js';
import { WITHDRAWAL_ERASED_SETS } from './withdrawal-erasure.js';

/** One signature to move, with what the automated checks found (if they ran). */
export interface MoveItem {
  id: string;
  checks?: CheckResult[];
  riskScore?: number;
}

/**
 * What the signer sent when signing again: a restarted signature takes it as a new one would,
 * with a new token, and forgets what the checks found last time.
 */
export interface Restart {
  fullName: string;
  nameKey: string;
  district: string | null;
  title: string | null;
  displayPublicly: boolean;
  comment: string | null;
  emailDomain: string;
  sourceIndex: Buffer;
  userAgentIndex: Buffer | null;
  tokenHash: Buffer;
  /**
   * The ciphertexts are bound to the row they are written to (see OwnerKeys). Null token: no
   * mail is owed (the signer confirmed a held re-sign through its mail).
   */
  emailEncrypted: Buffer | null;
  sourceGlobalEncrypted: Buffer | null;
  tokenEncrypted: Buffer | null;
  tokenExpiresAt: Date;
  language: string | null;
}

export interface Move {
  from: SignatureStatus;
  to: SignatureStatus;
  actor: SignatureActor;
  actorId?: string | null;
  reasonCode?: string | null;
  note?: string | null;
  items: readonly MoveItem[];
  /** Only from a restartable status (expired, withdrawn): see `Restart`. */
  restart?: Restart;
  /** The bulk invalidation this move is part of, recorded on each event. */
  invalidationId?: string;
  /**
   * The count shard to write. A transaction making several moves must pass one shard to all of
   * them: a writer holding two shards could deadlock with another (and with reconciliation).
   */
  shard?: number;
}

export interface Moved {
  id: string;
  petitionId: string;
}

/**
 * The one way a signature's status changes. In one statement it moves every row still in `from`
 * (`WHERE status = from`, so a retried job or a lost race changes nothing), appends an event per
 * row and moves the petition's counts from one status to the other. Rows that had already moved
 * on are left alone and are missing from the result.
 */
@Injectable()
export class SignatureTransitionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {}

  async move(move: Move, manager: EntityManager = this.dataSource.manager): Promise<Moved[]> {
    if (!canSignatureTransition(move.from, move.to)) {
      throw new Error(`signature transition ${move.from} → ${move.to} is not in the table`);
    }
    if (move.items.length === 0) return [];
    const { sets: restartSets, params: restartParams } = restartColumns(move.restart, 12);
    const rows: Array<{ id: string; petition_id: string }> = await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::smallint[]) AS i(id, checks, risk_score)
       ), moved AS (
         UPDATE signatures s SET
           status = $4,
           reason_code = $6,
           updated_at = now(),${
             // A row leaving the review queue takes no moderator's claim with it.
             move.to !== SignatureStatus.NeedsReview
               ? `
           claimed_by = NULL,
           claim_expires_at = NULL,`
               : ''
           }
           ${
             restartSets ??
             (move.to === SignatureStatus.Withdrawn
               ? WITHDRAWAL_ERASED_SETS
               : `checks = COALESCE(i.checks, s.checks),
           risk_score = COALESCE(i.risk_score, s.risk_score),
           verified_at = CASE WHEN $4 = 'verified' THEN now() ELSE s.verified_at END,
           confirmed_at = CASE WHEN $5 = 'unconfirmed' AND $4 = 'pending' THEN now() ELSE s.confirmed_at END,
           -- Confirmed: its checks now run in a job of its own, keyed by its id.
           work_batch = CASE WHEN $4 = 'pending' THEN NULL ELSE s.work_batch END,
           token_encrypted = CASE WHEN $4 = 'expired' THEN NULL ELSE s.token_encrypted END`)
           }
         FROM input i
         WHERE s.id = i.id AND s.status = $5
         RETURNING s.id, s.petition_id
       ), events AS (
         INSERT INTO signature_events
           (signature_id, from_status, to_status, actor_type, actor_id, reason_code, note, invalidation_id)
         SELECT id, $5, $4, $7, $8, $6, $9, $11 FROM moved
       ), counted AS (
         ${shardUpsertSql(
           `SELECT petition_id, ${moveDeltaColumns(move.from, move.to, 'count(*)')}
              FROM moved GROUP BY petition_id ORDER BY petition_id`,
           '$10',
         )}
       )
       SELECT id, petition_id FROM moved`,
      [
        move.items.map((item) => item.id),
        move.items.map((item) => (item.checks ? JSON.stringify(item.checks) : null)),
        move.items.map((item) => item.riskScore ?? null),
        move.to,
        move.from,
        move.reasonCode ?? null,
        move.actor,
        move.actorId ?? null,
        move.note ?? null,
        move.shard ?? pickShard(),
        move.invalidationId ?? null,
        ...restartParams,
      ],
    );
    if (rows.length > 0) {
      afterCommit(manager, () =>
        this.metrics.signatureTransitions.inc({ from: move.from, to: move.to }, rows.length),
      );
    }
    return rows.map((row) => ({ id: row.id, petitionId: row.petition_id }));
  }
}

/** The SET list of a restart, with its parameters numbered from `first`. */
function restartColumns(
  restart: Restart | undefined,
  first: number,
): { sets: string | null; params: unknown[] } {
  if (!restart) return { sets: null, params: [] };
  const values: Array<[string, unknown]> = [
    ['full_name', restart.fullName],
    ['name_key', restart.nameKey],
    ['district', restart.district],
    ['title', restart.title],
    ['display_publicly', restart.displayPublicly],
    ['comment', restart.comment],
    ['email_domain', restart.emailDomain],
    ['source_index', restart.sourceIndex],
    ['source_global_encrypted', restart.sourceGlobalEncrypted],
    ['email_encrypted', restart.emailEncrypted],
    ['user_agent_index', restart.userAgentIndex],
    ['token_hash', restart.tokenHash],
    ['token_encrypted', restart.tokenEncrypted],
    ['token_expires_at', restart.tokenExpiresAt],
  ];
  const sets = values.map(([column], i) => `${column} = $${first + i}`);
  sets.push(
    `language = COALESCE($${first + values.length}, s.language)`,
    'mail_sent_at = NULL',
    'work_batch = NULL',
    'checks = NULL',
    'risk_score = NULL',
    'verified_at = NULL',
    'confirmed_at = NULL',
  );
  return {
    sets: sets.join(',\n           '),
    params: [...values.map(([, value]) => value), restart.language],
  };
}
