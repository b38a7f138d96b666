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
