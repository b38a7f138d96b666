import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];

describe('RequestHistogram', () => {
  it('writes exactly what prom-client’s own Histogram writes for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new RequestHistogram('req_seconds', 'Requests', BOUNDS, ours);
    const reference = new Histogram({
      name: 'req_seconds',
      help: 'Requests',
      labelNames: ['method', 'route', 'status'],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const observations: Array<[string, string, number, number]> = [
      ['GET', '/v1/petitions/:idOrSlug/counts', 200, 0.0004],
      ['GET', '/v1/petitions/:idOrSlug/counts', 200, 0.001], // on a bound: counted in it
      ['GET', '/v1/petitions/:idOrSlug/counts', 404, 0.02],
      ['POST', '/v1/petitions/:idOrSlug/signatures', 202, 0.5],
      ['GET', 'unmatched', 404, 7], // above every bound: only in +Inf
      ['GET', 'a "quoted" \\ route', 200, 0.05], // escaped like prom-client does
    ];
    for (const [method, route, status, seconds] of observations) {
      histogram.observe(method, route, status, seconds);
      reference.observe({ method, route, status }, seconds);
    }
    const lines = (text: string) => text.split('\n').sort();
    expect(lines(await ours.metrics())).toEqual(lines(await theirs.metrics()));
  });

  it('starts empty again after a reset, and refuses bounds that do not increase', async () => {
    const registry = new Registry();
    const histogram = new RequestHistogram('req_seconds', 'Requests', BOUNDS, registry);
    histogram.observe('GET', '/x', 200, 0.1);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('req_seconds_count');
    expect(() => new RequestHistogram('bad', 'Bad', [1, 1], new Registry())).toThrow(/increase/);
  });
});

describe('RequestHistogram as JSON', () => {
  it('gives each sample all its labels', async () => {
    const registry = new Registry();
    new RequestHistogram('req_seconds', 'Requests', [1], registry).observe('GET', '/x', 200, 0.5);
    const [metric] = await registry.getMetricsAsJSON();
    expect(metric.values).toContainEqual({
      labels: { method: 'GET', route: '/x', status: 200, le: 1 },
      value: 1,
      metricName: 'req_seconds_bucket',
    });
  });
});
