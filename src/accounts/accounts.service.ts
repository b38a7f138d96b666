import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { generateToken, hashesEqual, hashToken } from '../common/crypto/token.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import type { Principal } from '../common/auth/principal.js';
import { Account } from './account.entity.js';
import { AccountRole, BOOTSTRAP_ADMIN_ID } from './account-role.js';

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
