import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AbuseModule } from './abuse/abuse.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { HttpExceptionFilter } from './common/errors/http-exception.filter.js';
import { AppValidationPipe } from './common/validation/validation.pipe.js';
import { AppConfig } from './config/app-config.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './health/health.module.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { PetitionsModule } from './petitions/petitions.module.js';
import { RegistersModule } from './registers/registers.module.js';
import { SignaturesModule } from './signatures/signatures.module.js';
import { WebModule } from './web/web.module.js';
import { WorkersModule } from './workers.module.js';

/** Root of the API process; with WORKERS=on it runs the workers too. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, 'api'),
        AccountsModule,
        PetitionsModule,
        SignaturesModule,
        RegistersModule,
        InvitationsModule,
        ModerationModule,
        AbuseModule,
        HealthModule,
        WebModule,
        ...(config.workers ? [WorkersModule] : []),
      ],
      providers: [
        { provide: APP_PIPE, useClass: AppValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
