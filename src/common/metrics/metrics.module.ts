import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.js';

/** One metrics registry for the process, for every module that counts something. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
