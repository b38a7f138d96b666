import { Initial1764000000000 } from './1764000000000-initial.js';
import { Signatures1764100000000 } from './1764100000000-signatures.js';
import { Registers1764200000000 } from './1764200000000-registers.js';
import { Moderation1764300000000 } from './1764300000000-moderation.js';
import { WorkBatches1764400000000 } from './1764400000000-work-batches.js';
import { CountSnapshots1764500000000 } from './1764500000000-count-snapshots.js';
import { AccountDeactivation1764600000000 } from './1764600000000-account-deactivation.js';
import { ConsoleSessions1764700000000 } from './1764700000000-console-sessions.js';
import { BlocksAndAlerts1764800000000 } from './1764800000000-blocks-and-alerts.js';
import { WorkRevivals1765100000000 } from './1765100000000-work-revivals.js';
import { RegisterContacts1765200000000 } from './1765200000000-register-contacts.js';
import { DistrictKeys1765210000000 } from './1765210000000-district-keys.js';
import { InvalidationTargets1765300000000 } from './1765300000000-invalidation-targets.js';
import { ImportedSignaturesStandAlone1765300000001 } from './1765300000001-imported-signatures-stand-alone.js';
import { SignerPrivacy1765400000000 } from './1765400000000-signer-privacy.js';
import { PetitionKeys1765500000000 } from './1765500000000-petition-keys.js';

/** Every migration in order. Append new ones; never edit one that has landed. */
export const MIGRATIONS = [
  Initial1764000000000,
  Signatures1764100000000,
  Registers1764200000000,
  Moderation1764300000000,
  WorkBatches1764400000000,
  CountSnapshots1764500000000,
  AccountDeactivation1764600000000,
  ConsoleSessions1764700000000,
  BlocksAndAlerts1764800000000,
  WorkRevivals1765100000000,
  RegisterContacts1765200000000,
  DistrictKeys1765210000000,
  InvalidationTargets1765300000000,
  ImportedSignaturesStandAlone1765300000001,
  SignerPrivacy1765400000000,
  PetitionKeys1765500000000,
];
