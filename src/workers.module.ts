import { Module } from '@nestjs/common';
import { AbuseModule } from './abuse/abuse.module.js';
import { DiscoveryModule } from '@nestjs/core';
import { CountsModule } from './counts/counts.module.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { MailModule } from './mail/mail.module.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { RegistersModule } from './registers/registers.module.js';
import { PetitionsModule } from './petitions/petitions.module.js';
import { JobOutcomeMetrics } from './queue/job-outcome-metrics.js';
import { SignaturesModule } from './signatures/signatures.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { RetentionModule } from './retention/retention.module.js';

/** The BullMQ processors. Imported by the API process only when WORKERS=on, and by the worker process. */
@Module({
  imports: [
    PetitionsModule,
    SignaturesModule,
    CountsModule,
    VerificationModule,
    MailModule,
    ModerationModule,
    RegistersModule,
    InvitationsModule,
    AbuseModule,
    RetentionModule,
    DiscoveryModule,
  ],
  providers: [MaintenanceProcessor, MaintenanceScheduler, JobOutcomeMetrics],
})
export class WorkersModule {}
