import { IS_REQUIRED } from './required.decorator.js';
import { VALIDATION_MESSAGES } from './validators.js';

/**
 * What went wrong with a field, in words any language can say: the pages word these in Russian
 * and English, the API says `message`.
 */
export type ValidationRule = 'required' | 'tooLong' | 'tooShort' | 'email' | 'invalid';

export interface ValidationIssue {
  /** The field's path: `email`, `criteria.district`, `signatures[3].email`; '' for the body. */
  field: string;
  rule: ValidationRule;
  /** The length limit, for `tooLong` and `tooShort`. */
  limit?: number;
  /** The API's English message, naming the field (worded in validators.ts). */
  message: string;
}

/** class-validator's `ValidationError`, as far as this reads it (Nest's copy of the type fits too). */
export interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  contexts?: Record<string, unknown>;
  children?: ValidationErrorLike[];
}

const RULES: Record<string, ValidationRule> = {
  [IS_REQUIRED]: 'required',
  maxLength: 'tooLong',
  minLength: 'tooShort',
  isEmail: 'email',
};

/**
 * Constraints that, failing, make the field's other failures noise: a missing value is also "not
 * a string" and "too short"; a number is also "not an email"; null is also "too few items". The
 * first of these that fails is the only one reported for the field.
 */
const OVERRIDING = [IS_REQUIRED, 'isString', 'isArray', 'isDateTime'];

/** Flattens class-validator's tree into one issue per failed rule, with the field's path. */
export function toValidationIssues(
  errors: readonly ValidationErrorLike[],
  parent = '',
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const error of errors) {
    const property = error.property ?? '';
    const field = !parent
      ? property
      : /^\d+$/.test(property)
        ? `${parent}[${property}]`
        : `${parent}.${property}`;
    const constraints = error.constraints ?? {};
    const overriding = OVERRIDING.find((name) => name in constraints);
    const names = overriding ? [overriding] : Object.keys(constraints);
    for (const name of names) {
      const limit = (error.contexts?.[name] as { limit?: unknown } | undefined)?.limit;
      out.push({
        field,
        rule: RULES[name] ?? 'invalid',
        ...(typeof limit === 'number' ? { limit } : {}),
        // whitelistValidation words it as "property x should not exist"; say it plainly.
        message:
          name === 'whitelistValidation' ? VALIDATION_MESSAGES.unknownField : constraints[name],
      });
    }
    out.push(...toValidationIssues(error.children ?? [], field));
  }
  return out;
}
