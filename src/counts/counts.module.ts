import { Module } from '@nestjs/common';
import { CountHistoryService } from './count-history.service.js';
import { CountsService } from './counts.service.js';

/** Signature counts per petition; used by the petitions and signatures modules. */
@Module({
  providers: [CountsService, CountHistoryService],
  exports: [CountsService, CountHistoryService],
})
export class CountsModule {}
