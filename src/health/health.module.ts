import { Module } from '@nestjs/common';
import { QueueDepthMetrics } from '../queue/queue-depth-metrics.js';
import { SignaturesModule } from '../signatures/signatures.module.js';
import { GivenUpWorkMetrics } from './given-up-work.metrics.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { MetricsController } from './metrics.controller.js';

/**
 * The operations endpoints of the API process: /health and /metrics. What the metrics read from
 * Redis and PostgreSQL when scraped is registered here, so worker processes do not repeat it.
 */
@Module({
  imports: [SignaturesModule],
  controllers: [HealthController, MetricsController],
  providers: [HealthService, QueueDepthMetrics, GivenUpWorkMetrics],
})
export class HealthModule {}
