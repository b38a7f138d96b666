import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Eligibility, MailLanguage } from '../petition-status.js';
import { PetitionFields as F } from './petition-fields.js';

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

  @ApiPropertyOptional({ minimum: 1, maximum: 100000000, nullable: true })
  @IsOptional()
  @F.signatureGoal()
  signatureGoal?: number | null;

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'Must be in the future',
  })
  @IsOptional()
  @F.closesAt()
  closesAt?: Date | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @F.requireEmailConfirmation()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'An eligibility register' })
  @IsOptional()
  @F.registerId()
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility, default: Eligibility.Review })
  @IsOptional()
  @F.eligibility()
  eligibility?: Eligibility;

  @ApiPropertyOptional({
    enum: MailLanguage,
    default: MailLanguage.En,
    description: 'Language of the mails to signers, unless their Accept-Language asks for another',
  })
  @IsOptional()
  @F.language()
  language?: MailLanguage;
}
