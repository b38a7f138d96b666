import { Module } from '@nestjs/common';
import { RegisterMatchService } from './register-match.service.js';
import { RegisterRecheckSweeper } from './register-recheck.sweeper.js';
import { RegistersController } from './registers.controller.js';
import { RegistersService } from './registers.service.js';

@Module({
  controllers: [RegistersController],
  providers: [RegistersService, RegisterMatchService, RegisterRecheckSweeper],
  exports: [RegistersService, RegisterMatchService, RegisterRecheckSweeper],
})
export class RegistersModule {}
