import { Global, Module } from '@nestjs/common';
import { DataKeysRepository } from './data-keys.repository.js';
import { KeyRing } from './key-ring.service.js';
import { KeyRotationService } from './key-rotation.service.js';

/** The key ring, everywhere: every domain that reads or writes signer data goes through it. */
@Global()
@Module({
  providers: [DataKeysRepository, KeyRing, KeyRotationService],
  exports: [DataKeysRepository, KeyRing, KeyRotationService],
})
export class KeysModule {}
