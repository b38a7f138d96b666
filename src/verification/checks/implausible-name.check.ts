import { Injectable } from '@nestjs/common';
import { type CheckSubject, fail, pass, review, type SignatureCheck } from '../check.js';

const URL_LIKE =
  /(https?:\/\/|www\.|\b[\p{L}\d-]+\.(com|net|org|ru|info|io|xyz|top|biz|site|online)\b)/iu;
/** What a spreadsheet would run as a formula, or markup: not what a person writes as a name. */
const FORMULA_OR_MARKUP = /^[=+@\t\r-]|[<>{}[\]|\\$^]/u;
const DIGIT = /\d/u;
const LETTER = /\p{L}/u;
/** The same character many times over ("aaaaaa"), typical of keyboard mashing. */
const REPEATED = /(\p{L})\1{4,}/iu;

/**
 * Names that cannot be a person's: URLs and formula or markup characters fail; digits or
 * runs of one letter go to a moderator, since they are odd but sometimes real ("Ivan II").
 */
@Injectable()
export class ImplausibleNameCheck implements SignatureCheck {
  readonly name = 'implausible_name';

  async run(subjects: readonly CheckSubject[]) {
    return subjects.map((subject) => judgeName(subject.fullName));
  }
}

export function judgeName(fullName: string) {
  if (!LETTER.test(fullName)) return fail('The name has no letters', 'fake_name');
  if (URL_LIKE.test(fullName)) return fail('The name contains a web address', 'fake_name');
  if (FORMULA_OR_MARKUP.test(fullName)) {
    return fail('The name contains formula or markup characters', 'fake_name');
  }
  if (DIGIT.test(fullName)) return review('The name contains digits', 30);
  if (REPEATED.test(fullName)) return review('The name repeats one letter many times', 30);
  return pass('The name looks like a person’s name');
}
