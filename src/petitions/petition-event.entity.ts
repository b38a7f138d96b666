import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PetitionStatus } from './petition-status.js';

/** One status change of a petition: the audit trail, appended in the same transaction as the change. */
@Entity({ name: 'petition_events' })
export class PetitionEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  petitionId!: string;

  @Column({ type: 'text' })
  fromStatus!: PetitionStatus;

  @Column({ type: 'text' })
  toStatus!: PetitionStatus;

  /** Null when the system acted (closing at `closesAt`). */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  reasonCode!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
