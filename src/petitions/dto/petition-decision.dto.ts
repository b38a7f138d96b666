import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';
import { PETITION_REASON_CODES } from '../petition-status.js';

const REASON_CODES = Object.keys(PETITION_REASON_CODES);

export class PetitionDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'decision must be "approve" or "reject"' })
  decision!: 'approve' | 'reject';

  @ApiPropertyOptional({ enum: REASON_CODES, description: 'Required when rejecting' })
  @ValidateIf(
    (dto: PetitionDecisionDto) => dto.decision === 'reject' || dto.reasonCode !== undefined,
  )
  @IsIn(REASON_CODES, { message: `reasonCode must be one of ${REASON_CODES.join(', ')}` })
  reasonCode?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ClosePetitionDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why it closes, kept in the audit trail' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
