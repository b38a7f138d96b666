import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsFutureDate } from '../../common/validation/validators.js';
import { Eligibility } from '../petition-status.js';

export class CreatePetitionDto {
  @ApiProperty({ minLength: 5, maxLength: 200, example: 'Open letter on the city budget' })
  @Trim()
  @IsString()
  @Length(5, 200)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @Trim()
  @IsString()
  @Length(1, 20000)
  body!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'The City Council' })
  @Trim()
  @IsString()
  @Length(1, 200)
  addressee!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000000, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  signatureGoal?: number | null;

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'Must be in the future',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'closesAt must be an ISO-8601 date-time' })
  @IsFutureDate()
  closesAt?: Date | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'An eligibility register' })
  @IsOptional()
  @IsUUID('all')
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility, default: Eligibility.Review })
  @IsOptional()
  @IsEnum(Eligibility, { message: 'eligibility must be "review" or "strict"' })
  eligibility?: Eligibility;
}
