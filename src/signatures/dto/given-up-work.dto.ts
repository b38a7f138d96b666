import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional } from '../../common/validation/validators.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { SIGNATURE_WORKS, type SignatureWork } from '../work-revivals.repository.js';

const WORK_MESSAGE = 'work must be "verification" or "mail"';

export class GivenUpWorkQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: SIGNATURE_WORKS, description: 'Both when omitted' })
  @Optional()
  @IsIn(SIGNATURE_WORKS, { message: WORK_MESSAGE })
  work?: SignatureWork;
}

export class RetryGivenUpWorkDto {
  @ApiPropertyOptional({ enum: SIGNATURE_WORKS, description: 'Both when omitted' })
  @Optional()
  @IsIn(SIGNATURE_WORKS, { message: WORK_MESSAGE })
  work?: SignatureWork;
}

export class GivenUpSignatureResponse {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ enum: SIGNATURE_WORKS }) work!: SignatureWork;
  @ApiProperty({ description: 'Times the sweeper re-enqueued the work before giving up' })
  revivals!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRevivedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) givenUpAt!: string;
}

export class GivenUpWorkPageResponse {
  @ApiProperty({ type: [GivenUpSignatureResponse] }) items!: GivenUpSignatureResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RetriedGivenUpWorkResponse {
  @ApiProperty({ description: 'Signatures the sweeper will try again' }) retried!: number;
}
