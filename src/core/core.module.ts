import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { QueueModule } from '../queue/queue.module.js';
import { MetricsModule } from '../common/metrics/metrics.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { KeysModule } from '../keys/keys.module.js';

/** What both the API and the worker processes stand on: config, PostgreSQL and BullMQ. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, role: 'api' | 'worker'): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config, {
            applicationName: `countersign-${role}`,
            poolSize: config.databasePoolSize,
          }),
          // Fail the boot quickly instead of retrying for minutes when PostgreSQL is away at start.
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        QueueModule.forRoot(config),
        MetricsModule,
        RateLimitModule,
        KeysModule,
      ],
    };
  }
}
