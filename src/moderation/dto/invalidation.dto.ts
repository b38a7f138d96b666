import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import {
  ArraySize,
  IsBoolean,
  IsDateTime,
  IsString,
  MaxLength,
  MinLength,
  Optional,
} from '../../common/validation/validators.js';
import { reasonCodesFor } from '../../signatures/signature-reason-codes.js';
import { SignatureStatus } from '../../signatures/signature-status.js';
import { INVALIDATION_STATUSES, type InvalidationStatus } from '../invalidation-status.js';

/** What a bulk invalidation may reject: every status with a move to `rejected`. */
export const INVALIDATABLE_STATUSES = [
  SignatureStatus.Unconfirmed,
  SignatureStatus.Pending,
  SignatureStatus.NeedsReview,
  SignatureStatus.Verified,
] as const;

export class InvalidationCriteriaDto {
  @ApiPropertyOptional({ example: 'mailinator.com', description: 'The email domain, exactly' })
  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  emailDomain?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Signatures from the same source (client IP hash) as this signature, which must be one of ' +
      'this petition (else 400 `validation_failed`)',
  })
  @Optional()
  @IsUUID('all')
  sameSourceAs?: string;

  @ApiPropertyOptional({
    example: 'Test*',
    description: 'Full name, case-insensitive; `*` matches any run of characters',
  })
  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fullNamePattern?: string;

  @ApiPropertyOptional({ description: 'District, case-insensitive, exactly' })
  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  district?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Signed at or after (RFC 3339)' })
  @Optional()
  @IsDateTime({ as: 'string' })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Signed before (RFC 3339)' })
  @Optional()
  @IsDateTime({ as: 'string' })
  createdTo?: string;

  @ApiPropertyOptional({
    enum: INVALIDATABLE_STATUSES,
    isArray: true,
    description: 'Default: all four',
  })
  @Optional()
  @IsArray()
  @ArraySize(1, 4)
  @IsIn(INVALIDATABLE_STATUSES, {
    each: true,
    message: `statuses may hold ${INVALIDATABLE_STATUSES.join(', ')}`,
  })
  statuses?: SignatureStatus[];
}

export class CreateInvalidationDto {
  @ApiProperty({ format: 'uuid' })
  @Required()
  @IsUUID('all')
  petitionId!: string;

  @ApiProperty({ type: InvalidationCriteriaDto, description: 'At least one besides statuses' })
  @Required()
  @IsObject()
  @ValidateNested()
  @Type(() => InvalidationCriteriaDto)
  criteria!: InvalidationCriteriaDto;

  @ApiProperty({ enum: reasonCodesFor('reject') })
  @Trim()
  @Required()
  @IsIn(reasonCodesFor('reject'), {
    message: `reasonCode must be one of ${reasonCodesFor('reject').join(', ')}`,
  })
  reasonCode!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ default: false, description: 'Only count what would match' })
  @Optional()
  @IsBoolean()
  dryRun?: boolean;
}

/** The criteria as the invalidation keeps them: the request's, normalised, and when it was made. */
export class StoredCriteriaResponse {
  @ApiPropertyOptional({ description: 'Lower-cased' }) emailDomain?: string;
  @ApiPropertyOptional({ format: 'uuid' }) sameSourceAs?: string;
  @ApiPropertyOptional() fullNamePattern?: string;
  @ApiPropertyOptional() district?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdTo?: string;
  @ApiProperty({ enum: INVALIDATABLE_STATUSES, isArray: true }) statuses!: SignatureStatus[];
  @ApiProperty({
    format: 'date-time',
    description: 'Only signatures made by then are matched: what was counted and approved',
  })
  requestedAt!: string;
}

export class InvalidationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['preview', 'awaiting_approval', 'running', 'completed', 'cancelled'] })
  status!: string;
  @ApiProperty({
    description:
      'Signatures the criteria matched when it was requested: the most it will ever change',
  })
  matched!: number;
  @ApiProperty({ description: 'Signatures rejected so far' }) processed!: number;
  @ApiProperty({ format: 'uuid' }) requestedBy!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ type: StoredCriteriaResponse }) criteria!: Record<string, unknown>;
  @ApiProperty() reasonCode!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
}

export class InvalidationListQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: INVALIDATION_STATUSES,
    description:
      'Only invalidations in this status (`awaiting_approval`: those a second moderator may approve)',
  })
  @Optional()
  @IsIn(INVALIDATION_STATUSES, {
    message: `status must be one of ${INVALIDATION_STATUSES.join(', ')}`,
  })
  status?: InvalidationStatus;
}

export class InvalidationPageResponse {
  @ApiProperty({ type: [InvalidationResponse] }) items!: InvalidationResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
