import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Called while an account is being deactivated, with the id and the deactivation's transaction.
 *
 * Write through `tx` (for example `tx.query('DELETE FROM console_sessions WHERE account_id = $1',
 * [accountId])`) and the change commits, or rolls back, with the deactivation itself. A listener
 * may take a one-parameter form, `(accountId) => Promise<void>`, when it has nothing to write.
 */
export type AccountDeactivatedListener = (accountId: string, tx: EntityManager) => Promise<void>;

/**
 * In-process hooks on an account's lifecycle, so that modules holding their own ways in (the
 * console's sessions, say) end them in the same step as the account's token, without the accounts
 * module knowing about them (dependencies point down: the console subscribes to accounts, never the
 * reverse).
 *
 * Why listeners join the transaction rather than run after it: deactivation must be all or
 * nothing. If a listener throws, the deactivation rolls back and the request fails, so an account
 * is never left "deactivated" with a session still alive; the admin simply tries again.
 *
 * Contract for listeners:
 * - They are awaited one after another, in subscription order, inside the transaction and before
 *   the deactivation answers. Keep them short: the account's row stays locked until they finish.
 * - They run on every deactivate call, a repeat of an already deactivated account included (that
 *   is how a repeat sweeps up anything that slipped in meanwhile), so they must be idempotent.
 * - Their effect must be in the database: other instances of the service learn of the
 *   deactivation only from there (a session lookup should also refuse an account whose
 *   `deactivated_at` is set, so a session created in a race with this step cannot live on).
 * - An error they throw is logged and answered as a generic 500; it must not carry a token.
 */
@Injectable()
export class AccountLifecycle {
  private readonly deactivatedListeners = new Set<AccountDeactivatedListener>();

  /** Subscribes to deactivations; the returned function unsubscribes. */
  onDeactivated(listener: AccountDeactivatedListener): () => void {
    this.deactivatedListeners.add(listener);
    return () => {
      this.deactivatedListeners.delete(listener);
    };
  }

  /** For AccountsService.deactivate only: runs every listener inside its transaction. */
  async notifyDeactivated(accountId: string, tx: EntityManager): Promise<void> {
    for (const listener of [...this.deactivatedListeners]) await listener(accountId, tx);
  }
}
