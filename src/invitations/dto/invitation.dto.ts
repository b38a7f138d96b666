import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Optional } from '../../common/validation/validators.js';

export class InviteDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The register to invite from; it must be the petition’s own (a guard against inviting the ' +
      'wrong list). Left out: the petition’s register.',
  })
  @Optional()
  @IsUUID('all')
  registerId?: string;
}

export class InviteResponse {
  @ApiProperty({ description: 'Entries with an email that were sent an invitation now' })
  invited!: number;
  @ApiProperty({
    description:
      'Entries with an email that were not: they have signed the petition, or were invited to ' +
      'it in the last 24 hours. Entries without an email are not counted.',
  })
  skipped!: number;
}
