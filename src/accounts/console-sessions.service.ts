import { Injectable, type OnModuleInit } from '@nestjs/common';
import csrfTokens from '@fastify/csrf';
import { DataSource } from 'typeorm';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { AppConfig } from '../config/app-config.js';
import { AccountLifecycle } from './account-lifecycle.js';
import type { AccountRole } from './account-role.js';

/** Who is signed in to the console, and the secret their forms' anti-forgery tokens come from. */
export interface ConsoleSession {
  accountId: string;
  role: AccountRole;
  displayName: string;
  email: string;
  expiresAt: Date;
  csrfSecret: string;
}

const csrf = csrfTokens({ userInfo: false });

/**
 * Console sessions, kept in PostgreSQL (the source of truth: ending one takes effect at once on
 * every replica). The browser holds only a random id; the table holds its SHA-256. Each session
 * has its own anti-forgery secret (@fastify/csrf), so a form's token is good for that session
 * only.
 */
@Injectable()
export class ConsoleSessionsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly lifecycle: AccountLifecycle,
  ) {}

  /** A deactivated account's sessions end in the deactivation's own transaction. */
  onModuleInit(): void {
    this.lifecycle.onDeactivated(async (accountId, tx) => {
      await tx.query(
        `UPDATE console_sessions SET ended_at = now() WHERE account_id = $1 AND ended_at IS NULL`,
        [accountId],
      );
    });
  }

  /** Starts a session for the account; returns the id for the cookie. */
  async start(accountId: string): Promise<{ id: string; expiresAt: Date }> {
    const id = generateToken();
    const rows: Array<{ expires_at: Date }> = await this.dataSource.query(
      `INSERT INTO console_sessions (id_hash, account_id, csrf_secret, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4))
       RETURNING expires_at`,
      [hashToken(id), accountId, csrf.secretSync(), this.config.sessionTtlHours],
    );
    return { id, expiresAt: rows[0].expires_at };
  }

  /** The live session with this id, or null: ended, expired, or its account deactivated. */
  async find(id: string): Promise<ConsoleSession | null> {
    const rows: Array<{
      account_id: string;
      role: AccountRole;
      display_name: string;
      email: string;
      expires_at: Date;
      csrf_secret: string;
    }> = await this.dataSource.query(
      `SELECT s.account_id, a.role, a.display_name, a.email, s.expires_at, s.csrf_secret
         FROM console_sessions s JOIN accounts a ON a.id = s.account_id
        WHERE s.id_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()
          AND a.deactivated_at IS NULL`,
      [hashToken(id)],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      accountId: row.account_id,
      role: row.role,
      displayName: row.display_name,
      email: row.email,
      expiresAt: row.expires_at,
      csrfSecret: row.csrf_secret,
    };
  }

  /** Ends one session (sign-out). */
  async end(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE console_sessions SET ended_at = now() WHERE id_hash = $1 AND ended_at IS NULL`,
      [hashToken(id)],
    );
  }

  /** Ends every session of an account (an admin's action, or its deactivation). */
  async endAll(accountId: string): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE console_sessions SET ended_at = now()
        WHERE account_id = $1 AND ended_at IS NULL RETURNING 1`,
      [accountId],
    );
    return rows.length;
  }

  /** An anti-forgery token for a form of this session. */
  csrfToken(session: ConsoleSession): string {
    return csrf.create(session.csrfSecret);
  }

  csrfValid(session: ConsoleSession, token: unknown): boolean {
    return (
      typeof token === 'string' && token.length < 200 && csrf.verify(session.csrfSecret, token)
    );
  }
}
