import { randomBytes } from 'node:crypto';
import { AccountRole } from '../src/accounts/account-role.js';
import { createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Pairs measured at each load. */
const PAIRS = 400;
/**
 * How far apart the two medians may be: 4 ms plus a tenth of the slower median. Loose on purpose
 * (speed is the bench's business), yet under the difference at 8 concurrent signers when
 * SignAgainService ran before the answer: measured here at +14 ms on the repeat's median on a
 * quiet 2-core machine, +24 to +37 ms on a busy one (against about -1 ms now). One at a time the
 * old difference (+1.3 ms) is within the bound: there the assertion is only a sanity check. (At
 * 2 ms it failed once by 0.1 ms on a machine busy with other test runs.)
 */
const bound = (a: number, b: number) => 4 + 0.1 * Math.max(a, b);

/**
 * Constant work for a repeat (issue 13, item 8): under concurrent signing, a repeated signature
 * is answered as fast as a first one, since the work only a repeat needs (SignAgainService) runs
 * after its answer. Reports both distributions; asserts only that the medians are close.
 */
describe('a repeated signature takes as long as a first one', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        SIGN_MIN_RESPONSE_MS: '0',
        SOURCE_BURST_LIMIT: '100000',
        RATE_LIMIT_SIGN: '100000/600',
        RATE_LIMIT_SIGN_ALL: '100000/600',
        MAIL_LIMIT_PER_ADDRESS: '100/86400',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const address = (kind: string, i: number) => `timing.${kind}.${i}@example.org`;
  const sign = async (petition: PetitionBody, email: string): Promise<number> => {
    const started = performance.now();
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Timur Zamerov', email })
      .expect(202);
    return performance.now() - started;
  };
  const quantile = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };

  /** Runs PAIRS first/repeat pairs with `concurrency` signers at once; returns both timings. */
  const measure = async (concurrency: number) => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const petition = await openPetition(t, organiser, moderator);
    const run = randomBytes(3).toString('hex');
    // The addresses to repeat have signed already (and are unconfirmed, the common repeat).
    for (let i = 0; i < PAIRS; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, PAIRS - i) }, (_, k) =>
          sign(petition, address(`repeat-${run}`, i + k)),
        ),
      );
    }
    const first: number[] = [];
    const repeat: number[] = [];
    let next = 0;
    const worker = async (w: number) => {
      for (let i = next++; i < PAIRS; i = next++) {
        // Alternate which goes first, so neither always meets a warmer statement.
        const order = (i + w) % 2 === 0 ? ['first', 'repeat'] : ['repeat', 'first'];
        for (const kind of order) {
          if (kind === 'first') first.push(await sign(petition, address(`first-${run}`, i)));
          else repeat.push(await sign(petition, address(`repeat-${run}`, i)));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    expect(first).toHaveLength(PAIRS);
    expect(repeat).toHaveLength(PAIRS);
    const stats = (values: number[]) => ({
      p50: quantile(values, 0.5),
      p99: quantile(values, 0.99),
    });
    const result = { first: stats(first), repeat: stats(repeat) };
    const round = (n: number) => Math.round(n * 100) / 100;
    console.log(
      `first vs repeat signature, ${PAIRS} pairs at ${concurrency} concurrent: ` +
        `first p50 ${round(result.first.p50)} ms, p99 ${round(result.first.p99)} ms; ` +
        `repeat p50 ${round(result.repeat.p50)} ms, p99 ${round(result.repeat.p99)} ms; ` +
        `median difference ${round(result.repeat.p50 - result.first.p50)} ms`,
    );
    return result;
  };

  it.each([8, 1])(
    'answers first and repeated signatures alike over %i concurrent signers',
    async (concurrency) => {
      const { first, repeat } = await measure(concurrency);
      expect(Math.abs(repeat.p50 - first.p50)).toBeLessThan(bound(first.p50, repeat.p50));
    },
  );
});
