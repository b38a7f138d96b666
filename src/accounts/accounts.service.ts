import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { generateToken, hashesEqual, hashToken } from '../common/crypto/token.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import type { Principal } from '../common/auth/principal.js';
import { Account } from './account.entity.js';
import { AccountLifecycle } from './account-lifecycle.js';
import { AccountRole, BOOTSTRAP_ADMIN_ID } from './account-role.js';

/** The columns `deactivate` reads back, as PostgreSQL names them. */
interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  role: AccountRole;
  created_at: Date;
  deactivated_at: Date;
}

export interface AccountPageQuery {
  limit: number;
  cursor?: string;
}

export interface NewAccount {
  email: string;
  displayName: string;
  role: AccountRole;
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly config: AppConfig,
    private readonly lifecycle: AccountLifecycle,
  ) {}

  /** Creates an account and returns its token; the token exists only in this return value. */
  async create(input: NewAccount): Promise<{ account: Account; token: string }> {
    const token = generateToken();
    try {
      const account = await this.accounts.save(
        this.accounts.create({
          ...input,
          email: input.email.toLowerCase(),
          tokenHash: hashToken(token),
        }),
      );
      return { account, token };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('account_exists', 'An account with this email already exists');
      }
      throw error;
    }
  }

  async findById(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  /**
   * Replaces an account's token with a new one and returns it; like at creation, it exists only in
   * this return value. The old hash is overwritten in the same statement, so the old token stops
   * working with this commit. The UPDATE re-checks `deactivated_at`, so a token can never be
   * issued to an account that a concurrent request has just deactivated.
   */
  async issueToken(id: string): Promise<string> {
    if (id === BOOTSTRAP_ADMIN_ID) {
      throw new DomainError(
        'invalid_transition',
        'The bootstrap admin signs in with ADMIN_TOKEN and has no token of its own; ' +
          'change ADMIN_TOKEN and restart the service to replace it',
      );
    }
    const token = generateToken();
    const result = await this.accounts
      .createQueryBuilder()
      .update(Account)
      .set({ tokenHash: hashToken(token) })
      .where('id = :id AND deactivated_at IS NULL', { id })
      .execute();
    if (result.affected === 0) {
      if (!(await this.accounts.existsBy({ id }))) throw DomainError.notFound('Account');
      throw new DomainError(
        'account_deactivated',
        'This account is deactivated, so it cannot be given a new token',
      );
    }
    return token;
  }

  /**
   * Deactivates an account for good: its token stops working with this commit (the hash is
   * cleared, and `authenticate` refuses the account besides), and every AccountLifecycle
   * listener ends what it holds (console sessions) in the same transaction, before this returns.
   * Its petitions, decisions and events stay, still naming it. Deactivating again is harmless:
   * the first `deactivatedAt` is kept and the listeners run again.
   */
  async deactivate(id: string, by: Principal): Promise<Account> {
    const accountId = id.toLowerCase();
    if (accountId === BOOTSTRAP_ADMIN_ID) {
      throw new DomainError(
        'invalid_transition',
        'The bootstrap admin cannot be deactivated: it is whoever holds ADMIN_TOKEN; ' +
          'change ADMIN_TOKEN and restart the service to shut out its holder',
      );
    }
    if (accountId === by.id.toLowerCase()) {
      throw new DomainError(
        'invalid_transition',
        'You cannot deactivate your own account; ask another admin to do it',
      );
    }
    return this.accounts.manager.transaction(async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(Account)
        .set({ deactivatedAt: () => 'COALESCE(deactivated_at, now())', tokenHash: null })
        .where('id = :id', { id: accountId })
        .returning(['id', 'email', 'displayName', 'role', 'createdAt', 'deactivatedAt'])
        .execute();
      const [row] = result.raw as AccountRow[];
      if (!row) throw DomainError.notFound('Account');
      await this.lifecycle.notifyDeactivated(accountId, tx);
      return tx.create(Account, {
        id: row.id,
        email: row.email,
        displayName: row.display_name,
        role: row.role,
        createdAt: row.created_at,
        deactivatedAt: row.deactivated_at,
      });
    });
  }

  /**
   * Every account, deactivated ones and the bootstrap admin's row included, newest first,
   * keyset-paginated on (created_at, id). The token hash is not even read (`select: false`).
   */
  async list(query: AccountPageQuery): Promise<Page<Account>> {
    const select = this.accounts.createQueryBuilder('a');
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      select.where(
        new Brackets((where) =>
          where
            .where('a.created_at < :at', { at: cursor.at })
            .orWhere('a.created_at = :at AND a.id < :id', { at: cursor.at, id: cursor.id }),
        ),
      );
    }
    const rows = await select
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    return toPage(
      rows,
      query.limit,
      (row) => ({ at: row.createdAt.toISOString(), id: row.id }),
      (row) => row,
    );
  }

  /**
   * Resolves a bearer token to its account, or null (also for a deactivated account). The admin
   * token is checked in constant time.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    if (this.config.adminTokenHash && hashesEqual(hash, this.config.adminTokenHash)) {
      return { id: BOOTSTRAP_ADMIN_ID, role: AccountRole.Admin };
    }
    // A deactivated account is refused here, not only by clearing its hash: this is the one check
    // every request passes through, so nothing else has to remember it.
    const account = await this.accounts.findOne({
      where: { tokenHash: hash, deactivatedAt: IsNull() },
      select: { id: true, role: true, tokenHash: true },
    });
    // The index lookup already matched the hash; the constant-time compare is belt and braces.
    if (!account?.tokenHash || !hashesEqual(account.tokenHash, hash)) return null;
    return { id: account.id, role: account.role };
  }
}
