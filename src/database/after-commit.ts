import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/** What waits for each open transaction's commit. */
const waiting = new WeakMap<QueryRunner, Array<() => void>>();
const subscribed = new WeakSet<DataSource>();

/** Runs what waited for a transaction when it commits; drops it when it rolls back. */
const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // Still active: only a savepoint was released, and the outer transaction may yet roll back.
    if (queryRunner.isTransactionActive) return;
    const actions = waiting.get(queryRunner);
    waiting.delete(queryRunner);
    actions?.forEach((action) => action());
  },
  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    // A rollback to a savepoint keeps what waited (the code here nests no transactions).
    if (!queryRunner.isTransactionActive) waiting.delete(queryRunner);
  },
};

/**
 * Runs `action` once what `manager` wrote is committed: at once outside a transaction, after the
 * commit inside one, and never if it rolls back. For side effects that must not report what did
 * not happen, such as metrics. `action` must not throw.
 */
export function afterCommit(manager: EntityManager, action: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return action();
  const dataSource = manager.dataSource;
  if (!subscribed.has(dataSource)) {
    dataSource.subscribers.push(subscriber);
    subscribed.add(dataSource);
  }
  const actions = waiting.get(runner);
  if (actions) actions.push(action);
  else waiting.set(runner, [action]);
}
