import { InFlightBatcher } from './in-flight-batcher.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlightBatcher', () => {
  it('answers each caller with its own output, and joins what arrives while a batch runs', async () => {
    const batches: number[][] = [];
    let release: (() => void) | undefined;
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.map((n) => n * 10);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = batcher.add(1);
    await tick();
    const rest = [2, 3, 4].map((n) => batcher.add(n));
    await tick();
    expect(batches).toEqual([[1]]); // the others wait for the running batch
    release?.();
    await expect(Promise.all([first, ...rest])).resolves.toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never runs more than maxInFlight batches, nor more than maxBatch items in one', async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        running++;
        peak = Math.max(peak, running);
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        return items;
      },
      { maxBatch: 7, maxInFlight: 2 },
    );
    const all = Array.from({ length: 200 }, (_, n) => batcher.add(n));
    await expect(Promise.all(all)).resolves.toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(peak).toBe(2);
    expect(Math.max(...sizes)).toBe(7);
  });

  it('rejects every caller when the batch and each item alone throw, even synchronously, and goes on', async () => {
    let failing = true;
    const batcher = new InFlightBatcher<number, number>(
      (items) => {
        if (failing) throw new Error('boom');
        return Promise.resolve(items);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = [batcher.add(1), batcher.add(2)];
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('boom') },
      { status: 'rejected', reason: new Error('boom') },
    ]);
    failing = false;
    await expect(batcher.add(3)).resolves.toBe(3);
  });

  it('runs the items of a failed batch again one by one, so only the bad one fails', async () => {
    const runs: number[][] = [];
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        runs.push(items);
        if (items.includes(13)) throw new Error('unlucky');
        return items.map((n) => n + 1);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 13, 2].map((n) => batcher.add(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('unlucky') },
      { status: 'fulfilled', value: 3 },
    ]);
    expect(runs).toEqual([[1, 13, 2], [1], [13], [2]]);
  });

  it('rejects callers whose run answers with the wrong number of outputs', async () => {
    const batcher = new InFlightBatcher<number, number>(async () => [], {
      maxBatch: 10,
      maxInFlight: 1,
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('InFlightBatcher bounds and shared failures', () => {
  it('refuses callers at once past maxWaiting, counting only those not yet in a batch', async () => {
    const gates: Array<() => void> = [];
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return items;
      },
      { maxBatch: 1, maxInFlight: 1, maxWaiting: 2, overflow: () => new Error('full') },
    );
    const drain = async () => {
      for (let i = 0; i < 10; i++) {
        gates.splice(0).forEach((open) => open());
        await tick();
      }
    };
    const running = batcher.add(1);
    await tick();
    expect(gates).toHaveLength(1); // 1 is in the running batch, not waiting
    const waiting = [batcher.add(2), batcher.add(3)];
    await expect(batcher.add(4)).rejects.toThrow('full');
    await drain();
    await expect(Promise.all([running, ...waiting])).resolves.toEqual([1, 2, 3]);
    const again = batcher.add(5); // room again
    await drain();
    await expect(again).resolves.toBe(5);
  });

  it('fails a whole batch at once when its failure is everyone’s, without running items alone', async () => {
    const runs: number[][] = [];
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        runs.push(items);
        throw down;
      },
      {
        maxBatch: 10,
        maxInFlight: 1,
        sharedFailure: (error) =>
          (error as { code?: string }).code === 'ECONNREFUSED'
            ? new Error('unavailable')
            : undefined,
      },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results).toEqual(
      [1, 2, 3].map(() => ({ status: 'rejected', reason: new Error('unavailable') })),
    );
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('stops running items alone once one of them fails for everyone', async () => {
    const runs: number[][] = [];
    let dbUp = true;
    const batcher = new InFlightBatcher<number, number>(
      async (items) => {
        runs.push(items);
        if (!dbUp) throw Object.assign(new Error('gone'), { code: 'ECONNRESET' });
        if (items.length > 1) {
          dbUp = false; // the batch fails on bad data, then the database goes away
          throw new Error('bad row');
        }
        return items;
      },
      {
        maxBatch: 10,
        maxInFlight: 1,
        sharedFailure: (error) =>
          (error as { code?: string }).code === 'ECONNRESET' ? error : undefined,
      },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(runs).toEqual([[1, 2, 3], [1]]); // 2 and 3 were not tried against a dead database
  });
});
