import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Eligibility, MailLanguage, PetitionStatus } from './petition-status.js';

@Entity({ name: 'petitions' })
export class Petition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  addressee!: string;

  /** Changed only through PetitionTransitionsService. */
  @Column({ type: 'text' })
  status!: PetitionStatus;

  @Column({ type: 'integer', nullable: true })
  signatureGoal!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  closesAt!: Date | null;

  @Column({ type: 'boolean', default: true })
  requireEmailConfirmation!: boolean;

  @Column({ type: 'uuid', nullable: true })
  registerId!: string | null;

  @Column({ type: 'text', default: Eligibility.Review })
  eligibility!: Eligibility;

  @Column({ type: 'text', default: MailLanguage.En })
  language!: MailLanguage;

  @Column({ type: 'uuid' })
  organiserId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** Days after closing (or rejection) before the signers' personal data is destroyed. */
  @Column({ type: 'integer' })
  retentionDays!: number;

  /** Set when the petition is closed or rejected: `retentionDays` after it. */
  @Column({ type: 'timestamptz', nullable: true })
  retentionEndsAt!: Date | null;

  /** When RetentionService destroyed the petition's keys and erased its signers' data. */
  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionReasonCode!: string | null;

  @Column({ type: 'text', nullable: true })
  decisionNote!: string | null;
}
