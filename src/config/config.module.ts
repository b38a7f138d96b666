import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DataProtector } from '../common/crypto/data-protector.js';
import { AppConfig } from './app-config.js';

/**
 * Makes the config validated at boot injectable by its class, everywhere, with the one
 * DataProtector built from its key.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, DataProtector],
      exports: [AppConfig, DataProtector],
    };
  }
}
