interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export interface InFlightBatcherOptions {
  maxBatch: number;
  maxInFlight: number;
  /**
   * Callers that may wait for a batch to start (those in running batches are not counted). Past
   * it `add` rejects at once with `overflow()`: a caller told to come back is better off than one
   * queued behind more work than the batches can clear, holding memory while it waits.
   */
  maxWaiting?: number;
  overflow?: () => unknown;
  /**
   * Given a batch's error, the error to give all its callers at once when the failure is not
   * theirs (the database not answering), or undefined. Otherwise, and by default, each item is
   * run again alone; against a database that is down, that would make the last caller wait for
   * every other one's attempt (a connection timeout each, when it hangs).
   */
  sharedFailure?: (error: unknown) => unknown;
}

/**
 * Joins calls that arrive close together into one call on a batch, without a fixed delay: a call
 * that finds fewer than `maxInFlight` batches running starts one at the next turn of the event
 * loop (with whatever else arrived in that turn); otherwise it waits, and joins the batch that
 * starts when a running one ends. Under light load that is no wait at all; under heavy load the
 * batches grow to what arrives while one runs, up to `maxBatch`.
 *
 * `run` must answer with one output per input, in order. Each caller gets its own item's output.
 * When a batch fails, each of its items is run again on its own, so that one item's failure (bad
 * data, say) is its caller's alone: each caller gets its own item's output or error; unless
 * `sharedFailure` says the failure is everyone's, which fails them all at once.
 */
export class InFlightBatcher<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    private readonly options: InFlightBatcherOptions,
  ) {}

  add(item: In): Promise<Out> {
    if (this.waiting.length >= (this.options.maxWaiting ?? Infinity)) {
      return Promise.reject(this.options.overflow?.() ?? new Error('too many callers waiting'));
    }
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    if (this.running >= this.options.maxInFlight) return; // the next `finally` schedules it
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const batch = this.waiting.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.running++;
    this.settle(batch)
      .catch(async (error: unknown) => {
        const shared = this.options.sharedFailure?.(error);
        if (shared !== undefined) return batch.forEach((waiter) => waiter.reject(shared));
        if (batch.length === 1) return batch[0].reject(error);
        // One item that makes its batch fail must not fail the others: each goes again alone,
        // until a failure that is everyone's answers the rest.
        for (let i = 0; i < batch.length; i++) {
          const everyones = await this.settle([batch[i]]).then(
            () => undefined,
            (itemError: unknown) => {
              const shared = this.options.sharedFailure?.(itemError);
              batch[i].reject(shared ?? itemError);
              return shared;
            },
          );
          if (everyones !== undefined) {
            for (const waiter of batch.slice(i + 1)) waiter.reject(everyones);
            return;
          }
        }
      })
      .finally(() => {
        this.running--;
        this.schedule();
      });
    this.schedule(); // more than one batch's worth may be waiting
  }

  /** Runs `run` on these callers' items and answers each; rejects (answering none) on failure. */
  private async settle(batch: Waiting<In, Out>[]): Promise<void> {
    const outs = await Promise.resolve().then(() => this.run(batch.map((w) => w.item)));
    if (!Array.isArray(outs) || outs.length !== batch.length) {
      throw new Error(`a batch of ${batch.length} answered with ${describe(outs)}`);
    }
    batch.forEach((w, i) => w.resolve(outs[i]));
  }
}

function describe(outs: unknown): string {
  return Array.isArray(outs) ? `${outs.length} outputs` : typeof outs;
}
