import { Global, Module } from '@nestjs/common';
import { DataKeysRepository } from './data-keys.repository.js';
import { KeyRing } from './key-ring.service.js';

/** The key ring, everywhere: every domain that reads or writes signer data goes through it. */
@Global()
@Module({
  providers: [DataKeysRepository, KeyRing],
  exports: [DataKeysRepository, KeyRing],
})
export class KeysModule {}
