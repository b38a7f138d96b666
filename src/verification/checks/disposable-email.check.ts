import { Injectable } from '@nestjs/common';
import MailChecker from 'mailchecker';
import { type CheckSubject, pass, review, type SignatureCheck, type Verdict } from '../check.js';

const DISPOSABLE = MailChecker.blacklist();

/** Whether the domain or any parent domain is a known throwaway-mail provider. */
export function isDisposableDomain(domain: string): boolean {
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (DISPOSABLE.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

/**
 * Throwaway addresses, from the maintained list of the `mailchecker` package. Such an address is
 * a warning, not proof: people use them to protect themselves, so a moderator decides.
 */
@Injectable()
export class DisposableEmailCheck implements SignatureCheck {
  readonly name = 'disposable_email';

  async run(subjects: readonly CheckSubject[]) {
    return subjects.map(judgeDomain);
  }
}

function judgeDomain({ emailDomain }: CheckSubject): Verdict {
  if (emailDomain === null) return pass('No email address given');
  return isDisposableDomain(emailDomain)
    ? review(`The email domain ${emailDomain} is a known throwaway-mail provider`, 30)
    : pass('The email domain is not a known throwaway-mail provider');
}
