import { ApiProperty } from '@nestjs/swagger';
import { SignatureStatus } from '../signature-status.js';

/** A signer's comment, for the petition's organiser and moderators only; never public. */
export class SignerCommentResponse {
  @ApiProperty() fullName!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({
    enum: [
      SignatureStatus.Pending,
      SignatureStatus.NeedsReview,
      SignatureStatus.Verified,
      SignatureStatus.Rejected,
    ],
    description: 'The signature’s status now',
  })
  status!: SignatureStatus;
  @ApiProperty({ format: 'date-time', description: 'When the signature was made' })
  createdAt!: string;
}

export class SignerCommentPageResponse {
  @ApiProperty({ type: [SignerCommentResponse] }) items!: SignerCommentResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
