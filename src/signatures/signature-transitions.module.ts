import { Module } from '@nestjs/common';
import { SignatureTransitionsService } from './signature-transitions.service.js';

/** The one way signature statuses change, shared by signing, verification and maintenance. */
@Module({
  providers: [SignatureTransitionsService],
  exports: [SignatureTransitionsService],
})
export class SignatureTransitionsModule {}
