import { Module } from '@nestjs/common';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { SignatureTransitionsModule } from '../signatures/signature-transitions.module.js';
import { InvalidationsController } from './invalidations.controller.js';
import { InvalidationTargetsRepository } from './invalidation-targets.repository.js';
import { InvalidationsService } from './invalidations.service.js';
import { ReviewQueueService } from './review-queue.service.js';
import { SignatureEventsController } from './signature-events.controller.js';
import { SignatureHistoryService } from './signature-history.service.js';
import { SignatureModerationController } from './signature-moderation.controller.js';

/** Moderators' work on signatures: the review queue, claims, decisions and bulk invalidations. */
@Module({
  imports: [PetitionsModule, SignatureTransitionsModule],
  controllers: [SignatureModerationController, SignatureEventsController, InvalidationsController],
  providers: [
    ReviewQueueService,
    SignatureHistoryService,
    InvalidationsService,
    InvalidationTargetsRepository,
  ],
  exports: [InvalidationsService, ReviewQueueService, SignatureHistoryService],
})
export class ModerationModule {}
