import { Inject, Injectable } from '@nestjs/common';
import { type CheckSubject, pass, type SignatureCheck } from '../check.js';
import { REGISTER_MATCHER, type RegisterMatcher } from '../register-matcher.js';

/** Whether the signer is on the petition's eligibility register (when it names one). */
@Injectable()
export class EligibilityRegisterCheck implements SignatureCheck {
  readonly name = 'eligibility_register';

  constructor(@Inject(REGISTER_MATCHER) private readonly matcher: RegisterMatcher) {}

  async run(subject: CheckSubject) {
    if (subject.petition.registerId === null) return pass('The petition has no register');
    return this.matcher.match(subject);
  }
}
