import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

/** How long a scrape waits for what it reads from Redis or PostgreSQL before answering without. */
const SCRAPE_READ_TIMEOUT_MS = 1_500;

/**
 * prom-client's default metrics left out for their cost on a busy process, measured in CPU per
 * request: the GC histogram (a PerformanceObserver on every collection) about 1 µs on a bare
 * Fastify route, the event-loop lag gauges (perf_hooks' monitorEventLoopDelay) about 2 µs on a
 * count read that costs the service 28–31 µs in all.
 */
const COSTLY_DEFAULTS = new Set(['gc', 'eventLoopLag']);
/** The event-loop delay is sampled instead by a timer this often. */
const LAG_SAMPLE_MS = 500;

/**
 * Node's own metrics (CPU, memory, heap, handles, and the event loop's delay), which describe the
 * process, not one app: collected once per process, from its first scrape, and shared by every
 * app in it (the e2e tests start several).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    const registry = new Registry();
    const load = createRequire(import.meta.url);
    const { metricsList } = load('prom-client/lib/defaultMetrics.js') as { metricsList: string[] };
    for (const name of metricsList.filter((metric) => !COSTLY_DEFAULTS.has(metric))) {
      const collect = load(`prom-client/lib/metrics/${name}.js`) as (registry: Registry) => void;
      collect(registry);
    }
    sampleEventLoopDelay(registry);
    processRegistry = registry;
  }
  return processRegistry;
}

/** The longest a timer was late since the last scrape: a blocked event loop shows here. */
function sampleEventLoopDelay(registry: Registry): void {
  let worst = 0;
  let expected = performance.now() + LAG_SAMPLE_MS;
  setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + LAG_SAMPLE_MS;
  }, LAG_SAMPLE_MS).unref();
  new Gauge({
    name: 'countersign_event_loop_delay_max_seconds',
    help: `Longest delay of a ${LAG_SAMPLE_MS} ms timer since the last scrape, in seconds`,
    registers: [registry],
    collect() {
      this.set(Math.max(0, worst) / 1000);
      worst = 0;
    },
  });
}

/**
 * The service's Prometheus metrics, in one registry per process. Labels only ever hold names the
 * code chose (a route pattern, a status, a queue, a limit): never an IP, an email, a token or a
 * petition's text.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  private readonly scrapeReads: Array<() => Promise<void>> = [];

  /** Requests refused by a rate limit, by the limit's name. */
  readonly rateLimitRefusals = new Counter({
    name: 'countersign_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Trending alerts raised, by kind (`source` or `email_domain`). */
  readonly alertsRaised = new Counter({
    name: 'countersign_alerts_raised_total',
    help: 'Trending alerts raised, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Signature status changes, by from and to (`none` for a new signature). */
  readonly signatureTransitions = new Counter({
    name: 'countersign_signature_transitions_total',
    help: 'Signature status changes, by from and to status',
    labelNames: ['from', 'to'] as const,
    registers: [this.registry],
  });

  /** Count drift found and corrected by the reconciliation, in signatures, by count column. */
  readonly countDriftCorrected = new Counter({
    name: 'countersign_count_drift_corrected_total',
    help: 'Signatures by which the sharded counts had drifted from the rows when reconciled',
    labelNames: ['column'] as const,
    registers: [this.registry],
  });

  /**
   * Every HTTP request, by method, route pattern (`unmatched` when no route matched) and status;
   * its `_count` series is the request count. Few buckets: it is observed on every request.
   */
  readonly httpRequestDuration = new RequestHistogram(
    'countersign_http_request_duration_seconds',
    'HTTP request duration in seconds, by method, route pattern and status',
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    this.registry,
  );

  /** Jobs per queue and state, read from Redis when scraped: the same in every process. */
  readonly queueJobs = new Gauge({
    name: 'countersign_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  /** How long the oldest waiting job of each queue has waited, read from Redis when scraped. */
  readonly queueOldestWaitingSeconds = new Gauge({
    name: 'countersign_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue, in seconds (0 when none waits)',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** From a job's creation (or the end of its delay) to a worker of this process starting it. */
  readonly queueJobWaitSeconds = new Histogram({
    name: 'countersign_queue_job_wait_seconds',
    help: 'Time jobs waited in the queue before a worker of this process started them, in seconds',
    labelNames: ['queue'] as const,
    buckets: [0.01, 0.1, 1, 10, 60, 600],
    registers: [this.registry],
  });

  /**
   * Job attempts finished by this process's workers: `completed`, `retried` (failed, will run
   * again) or `failed` (no attempt left: the job stays failed in Redis).
   */
  readonly jobOutcomes = new Counter({
    name: 'countersign_queue_job_outcomes_total',
    help: 'Job attempts finished by the workers of this process, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Signatures whose work the sweeper stopped re-enqueueing, read from PostgreSQL when scraped. */
  readonly signaturesGivenUp = new Gauge({
    name: 'countersign_signatures_given_up',
    help: 'Signatures whose verification or mail kept failing and is no longer retried, by work',
    labelNames: ['work'] as const,
    registers: [this.registry],
  });

  /** Jobs the sweeper added again for lost or failed work, by work. */
  readonly workRevived = new Counter({
    name: 'countersign_sweeper_revived_jobs_total',
    help: 'Jobs the sweeper added again because their work was lost or had failed, by work',
    labelNames: ['work'] as const,
    registers: [this.registry],
  });

  /** Sign requests answered 503 by the sign batcher, by reason. */
  readonly signRefusals = new Counter({
    name: 'countersign_sign_unavailable_total',
    help: 'Sign requests answered 503: too many waiting (queue_full) or the database down (database_unavailable)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Series that exist from the start, so a rate over them is defined before the first event.
    for (const reason of ['queue_full', 'database_unavailable'])
      this.signRefusals.inc({ reason }, 0);
    for (const work of ['verification', 'mail']) this.workRevived.inc({ work }, 0);
  }

  /**
   * Adds a read to make before each scrape (queue depths from Redis, given-up work from
   * PostgreSQL). It should set its gauges and must not throw for an outage; a read that takes
   * longer than 1.5 s is not waited for, and its gauges keep their last values.
   */
  onScrape(read: () => Promise<void>): void {
    this.scrapeReads.push(read);
  }

  /** The metrics in the Prometheus text format: this app's, then the process's (Node's own). */
  async render(): Promise<string> {
    await Promise.all(this.scrapeReads.map((read) => withTimeout(read(), SCRAPE_READ_TIMEOUT_MS)));
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
