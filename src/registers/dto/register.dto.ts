import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RowErrorResponse } from '../../common/upload/upload-docs.js';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsString, MaxLength, Optional } from '../../common/validation/validators.js';
import { SignatureFields } from '../../signatures/dto/signature-fields.js';

export class CreateRegisterDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Municipal deputies of Sampletown' })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

/** One person on a register. */
export class RegisterEntryDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(200)
  district?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({
    format: 'email',
    maxLength: 254,
    description:
      'The person’s address (CSV column `email`): stored encrypted with a keyed index, shown ' +
      'back only masked. With it, only a signature from this address (after normalisation) ' +
      'passes the register check, and the entry can be sent an invitation.',
  })
  @Optional()
  @SignatureFields.email()
  email?: string;
}

export class ReplaceEntriesBodyDto {
  @ApiProperty({ type: [RegisterEntryDto] })
  entries!: RegisterEntryDto[];
}

export class RegisterResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ description: '0 until entries are first uploaded; +1 per upload' })
  version!: number;
  @ApiProperty({ description: 'Entries in the current version' }) entryCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class RegisterPageResponse {
  @ApiProperty({ type: [RegisterResponse] }) items!: RegisterResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RegisterEntryResponse {
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String }) district!: string | null;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'k***@example.org',
    description: 'The entry’s email, masked: its first letter and its domain; null without one',
  })
  email!: string | null;
}

export class RegisterEntryPageResponse {
  @ApiProperty({ type: [RegisterEntryResponse] }) items!: RegisterEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ReplaceEntriesResponse {
  @ApiProperty() version!: number;
  @ApiProperty() imported!: number;
  @ApiProperty({ type: [RowErrorResponse] }) rejected!: RowErrorResponse[];
}
