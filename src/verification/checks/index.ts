import type { Type } from '@nestjs/common';
import type { SignatureCheck } from '../check.js';
import { BlockCheck } from './block.check.js';
import { DisposableEmailCheck } from './disposable-email.check.js';
import { DuplicatePersonCheck } from './duplicate-person.check.js';
import { EligibilityRegisterCheck } from './eligibility-register.check.js';
import { ImplausibleNameCheck } from './implausible-name.check.js';
import { SameAddressCheck } from './same-address.check.js';
import { SourceBurstCheck } from './source-burst.check.js';

/** Every automated check, in the order they run and are shown. Register a new one here. */
export const CHECKS: ReadonlyArray<Type<SignatureCheck>> = [
  BlockCheck,
  ImplausibleNameCheck,
  DisposableEmailCheck,
  DuplicatePersonCheck,
  SameAddressCheck,
  SourceBurstCheck,
  EligibilityRegisterCheck,
];
