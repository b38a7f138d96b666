import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
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
  dateTime:
    '$property must be an RFC 3339 date-time with a time zone, such as 2030-01-31T18:00:00Z',
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

/**
 * An optional field: left out, none of its rules run. `null` is a value like any other, which the
 * field's rules then refuse ("must be a string"), unless `nullable` is set: then null means
 * "none" (clearing it), and the OpenAPI document must say `nullable: true`. This, not
 * class-validator's IsOptional (which lets null through to code that expects a string), is how
 * every DTO marks a field optional.
 */
export function Optional(options: { nullable?: boolean } = {}): PropertyDecorator {
  return options.nullable
    ? ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null)
    : ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/**
 * RFC 3339's date-time (its `date-time` production, which JSON Schema's format names): a date,
 * `T`, a time with seconds, an optional fraction (up to nanoseconds), and `Z` or an offset.
 */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** The last instant whose ISO form has four year digits: later ones print as `+010000-…`. */
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Year 1: PostgreSQL has no year 0, and JavaScript reads two-digit years as 19xx. */
const EARLIEST_INSTANT = new Date('0001-01-01T00:00:00.000Z').getTime();

/**
 * The instant an RFC 3339 date-time names, or null when it is not one: a day the month does not
 * have (2030-02-30), an hour past 23, no time zone, a leap second (which a Date cannot hold), or
 * an instant outside years 1 to 9999 UTC, which neither RFC 3339 nor the answer could write.
 * JavaScript's own `Date` takes all of these and more (`+275760-09-13`, `true`), silently.
 */
export function parseDateTime(text: string): Date | null {
  const match = RFC3339_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (match[8]) {
    const [offsetHours, offsetRest] = [Number(match[9]), Number(match[10])];
    if (offsetHours > 23 || offsetRest > 59) return null;
    offsetMinutes = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const millis = match[7] ? Number(match[7].slice(1, 4).padEnd(3, '0')) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  const time = date.getTime();
  return time >= EARLIEST_INSTANT && time <= LATEST_INSTANT ? date : null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A date-time field: an RFC 3339 string (trimmed), checked by `parseDateTime`, the one rule
 * every date field follows. The DTO then holds a `Date` (`as: 'date'`) or the instant as
 * `toISOString()` gives it (`as: 'string'`), so what is stored and echoed is always RFC 3339.
 */
export function IsDateTime(options: { as: 'date' | 'string' }): PropertyDecorator {
  const asDate = options.as === 'date';
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const instant = parseDateTime(value.trim());
      if (!instant) return value;
      return asDate ? instant : instant.toISOString();
    }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isDateTime',
        target: target.constructor,
        propertyName: String(propertyName),
        options: { message: VALIDATION_MESSAGES.dateTime },
        validator: {
          validate: (value: unknown) =>
            asDate
              ? value instanceof Date
              : typeof value === 'string' && parseDateTime(value) !== null,
        },
      }),
  );
}

/** A date-time (with IsDateTime) that lies in the future at the time of the request. */
export function IsFutureDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFutureDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be in the future`, ...options },
      validator: {
        // Not a date at all is IsDateTime's to say, once.
        validate: (value: unknown) => !(value instanceof Date) || value.getTime() > Date.now(),
      },
    });
}
