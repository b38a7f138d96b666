import { createHash, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { describeRequest, type FuzzRequest, requestsFor } from './support/fuzz/arbitraries.js';
import { ContractChecker, type FuzzResponse } from './support/fuzz/contract-checks.js';
import { createFuzzFixtures, type FuzzFixtures } from './support/fuzz/fixtures.js';
import {
  type OpenApiDocument,
  type Operation,
  readOperations,
  routeOf,
} from './support/fuzz/openapi-model.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Property-based fuzzing of every operation the service's own OpenAPI document lists (so
 * operations added later are covered without touching this file): hostile bodies, path and
 * query parameters, as each role (anonymous, a bad token, organiser, moderator, admin).
 *
 * - FUZZ_SEED: the run's seed; each operation's seed is derived from it and its key, so a
 *   failure printed with both replays on its own.
 * - FUZZ_OPERATION: only this operation (`post /v1/petitions`).
 * - FUZZ_BUDGET_MS: the time shared by all operations (default 50 s).
 */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 50_000);
const RUN_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31 - 1);
const ONLY = process.env.FUZZ_OPERATION;
const ANSWER_WITHIN_MS = 10_000;

/** One operation's seed: the same for the same run seed, whatever other operations ran. */
const seedFor = (operation: Operation) =>
  createHash('sha256').update(`${RUN_SEED} ${operation.key}`).digest().readInt32BE(0);

describe('fuzz suite, from the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let operations: Operation[];
  let fixtures: FuzzFixtures;
  let checker: ContractChecker;

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = await createFuzzFixtures(t);
    document = (await t.http().get('/docs-json').expect(200)).body as OpenApiDocument;
    operations = readOperations(document);
    checker = new ContractChecker(document);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /**
   * Requests still running: fast-check's time limit ends a run without stopping the request it
   * was waiting for, so each is awaited before the next operation and before the app closes
   * (which would otherwise wait out that connection's keep-alive).
   */
  const inFlight = new Set<Promise<unknown>>();
  const drain = () => Promise.allSettled([...inFlight]);

  const send = (request: FuzzRequest): Promise<FuzzResponse> => {
    const sent = sendNow(request);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
    return sent;
  };

  const sendNow = async (request: FuzzRequest): Promise<FuzzResponse> => {
    const headers: Record<string, string> = {};
    const authorization = fixtures.authorization(request.role, request.authorization);
    if (authorization) headers.authorization = authorization;
    if (request.contentType) headers['content-type'] = request.contentType;
    const res = await fetch(new URL(request.url, t.url), {
      method: request.method,
      headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      redirect: 'manual',
      // An answer that never comes is a failure too, and must not outlive the run.
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  it(
    'answers nothing 5xx, every 4xx with the contract error body and every 2xx as documented',
    async () => {
      const selected = operations.filter((op) => !ONLY || op.key === ONLY);
      expect(selected.length).toBeGreaterThan(ONLY ? 0 : 30);
      const perOperationMs = BUDGET_MS / selected.length;
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (const operation of selected) {
        await drain();
        await fixtures.refresh();
        const seed = seedFor(operation);
        const property = fc.asyncProperty(
          requestsFor(operation, document, fixtures.known),
          async (request) => {
            let response: FuzzResponse;
            try {
              response = await send(request);
            } catch (error) {
              throw new Error(`no answer (${String(error)})\n${describeRequest(request)}`, {
                cause: error,
              });
            }
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            // A parameter that spells a static segment (`mine`) reaches that other operation.
            const reached = routeOf(operations, request.method, request.url) ?? operation;
            const problem = checker.violation(reached, response);
            if (problem) throw new Error(`${problem}\n${describeRequest(request)}`);
          },
        );
        const run = await fc.check(property, {
          seed,
          numRuns: 1_000,
          plugins: [fc.interruptAfterTimeLimit(perOperationMs)],
        });
        if (run.failed) {
          const error = run.errorInstance instanceof Error ? run.errorInstance.message : '';
          failures.push(
            [
              `${operation.key} (seed ${seed}, after ${run.numRuns} runs, shrunk ${run.numShrinks} times)`,
              error,
              `Replay: FUZZ_SEED=${RUN_SEED} FUZZ_OPERATION='${operation.key}' ` +
                'NODE_OPTIONS=--experimental-vm-modules npx jest test/fuzz.e2e-spec.ts',
            ].join('\n'),
          );
        }
      }
      await drain();
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(
        `fuzz: run seed ${RUN_SEED}, ${selected.length} operations, ${total} requests; by status: ` +
          [...statuses]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}×${n}`)
            .join(' '),
      );
      if (failures.length > 0)
        throw new Error(
          `${failures.length} operation(s) broke the contract:\n\n${failures.join('\n\n')}`,
        );
    },
    BUDGET_MS + 120_000,
  );
});
