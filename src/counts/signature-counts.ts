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
    type: String,
    description:
      'With a register, the register’s district, as the register writes it (signers’ spellings, ' +
      'Cyrillic or Latin, grouped under it); otherwise as most of its signers wrote it (grouped ' +
      'regardless of case, spacing and Cyrillic or Latin spelling)',
  })
  district!: string;
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
      'Verified signatures of the districts with fewer than DISTRICT_MIN_COUNT (with a ' +
      'register, also of districts it does not list), and of signers who gave none, summed so ' +
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
