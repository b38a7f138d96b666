import { ApiPropertyOptional } from '@nestjs/swagger';
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
import { IsFutureDate, IsOptionalNotNull } from '../../common/validation/validators.js';
import { Eligibility } from '../petition-status.js';

/** Every field optional; `null` clears signatureGoal, closesAt and registerId. */
export class UpdatePetitionDto {
  @ApiPropertyOptional({ minLength: 5, maxLength: 200 })
  @IsOptionalNotNull()
  @Trim()
  @IsString()
  @Length(5, 200)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20000 })
  @IsOptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 20000)
  body?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  addressee?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000000, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  signatureGoal?: number | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'closesAt must be an ISO-8601 date-time' })
  @IsFutureDate()
  closesAt?: Date | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  requireEmailConfirmation?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  registerId?: string | null;

  @ApiPropertyOptional({ enum: Eligibility })
  @IsOptionalNotNull()
  @IsEnum(Eligibility, { message: 'eligibility must be "review" or "strict"' })
  eligibility?: Eligibility;
}
