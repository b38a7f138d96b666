import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AccountRole } from './account-role.js';

/**
 * An organiser, moderator or admin. The bearer token is stored only as its SHA-256. A deactivated
 * account keeps its row, so its petitions and decisions still name who made them.
 */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  role!: AccountRole;

  @Column({ type: 'bytea', nullable: true, select: false })
  tokenHash!: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Set once by deactivation and kept: a deactivated account never authenticates again. */
  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;
}
