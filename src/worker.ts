import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootProcess } from './bootstrap/boot.js';
import { WorkerMetricsServer } from './bootstrap/worker-metrics-server.js';
import { PinoNestLogger } from './common/logging/logger.js';
import { WorkerModule } from './worker.module.js';

/** Workers only (`npm run start:worker`): scale these separately from the API. */
const { config, logger } = await bootProcess('worker');
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
  logger: new PinoNestLogger(logger),
  abortOnError: false,
});
app.enableShutdownHooks();
await app.init();
logger.info({ metricsPort: app.get(WorkerMetricsServer).port }, 'Countersign workers running');
