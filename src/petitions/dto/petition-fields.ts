import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsFutureDate } from '../../common/validation/validators.js';
import { Eligibility, MailLanguage } from '../petition-status.js';

/** The rules of each petition field, once; create and update differ only in what is optional. */
export const PetitionFields = {
  title: () => applyDecorators(Trim(), IsString(), Length(5, 200)),
  body: () => applyDecorators(Trim(), IsString(), Length(1, 20000)),
  addressee: () => applyDecorators(Trim(), IsString(), Length(1, 200)),
  signatureGoal: () => applyDecorators(IsInt(), Min(1), Max(100_000_000)),
  closesAt: () =>
    applyDecorators(
      Type(() => Date),
      IsDate({ message: 'closesAt must be an ISO-8601 date-time' }),
      IsFutureDate(),
    ),
  requireEmailConfirmation: () => IsBoolean(),
  registerId: () => IsUUID('all'),
  language: () => IsEnum(MailLanguage, { message: 'language must be "en" or "ru"' }),
  eligibility: () => IsEnum(Eligibility, { message: 'eligibility must be "review" or "strict"' }),
};
