import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import {
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  Optional,
} from '../../common/validation/validators.js';

export class ReviewQueueQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this petition’s signatures' })
  @Optional()
  @IsUUID('all')
  petitionId?: string;
}

export class ClaimDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID('all')
  petitionId?: string;

  @ApiProperty({ minimum: 1, maximum: 50 })
  @Type(() => Number)
  @Required()
  @IsInt()
  @Min(1)
  @Max(50)
  limit!: number;
}

export class SignatureDecisionDto {
  @ApiProperty({ enum: ['verify', 'reject'] })
  @Required()
  @IsIn(['verify', 'reject'], { message: 'decision must be "verify" or "reject"' })
  decision!: 'verify' | 'reject';

  @ApiProperty({ description: 'From GET /v1/moderation/reason-codes, fitting the decision' })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(64)
  reasonCode!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CheckResultResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['pass', 'review', 'fail'] }) outcome!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'What this result added to the risk score' }) risk!: number;
}

export class RiskFactorResponse {
  @ApiProperty({ description: 'The check that raised the score' }) check!: string;
  @ApiProperty() points!: number;
  @ApiProperty() detail!: string;
}

export class ReviewItemResponse {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String }) district!: string | null;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Only the domain, never the address' })
  emailDomain!: string | null;
  @ApiProperty({ type: [CheckResultResponse] }) checks!: CheckResultResponse[];
  @ApiProperty({ description: '0–100: the sum of riskFactors, capped' }) riskScore!: number;
  @ApiProperty({ type: [RiskFactorResponse], description: 'Why the score is what it is' })
  riskFactors!: RiskFactorResponse[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) claimedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  claimExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ReviewQueuePageResponse {
  @ApiProperty({ type: [ReviewItemResponse] }) items!: ReviewItemResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ClaimResponse {
  @ApiProperty({ type: [ReviewItemResponse] }) items!: ReviewItemResponse[];
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When these claims lapse',
  })
  expiresAt!: string | null;
}

export class DecisionResponse {
  @ApiProperty({ enum: ['verified', 'rejected'] }) status!: string;
}

export class ReasonCodeResponse {
  @ApiProperty() code!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['verify', 'reject'], isArray: true, description: 'Decisions it fits' })
  decisions!: string[];
}

export class PetitionReasonCodeResponse {
  @ApiProperty() code!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    enum: ['reject'],
    isArray: true,
    description: 'Petition decisions it fits (an approval takes none)',
  })
  decisions!: string[];
}

export class ReasonCodesResponse {
  @ApiProperty({
    type: [ReasonCodeResponse],
    description:
      'Codes for signatures: moderators’ decisions on them (`decisions`), and the reasons the ' +
      'system or the signer gives (no decisions)',
  })
  items!: ReasonCodeResponse[];

  @ApiProperty({
    type: [PetitionReasonCodeResponse],
    description:
      'Codes for rejecting a petition (POST /v1/moderation/petitions/{id}/decision). A list of ' +
      'their own: a code may exist in both lists (`other`) and means each list’s thing there',
  })
  petitionItems!: PetitionReasonCodeResponse[];
}

export class SignatureEventResponse {
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['signer', 'organiser', 'moderator', 'system'] }) actor!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The account, if any' })
  actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) reasonCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) invalidationId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class SignatureEventsResponse {
  @ApiProperty({ type: [SignatureEventResponse] }) items!: SignatureEventResponse[];
}
