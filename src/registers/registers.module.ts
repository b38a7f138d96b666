import { Module } from '@nestjs/common';
import { RegisterContacts } from './register-contact.js';
import { RegisterMatchService } from './register-match.service.js';
import { RegisterRecheckSweeper } from './register-recheck.sweeper.js';
import { RegistersController } from './registers.controller.js';
import { RegistersService } from './registers.service.js';

@Module({
  controllers: [RegistersController],
  providers: [RegistersService, RegisterMatchService, RegisterRecheckSweeper, RegisterContacts],
  exports: [RegistersService, RegisterMatchService, RegisterRecheckSweeper, RegisterContacts],
})
export class RegistersModule {}
