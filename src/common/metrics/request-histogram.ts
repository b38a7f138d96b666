import type { Metric, Registry } from 'prom-client';

interface Series {
  /** Observations per bucket, not cumulative; the last slot holds those above every bound. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** A sample as prom-client's registry formats it: `labels` first, then `sharedLabels`. */
interface Value {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string | number>;
  value: number;
  metricName: string;
}

/**
 * The request latency histogram, by method, route pattern and status. It is observed on every
 * request, so observing is three map lookups and two additions; prom-client's `Histogram` builds
 * and hashes a label object on each observation (about 0.4 µs, measured), this takes a few tens of
 * nanoseconds. It registers in a prom-client registry like any metric and is exposed in the same
 * text format, with the usual `_bucket`, `_sum` and `_count` series.
 *
 * Label values must come from bounded sets chosen by the code (route patterns, methods, statuses).
 */
export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** route → method → status → series. */
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    if (bounds.some((bound, i) => i > 0 && bound <= bounds[i - 1])) {
      throw new Error(`${name}: bucket bounds must increase`);
    }
    registry.registerMetric(this as unknown as Metric);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.series.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      series = { counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
      byStatus.set(status, series);
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]) i++;
    series.counts[i]++;
    series.sum += seconds;
    series.count++;
  }

  /** For prom-client's registry: every series as cumulative buckets, then its sum and count. */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Value[];
  }> {
    const values: Value[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [route, byMethod] of this.series) {
      for (const [method, byStatus] of byMethod) {
        for (const [status, series] of byStatus) {
          const labels = { method, route, status };
          let cumulative = 0;
          // `le` first, as prom-client's own histogram writes it.
          this.bounds.forEach((bound, i) => {
            cumulative += series.counts[i];
            values.push({
              labels: { le: bound },
              sharedLabels: labels,
              value: cumulative,
              metricName: bucket,
            });
          });
          values.push(
            {
              labels: { le: '+Inf' },
              sharedLabels: labels,
              value: series.count,
              metricName: bucket,
            },
            { labels, value: series.sum, metricName: `${this.name}_sum` },
            { labels, value: series.count, metricName: `${this.name}_count` },
          );
        }
      }
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  /** For prom-client's JSON output: each sample with all its labels. */
  async get(): ReturnType<RequestHistogram['getForPromString']> {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ labels, sharedLabels, ...rest }) => ({
        ...rest,
        labels: { ...sharedLabels, ...labels },
      })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}
