import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { PetitionEvent } from './petition-event.entity.js';
import { Petition } from './petition.entity.js';
import { canTransition, PetitionStatus } from './petition-status.js';

export interface PetitionTransition {
  to: PetitionStatus;
  /** Null for the system. */
  actorId: string | null;
  reasonCode?: string | null;
  note?: string | null;
}

const STAMPS: Partial<Record<PetitionStatus, keyof Petition>> = {
  [PetitionStatus.Submitted]: 'submittedAt',
  [PetitionStatus.Open]: 'openedAt',
  [PetitionStatus.Closed]: 'closedAt',
};

/**
 * The one way a petition changes status: checks the transition table, updates the row only if it
 * is still in the status it was read in (so a concurrent or repeated request is refused, not
 * applied twice), and appends the event in the same transaction.
 */
@Injectable()
export class PetitionTransitionsService {
  constructor(private readonly dataSource: DataSource) {}

  async transition(petition: Petition, change: PetitionTransition): Promise<Petition> {
    return this.dataSource.transaction((manager) => this.transitionIn(manager, petition, change));
  }

  async transitionIn(
    manager: EntityManager,
    petition: Petition,
    change: PetitionTransition,
  ): Promise<Petition> {
    const from = petition.status;
    if (!canTransition(from, change.to)) throw invalidTransition(from, change.to);
    const now = new Date();
    const stamp = STAMPS[change.to];
    const set: Partial<Petition> = { status: change.to, updatedAt: now };
    if (stamp) Object.assign(set, { [stamp]: now });
    if (change.to === PetitionStatus.Open || change.to === PetitionStatus.Rejected) {
      set.decisionReasonCode = change.reasonCode ?? null;
      set.decisionNote = change.note ?? null;
    }
    if (change.to === PetitionStatus.Closed || change.to === PetitionStatus.Rejected) {
      // Retention counts from here; RetentionService erases the signers' data once it has passed.
      set.retentionEndsAt = new Date(now.getTime() + petition.retentionDays * 86_400_000);
    }
    const result = await manager
      .createQueryBuilder()
      .update(Petition)
      .set(set)
      .where('id = :id AND status = :from', { id: petition.id, from })
      .returning('*')
      .execute();
    const rows = result.raw as Record<string, unknown>[];
    if (rows.length === 0) {
      // Someone else moved it first; report against what it is now.
      const current = await manager.findOneBy(Petition, { id: petition.id });
      throw invalidTransition(current?.status ?? from, change.to);
    }
    await manager.insert(PetitionEvent, {
      petitionId: petition.id,
      fromStatus: from,
      toStatus: change.to,
      actorId: change.actorId,
      reasonCode: change.reasonCode ?? null,
      note: change.note ?? null,
    });
    return manager.create(Petition, { ...petition, ...set });
  }
}

function invalidTransition(from: PetitionStatus, to: PetitionStatus): DomainError {
  return new DomainError('invalid_transition', `A petition cannot go from ${from} to ${to}`, [
    { field: 'status', message: `is ${from}` },
  ]);
}
