import type { EntityManager } from 'typeorm';
import { AccountLifecycle } from './account-lifecycle.js';

const TX = {} as EntityManager;

describe('AccountLifecycle', () => {
  it('awaits each listener in turn, in subscription order, with the id and the transaction', async () => {
    const lifecycle = new AccountLifecycle();
    const order: string[] = [];
    lifecycle.onDeactivated(async (id, tx) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(tx).toBe(TX);
      order.push(`first ${id}`);
    });
    lifecycle.onDeactivated(async (id) => {
      order.push(`second ${id}`);
    });
    await lifecycle.notifyDeactivated('a1', TX);
    expect(order).toEqual(['first a1', 'second a1']);
  });

  it('fails with the first failing listener and runs none after it', async () => {
    const lifecycle = new AccountLifecycle();
    const calls: string[] = [];
    lifecycle.onDeactivated(async () => {
      throw new Error('sessions unavailable');
    });
    lifecycle.onDeactivated(async (id) => {
      calls.push(id);
    });
    await expect(lifecycle.notifyDeactivated('a1', TX)).rejects.toThrow('sessions unavailable');
    expect(calls).toEqual([]);
  });

  it('stops calling a listener once it unsubscribes', async () => {
    const lifecycle = new AccountLifecycle();
    const calls: string[] = [];
    const stop = lifecycle.onDeactivated(async (id) => {
      calls.push(id);
    });
    await lifecycle.notifyDeactivated('a1', TX);
    stop();
    stop();
    await lifecycle.notifyDeactivated('a2', TX);
    expect(calls).toEqual(['a1']);
  });
});
