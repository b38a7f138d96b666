import { Inject, Injectable } from '@nestjs/common';
import { type CheckSubject, pass, type SignatureCheck, type Verdict } from '../check.js';
import { REGISTER_MATCHER, type RegisterMatcher } from '../register-matcher.js';

/** Whether the signer is on the petition's eligibility register (when it names one). */
@Injectable()
export class EligibilityRegisterCheck implements SignatureCheck {
  readonly name = 'eligibility_register';

  constructor(@Inject(REGISTER_MATCHER) private readonly matcher: RegisterMatcher) {}

  async run(subjects: readonly CheckSubject[]) {
    const withRegister = subjects.filter((subject) => subject.petition.registerId !== null);
    const verdicts = withRegister.length > 0 ? await this.matcher.match(withRegister) : [];
    const byId = new Map<string, Verdict>(withRegister.map((s, i) => [s.id, verdicts[i]]));
    return subjects.map((subject) => {
      if (subject.petition.registerId === null) return pass('The petition has no register');
      const verdict = byId.get(subject.id);
      // Never a pass by omission: the batch fails, and its jobs retry.
      if (!verdict) throw new Error(`the register matcher gave no verdict for ${subject.id}`);
      return verdict;
    });
  }
}
