import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsString, MaxLength, MinLength, Optional } from '../../common/validation/validators.js';
import { PETITION_REASON_CODES } from '../petition-status.js';

const REASON_CODES = Object.keys(PETITION_REASON_CODES);

export class PetitionDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @Required()
  @IsIn(['approve', 'reject'], { message: 'decision must be "approve" or "reject"' })
  decision!: 'approve' | 'reject';

  @ApiPropertyOptional({
    enum: REASON_CODES,
    description:
      'Required when rejecting: one of `petitionItems` in GET /v1/moderation/reason-codes',
  })
  @ValidateIf(
    (dto: PetitionDecisionDto) => dto.decision === 'reject' || dto.reasonCode !== undefined,
  )
  @Trim()
  @Required({ validateIf: (dto: PetitionDecisionDto) => dto.decision === 'reject' })
  @IsIn(REASON_CODES, { message: `reasonCode must be one of ${REASON_CODES.join(', ')}` })
  reasonCode?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}

export class ClosePetitionDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why it closes, kept in the audit trail' })
  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}
