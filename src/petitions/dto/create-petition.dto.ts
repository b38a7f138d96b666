import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Eligibility, MailLanguage } from '../petition-status.js';
import { PetitionFields as F } from './petition-fields.js';
import { Optional } from '../../common/validation/validators.js';

export class CreatePetitionDto {
  @ApiProperty({ minLength: 5, maxLength: 200, example: 'Open letter on the city budget' })
  @F.title()
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @F.body()
  body!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'The City Council' })
  @F.addressee()
  addressee!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000000, nullable: true })
  @Optional({ nullable: true })
  @F.signatureGoal()
  signatureGoal?: number | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'RFC 3339, with a time zone; must be in the future',
  })
  @Optional({ nullable: true })
  @F.closesAt()
  closesAt?: Date | null;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @F.requireEmailConfirmation()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'An eligibility register',
  })
  @Optional({ nullable: true })
  @F.registerId()
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility, default: Eligibility.Review })
  @Optional()
  @F.eligibility()
  eligibility?: Eligibility;

  @ApiPropertyOptional({
    enum: MailLanguage,
    default: MailLanguage.En,
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
