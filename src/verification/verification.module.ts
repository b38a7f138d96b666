import { Module } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module.js';
import { RegisterMatchService } from '../registers/register-match.service.js';
import { RegistersModule } from '../registers/registers.module.js';
import { SignatureTransitionsModule } from '../signatures/signature-transitions.module.js';
import type { SignatureCheck } from './check.js';
import { CHECKS } from './checks/index.js';
import { DistrictCanonicaliser } from './district-canonicaliser.js';
import { REGISTER_MATCHER } from './register-matcher.js';
import { RegisterRecheckService } from './register-recheck.service.js';
import { VerificationProcessor } from './verification.processor.js';
import { VerificationBatcher } from './verification-batcher.js';
import { SIGNATURE_CHECKS, VerificationService } from './verification.service.js';

/** The automated checks and the worker that runs them. Imported by the workers module. */
@Module({
  imports: [SignatureTransitionsModule, RegistersModule, AbuseModule],
  providers: [
    ...CHECKS,
    { provide: REGISTER_MATCHER, useExisting: RegisterMatchService },
    {
      provide: SIGNATURE_CHECKS,
      inject: [...CHECKS],
      useFactory: (...checks: SignatureCheck[]): SignatureCheck[] => checks,
    },
    DistrictCanonicaliser,
    VerificationService,
    VerificationBatcher,
    RegisterRecheckService,
    VerificationProcessor,
  ],
  exports: [VerificationService],
})
export class VerificationModule {}
