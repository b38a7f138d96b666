import { Module } from '@nestjs/common';
import { RegisterMatchService } from './register-match.service.js';
import { RegistersController } from './registers.controller.js';
import { RegistersService } from './registers.service.js';

@Module({
  controllers: [RegistersController],
  providers: [RegistersService, RegisterMatchService],
  exports: [RegistersService, RegisterMatchService],
})
export class RegistersModule {}
