import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize as CvArrayMaxSize,
  ArrayMinSize as CvArrayMinSize,
  IsBoolean as CvIsBoolean,
  IsEmail as CvIsEmail,
  IsInt as CvIsInt,
  IsString as CvIsString,
  Max as CvMax,
  MaxLength as CvMaxLength,
  Min as CvMin,
  MinLength as CvMinLength,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

type IsEmailOptions = Parameters<typeof CvIsEmail>[0];

/**
 * The English wording of the validation rules people meet, in one place: short and plain, each
 * naming its field. `$property` and `$constraint1` are filled in by class-validator. The pages
 * word the same rules in their own languages from `toValidationIssues` (rule and limit), so a
 * rule's meaning must not change here without them.
 */
export const VALIDATION_MESSAGES = {
  required: '$property is required',
  string: '$property must be a string',
  tooLong: '$property must be at most $constraint1 characters',
  tooShort: ({ property, constraints }: ValidationArguments): string =>
    constraints[0] === 1
      ? `${property} must not be empty`
      : `${property} must be at least ${constraints[0]} characters`,
  email: '$property must be an email address',
  wholeNumber: '$property must be a whole number',
  atLeast: '$property must be at least $constraint1',
  atMost: '$property must be at most $constraint1',
  trueOrFalse: '$property must be true or false',
  fewItems: ({ property, constraints }: ValidationArguments): string =>
    constraints[0] === 1
      ? `${property} must not be empty`
      : `${property} must hold at least ${constraints[0]} items`,
  manyItems: '$property must hold at most $constraint1 items',
  unknownField: 'unknown field',
} as const;

/*
 * class-validator's own decorators, with the wording above. The length ones also carry their
 * limit as the constraint's context, where `toValidationIssues` finds it (a ValidationError holds
 * only the message). ESLint refuses these names from class-validator elsewhere.
 */

export function IsString(): PropertyDecorator {
  return CvIsString({ message: VALIDATION_MESSAGES.string });
}

/** At most `max` characters (a surrogate pair counts once). */
export function MaxLength(max: number): PropertyDecorator {
  return CvMaxLength(max, { message: VALIDATION_MESSAGES.tooLong, context: { limit: max } });
}

/** At least `min` characters; `MinLength(1)`, for an optional field that may not be empty. */
export function MinLength(min: number): PropertyDecorator {
  return CvMinLength(min, { message: VALIDATION_MESSAGES.tooShort, context: { limit: min } });
}

export function IsEmail(options?: IsEmailOptions): PropertyDecorator {
  return CvIsEmail(options, { message: VALIDATION_MESSAGES.email });
}

export function IsInt(): PropertyDecorator {
  return CvIsInt({ message: VALIDATION_MESSAGES.wholeNumber });
}

export function Min(min: number): PropertyDecorator {
  return CvMin(min, { message: VALIDATION_MESSAGES.atLeast });
}

export function Max(max: number): PropertyDecorator {
  return CvMax(max, { message: VALIDATION_MESSAGES.atMost });
}

export function IsBoolean(): PropertyDecorator {
  return CvIsBoolean({ message: VALIDATION_MESSAGES.trueOrFalse });
}

/** An array of `min` to `max` items. */
export function ArraySize(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    CvArrayMinSize(min, { message: VALIDATION_MESSAGES.fewItems }),
    CvArrayMaxSize(max, { message: VALIDATION_MESSAGES.manyItems }),
  );
}

/** Optional, but when present must not be null (for fields that cannot be cleared). */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** An ISO-8601 date-time that lies in the future at the time of the request. */
export function IsFutureDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFutureDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be in the future`, ...options },
      validator: {
        validate: (value: unknown) => value instanceof Date && value.getTime() > Date.now(),
      },
    });
}
