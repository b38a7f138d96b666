import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/validators.js';
import { Eligibility, MailLanguage } from '../petition-status.js';
import { PetitionFields as F } from './petition-fields.js';

/** Every field optional; `null` clears signatureGoal, closesAt and registerId, and nothing else. */
export class UpdatePetitionDto {
  @ApiPropertyOptional({ minLength: 5, maxLength: 200 })
  @IsOptionalNotNull()
  @F.title()
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20000 })
  @IsOptionalNotNull()
  @F.body()
  body?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptionalNotNull()
  @F.addressee()
  addressee?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000000, nullable: true })
  @IsOptional()
  @F.signatureGoal()
  signatureGoal?: number | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  @IsOptional()
  @F.closesAt()
  closesAt?: Date | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @F.requireEmailConfirmation()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @F.registerId()
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility })
  @IsOptionalNotNull()
  @F.eligibility()
  eligibility?: Eligibility;

  @ApiPropertyOptional({
    enum: MailLanguage,

    description: 'Language of the mails to signers, unless their Accept-Language asks for another',
  })
  @IsOptionalNotNull()
  @F.language()
  language?: MailLanguage;
}
