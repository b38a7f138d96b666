import { Module } from '@nestjs/common';

/** The console's moderation pages. */
@Module({
  imports: [],
  controllers: [],
  providers: [],
})
export class ConsoleModerationModule {}
