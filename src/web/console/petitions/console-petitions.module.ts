import { Module } from '@nestjs/common';

/** The console's petitions pages. */
@Module({
  imports: [],
  controllers: [],
  providers: [],
})
export class ConsolePetitionsModule {}
