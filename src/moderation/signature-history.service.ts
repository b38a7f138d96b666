import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import type { CheckResult } from '../verification/check.js';
import type { SignatureEventResponse } from './dto/review-queue.dto.js';

/**
 * What a moderator sees of one signature beside its history: as the review queue shows it (the
 * email's domain only, never the address, the source or the comment).
 */
export interface SignatureSummary {
  id: string;
  petitionId: string;
  petitionTitle: string;
  status: string;
  reasonCode: string | null;
  /** Empty once the signer's personal data is erased (withdrawn, or the retention has passed). */
  fullName: string;
  district: string | null;
  title: string | null;
  emailDomain: string | null;
  origin: string;
  checks: CheckResult[];
  riskScore: number;
  createdAt: string;
  updatedAt: string;
}

/** A signature's status history, oldest first: every change with its actor and reason. */
@Injectable()
export class SignatureHistoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** The signature the history is about, with its petition's title; 404 when there is none. */
  async summary(signatureId: string): Promise<SignatureSummary> {
    const [row]: Array<{
      id: string;
      petition_id: string;
      petition_title: string;
      status: string;
      reason_code: string | null;
      full_name: string | null;
      district: string | null;
      title: string | null;
      email_domain: string | null;
      origin: string;
      checks: CheckResult[] | null;
      risk_score: number | null;
      created_at: Date;
      updated_at: Date;
    }> = await this.dataSource.query(
      `SELECT s.id, s.petition_id, p.title AS petition_title, s.status, s.reason_code, s.full_name,
              s.district, s.title, s.email_domain, s.origin, s.checks, s.risk_score, s.created_at,
              s.updated_at
         FROM signatures s JOIN petitions p ON p.id = s.petition_id
        WHERE s.id = $1`,
      [signatureId],
    );
    if (!row) throw DomainError.notFound('Signature');
    return {
      id: row.id,
      petitionId: row.petition_id,
      petitionTitle: row.petition_title,
      status: row.status,
      reasonCode: row.reason_code,
      fullName: row.full_name ?? '',
      district: row.district,
      title: row.title,
      emailDomain: row.email_domain,
      origin: row.origin,
      checks: row.checks ?? [],
      riskScore: row.risk_score ?? 0,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async events(signatureId: string): Promise<SignatureEventResponse[]> {
    const [exists]: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM signatures WHERE id = $1`,
      [signatureId],
    );
    if (!exists) throw DomainError.notFound('Signature');
    const rows: Array<{
      from_status: string | null;
      to_status: string;
      actor_type: string;
      actor_id: string | null;
      reason_code: string | null;
      note: string | null;
      invalidation_id: string | null;
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT from_status, to_status, actor_type, actor_id, reason_code, note, invalidation_id,
              created_at
         FROM signature_events WHERE signature_id = $1 ORDER BY id`,
      [signatureId],
    );
    return rows.map((row) => ({
      from: row.from_status,
      to: row.to_status,
      actor: row.actor_type,
      actorId: row.actor_id,
      reasonCode: row.reason_code,
      note: row.note,
      invalidationId: row.invalidation_id,
      at: row.created_at.toISOString(),
    }));
  }
}
