import { type DynamicModule, Module } from '@nestjs/common';
import { WorkerMetricsServer } from './bootstrap/worker-metrics-server.js';
import { AppConfig } from './config/app-config.js';
import { CoreModule } from './core/core.module.js';
import { WorkersModule } from './workers.module.js';

/** Root of the worker-only process (`npm run start:worker`): no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, 'worker'), WorkersModule],
      providers: [WorkerMetricsServer],
    };
  }
}
