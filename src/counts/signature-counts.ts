import { ApiProperty } from '@nestjs/swagger';
import { isModerator, type Principal } from '../common/auth/principal.js';

/**
 * The counts everyone may see (the public and organisers). Nothing here moves when a signature
 * is created unconfirmed, is repeated, or expires unconfirmed, `updatedAt` included: knowing an
 * address must not let anyone find out whether it signed.
 */
export class PublicSignatureCounts {
  @ApiProperty({ description: 'Received, being checked' }) pending!: number;
  @ApiProperty({ description: 'Waiting for a moderator' }) needsReview!: number;
  @ApiProperty() verified!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When one of the fields above last changed',
  })
  updatedAt!: string | null;
}

/** How many of a petition's signatures are in each status: what moderators see. */
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
    description: 'When any count last changed',
  })
  updatedAt!: string | null;
}

/** Both views of one petition's counts, read and cached together. */
export interface PetitionCounts {
  moderator: SignatureCounts;
  public: PublicSignatureCounts;
}

/** Moderators (and admins) see every status; everyone else only the public counts. */
export function countsFor(
  counts: PetitionCounts,
  principal: Principal | undefined,
): SignatureCounts | PublicSignatureCounts {
  return isModerator(principal) ? counts.moderator : counts.public;
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

export const ZERO_PETITION_COUNTS: Readonly<PetitionCounts> = {
  moderator: ZERO_COUNTS,
  public: { pending: 0, needsReview: 0, verified: 0, rejected: 0, withdrawn: 0, updatedAt: null },
};
