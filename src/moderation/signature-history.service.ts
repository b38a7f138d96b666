import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import type { SignatureEventResponse } from './dto/review-queue.dto.js';

/** A signature's status history, oldest first: every change with its actor and reason. */
@Injectable()
export class SignatureHistoryService {
  constructor(private readonly dataSource: DataSource) {}

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
