import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

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
