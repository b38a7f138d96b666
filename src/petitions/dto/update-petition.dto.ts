import { ApiPropertyOptional } from '@nestjs/swagger';
import { Eligibility, MailLanguage } from '../petition-status.js';
import { PetitionFields as F } from './petition-fields.js';
import { Optional } from '../../common/validation/validators.js';

/** Every field optional; `null` clears signatureGoal, closesAt and registerId, and nothing else. */
export class UpdatePetitionDto {
  @ApiPropertyOptional({ minLength: 5, maxLength: 200 })
  @Optional()
  @F.title()
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20000 })
  @Optional()
  @F.body()
  body?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Optional()
  @F.addressee()
  addressee?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000000, nullable: true })
  @Optional({ nullable: true })
  @F.signatureGoal()
  signatureGoal?: number | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'RFC 3339, with a time zone; must be in the future. `null` clears it',
  })
  @Optional({ nullable: true })
  @F.closesAt()
  closesAt?: Date | null;

  @ApiPropertyOptional()
  @Optional()
  @F.requireEmailConfirmation()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'An eligibility register; `null` clears it',
  })
  @Optional({ nullable: true })
  @F.registerId()
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility })
  @Optional()
  @F.eligibility()
  eligibility?: Eligibility;

  @ApiPropertyOptional({
    enum: MailLanguage,

    description: 'Language of the mails to signers, unless their Accept-Language asks for another',
  })
  @Optional()
  @F.language()
  language?: MailLanguage;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 3650,
    description:
      'Days after the petition closes (or is rejected) before its signers’ personal data is ' +
      'destroyed; 0 destroys it at closing. At most RETENTION_DAYS (a server setting, 180 by ' +
      'default), which is also the default.',
  })
  @Optional()
  @F.retentionDays()
  retentionDays?: number;
}
