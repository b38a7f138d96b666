import { ApiProperty } from '@nestjs/swagger';

/** A verified signature whose signer chose to be listed. Never email, IP or comment. */
export class PublicSignatureResponse {
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String }) district!: string | null;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ format: 'date-time' }) verifiedAt!: string;
}

export class PublicSignaturePageResponse {
  @ApiProperty({ type: [PublicSignatureResponse] }) items!: PublicSignatureResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
