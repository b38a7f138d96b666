import { Module } from '@nestjs/common';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler.js';
import { PetitionsModule } from './petitions/petitions.module.js';

/** The BullMQ processors. Imported by the API process only when WORKERS=on, and by the worker process. */
@Module({
  imports: [PetitionsModule],
  providers: [MaintenanceProcessor, MaintenanceScheduler],
})
export class WorkersModule {}
