import { ApiProperty } from '@nestjs/swagger';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsString, MaxLength } from '../../common/validation/validators.js';
import { SIGNATURE_STATUSES, SignatureStatus } from '../signature-status.js';

export class SignerTokenDto {
  @ApiProperty({ description: 'The secret token from the signer’s mail' })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class SignerStatusResponse {
  @ApiProperty({ enum: SIGNATURE_STATUSES }) status!: SignatureStatus;
}

export class SignatureLookupResponse {
  @ApiProperty({ enum: SIGNATURE_STATUSES }) status!: SignatureStatus;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why, when rejected, withdrawn or expired',
  })
  reasonCode!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
