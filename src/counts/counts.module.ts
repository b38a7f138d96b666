import { Module } from '@nestjs/common';
import { CountsService } from './counts.service.js';

/** Signature counts per petition; used by the petitions and signatures modules. */
@Module({
  providers: [CountsService],
  exports: [CountsService],
})
export class CountsModule {}
