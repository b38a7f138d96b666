import { ApiProperty } from '@nestjs/swagger';

/** How many of a petition's signatures are in each status: the honest count. */
export class SignatureCounts {
  @ApiProperty({ description: 'Waiting for the signer’s email confirmation' })
  unconfirmed!: number;
  @ApiProperty({ description: 'Received, being checked' }) pending!: number;
  @ApiProperty({ description: 'Waiting for a moderator' }) needsReview!: number;
  @ApiProperty() verified!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty({ description: 'Not confirmed in time' }) expired!: number;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When a count last changed',
  })
  updatedAt!: string | null;
}

export class DistrictCount {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'As most of its signers wrote it (grouped regardless of case and spacing)',
  })
  district!: string | null;
  @ApiProperty() verified!: number;
}

export class DistrictCountsResponse {
  @ApiProperty({
    type: [DistrictCount],
    description: 'Districts with at least DISTRICT_MIN_COUNT verified signatures, largest first',
  })
  items!: DistrictCount[];
  @ApiProperty({
    description:
      'Verified signatures of the smaller districts (and of signers who gave none), summed so ' +
      'that no small group of signers is singled out',
  })
  otherVerified!: number;
}

export const ZERO_COUNTS: Readonly<SignatureCounts> = {
  unconfirmed: 0,
  pending: 0,
  needsReview: 0,
  verified: 0,
  rejected: 0,
  withdrawn: 0,
  expired: 0,
  updatedAt: null,
};
