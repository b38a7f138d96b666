import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { METRICS_REFUSALS, metricsAccess } from '../common/metrics/metrics-access.js';
import { Metrics } from '../common/metrics/metrics.js';
import { AppConfig } from '../config/app-config.js';

/**
 * A worker process has no HTTP API, so what only it counts (its job outcomes, the transitions its
 * jobs make, drift its reconciliation corrected) would go unseen. With WORKER_METRICS_PORT set it
 * answers `GET /metrics` on that port, guarded exactly as the API's, and nothing else.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  /** The port it listens on (useful when configured as 0 in tests), or null. */
  get port(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workerMetricsPort === null) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        return sendError(response, 404, 'not_found', 'This port serves only GET /metrics');
      }
      const access = metricsAccess(
        request.headers,
        request.socket.remoteAddress,
        this.config.metricsTokenHash,
      );
      if (access !== 'allowed') {
        if (access === 'unauthorized') response.setHeader('www-authenticate', 'Bearer');
        const { statusCode, code, message } = METRICS_REFUSALS[access];
        return sendError(response, statusCode, code, message);
      }
      this.metrics.render().then(
        (text) => {
          response.writeHead(200, {
            'content-type': this.metrics.contentType,
            'cache-control': 'no-store',
          });
          response.end(text);
        },
        () => sendError(response, 500, 'internal_error', 'Internal error'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.workerMetricsPort ?? 0, '0.0.0.0', () => resolve());
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function sendError(response: ServerResponse, statusCode: number, code: string, message: string) {
  response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ statusCode, code, message, details: [] }));
}
