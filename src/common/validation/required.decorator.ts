import { ValidateBy, type ValidationOptions } from 'class-validator';
import { VALIDATION_MESSAGES } from './validators.js';

/**
 * The constraint name of `Required()`. Part of the contract with the pages, which look for it
 * (through `toValidationIssues`, as the rule `required`): never rename.
 */
export const IS_REQUIRED = 'isRequired';

/** Missing, null, or an empty string (after `Trim()`, so blanks count as empty). */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * A field that must be given: fails on undefined, null and '' with "<field> is required". When it
 * fails, `toValidationIssues` reports only this for the field, not also the type and length rules
 * that a missing value fails as well. `validateIf` makes it conditional (required when rejecting).
 */
export function Required(options?: Pick<ValidationOptions, 'validateIf'>): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_REQUIRED,
      validator: { validate: (value: unknown) => !isBlank(value) },
    },
    { ...options, message: VALIDATION_MESSAGES.required },
  );
}
