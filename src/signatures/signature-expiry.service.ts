import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignatureActor, SignatureStatus } from './signature-status.js';
import { ResignHoldsRepository } from './resign-holds.repository.js';
import { SignatureTransitionsService } from './signature-transitions.service.js';

const BATCH = 500;

/**
 * Unconfirmed signatures whose confirmation time has passed become `expired`; re-signs held for
 * a withdrawn signature whose time has passed are dropped (the signature stays withdrawn).
 */
@Injectable()
export class SignatureExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly holds: ResignHoldsRepository,
  ) {}

  async expireDue(): Promise<number> {
    await this.holds.discard(null);
    let total = 0;
    for (;;) {
      const moved = await this.dataSource.transaction(async (m) => {
        const rows: Array<{ id: string }> = await m.query(
          `SELECT id FROM signatures
            WHERE status = 'unconfirmed' AND token_expires_at <= now()
            ORDER BY token_expires_at LIMIT ${BATCH}
            FOR UPDATE SKIP LOCKED`,
        );
        return this.transitions.move(
          {
            from: SignatureStatus.Unconfirmed,
            to: SignatureStatus.Expired,
            actor: SignatureActor.System,
            reasonCode: 'confirmation_expired',
            items: rows,
          },
          m,
        );
      });
      total += moved.length;
      if (moved.length < BATCH) return total;
    }
  }
}
