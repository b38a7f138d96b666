import { Injectable } from '@nestjs/common';
import { type CheckSubject, review } from './check.js';
import type { RegisterMatcher } from './register-matcher.js';

/**
 * Used until the registers module provides matching: a signer on a petition that names a
 * register cannot be checked automatically, so a moderator decides. It never verifies blindly.
 */
@Injectable()
export class UnavailableRegisterMatcher implements RegisterMatcher {
  async match(_subject: CheckSubject) {
    return review('The eligibility register cannot be matched automatically yet', 60);
  }
}
