import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountsModule } from '../counts/counts.module.js';
import { RegistersModule } from '../registers/registers.module.js';
import { PetitionEvent } from './petition-event.entity.js';
import { PetitionModerationController } from './petition-moderation.controller.js';
import { Petition } from './petition.entity.js';
import { PetitionPresenter } from './petition.presenter.js';
import { PetitionTransitionsService } from './petition-transitions.service.js';
import { PetitionsController } from './petitions.controller.js';
import { PetitionsService } from './petitions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Petition, PetitionEvent]), CountsModule, RegistersModule],
  controllers: [PetitionsController, PetitionModerationController],
  providers: [PetitionsService, PetitionTransitionsService, PetitionPresenter],
  exports: [PetitionsService, PetitionTransitionsService, PetitionPresenter],
})
export class PetitionsModule {}
