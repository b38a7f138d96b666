import { Module } from '@nestjs/common';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';
import { BlocksController } from './blocks.controller.js';
import { BlocksRepository } from './blocks.repository.js';
import { BlocksService } from './blocks.service.js';

/**
 * Abuse resistance: moderators' blocks (applied by the verification checks, see BlockCheck) and
 * the trending alerts a maintenance job raises.
 */
@Module({
  imports: [PetitionsModule],
  controllers: [BlocksController, AlertsController],
  providers: [BlocksRepository, BlocksService, AlertsRepository, AlertsService],
  exports: [BlocksRepository, BlocksService, AlertsService],
})
export class AbuseModule {}
