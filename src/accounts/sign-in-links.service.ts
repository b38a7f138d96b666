import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataProtector } from '../common/crypto/data-protector.js';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { sourceOf } from '../common/net/source-address.js';
import { RateLimits } from '../common/rate-limit/rate-limits.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { SIGN_IN_LINK_MINUTES, SIGN_IN_TOKEN_PURPOSE } from './sign-in-data.js';

/**
 * One-time sign-in links for the console. Asking for one answers the same whether or not the
 * address has an account; only an active account gets a mail. The token is kept as a hash, and
 * encrypted only until its mail is sent.
 */
@Injectable()
export class SignInLinksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly protector: DataProtector,
    private readonly producer: JobProducer,
    private readonly limits: RateLimits,
  ) {}

  /** Mails a link if `email` is an active account's; limited per address and per source. */
  async request(email: string, ip: string, language: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.limits.consumeAll([
      { name: 'signIn', key: `address\0${address}` },
      { name: 'signIn', key: `source\0${sourceOf(ip)}` },
    ]);
    const token = generateToken();
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO sign_in_links (account_id, token_hash, token_encrypted, language, expires_at)
       SELECT id, $2, $3, $4, now() + make_interval(mins => $5)
         FROM accounts WHERE lower(email) = $1 AND ${ACTIVE}
       RETURNING id`,
      [
        address,
        hashToken(token),
        this.protector.encrypt(token, SIGN_IN_TOKEN_PURPOSE),
        language,
        SIGN_IN_LINK_MINUTES,
      ],
    );
    if (rows.length > 0) {
      this.producer.enqueueSoon(JobName.SendSignInMail, {
        id: rows[0].id,
        payload: { linkId: rows[0].id },
      });
    }
  }

  /**
   * Uses a link: marks it used and returns its account. Unknown: 404; used, expired, or its
   * account deactivated since: 410.
   */
  async use(token: string): Promise<string> {
    const rows: Array<{ account_id: string; usable: boolean }> = await this.dataSource.query(
      `WITH link AS (
         SELECT l.id, l.account_id,
                l.used_at IS NULL AND l.expires_at > now() AND ${ACTIVE_OF('a')} AS usable
           FROM sign_in_links l JOIN accounts a ON a.id = l.account_id
          WHERE l.token_hash = $1
       ), used AS (
         UPDATE sign_in_links SET used_at = now(), token_encrypted = NULL
          WHERE id = (SELECT id FROM link WHERE usable) AND used_at IS NULL
          RETURNING account_id
       )
       SELECT link.account_id, (SELECT count(*) FROM used) > 0 AS usable FROM link`,
      [hashToken(token)],
    );
    if (rows.length === 0) {
      throw new DomainError('invalid_token', 'This sign-in link is not valid');
    }
    if (!rows[0].usable) {
      throw new DomainError(
        'token_expired',
        'This sign-in link has expired or was used already; ask for a new one',
      );
    }
    return rows[0].account_id;
  }
}

/** An account that may sign in: not deactivated. */
const ACTIVE_OF = (alias: string) => `${alias}.deactivated_at IS NULL`;
const ACTIVE = ACTIVE_OF('accounts');
