import { applyDecorators } from '@nestjs/common';
import { IsEnum, IsUUID } from 'class-validator';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import {
  IsBoolean,
  IsDateTime,
  IsFutureDate,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from '../../common/validation/validators.js';
import { Eligibility, MailLanguage } from '../petition-status.js';

/**
 * The rules of each petition field, once; create and update differ only in what is optional.
 * Title, body and addressee are `Required()` in both: an edit may leave them out, not empty them.
 */
export const PetitionFields = {
  title: () => applyDecorators(Trim(), Required(), IsString(), MinLength(5), MaxLength(200)),
  body: () => applyDecorators(Trim(), Required(), IsString(), MaxLength(20000)),
  addressee: () => applyDecorators(Trim(), Required(), IsString(), MaxLength(200)),
  signatureGoal: () => applyDecorators(IsInt(), Min(1), Max(100_000_000)),
  closesAt: () => applyDecorators(IsDateTime({ as: 'date' }), IsFutureDate()),
  requireEmailConfirmation: () => IsBoolean(),
  registerId: () => IsUUID('all'),
  /** The upper bound is RETENTION_DAYS, a setting: PetitionsService checks it. */
  retentionDays: () => applyDecorators(IsInt(), Min(0), Max(3650)),
  language: () => IsEnum(MailLanguage, { message: 'language must be "en" or "ru"' }),
  eligibility: () => IsEnum(Eligibility, { message: 'eligibility must be "review" or "strict"' }),
};
