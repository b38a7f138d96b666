import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Required } from '../../common/validation/required.decorator.js';
import { SIGNER_FIELD_LIMITS as L, SignatureFields as F } from './signature-fields.js';
import { Optional } from '../../common/validation/validators.js';

export class SignDto {
  @ApiProperty({ minLength: 1, maxLength: L.fullName.maxLength, example: 'Anna Testova' })
  @Required()
  @F.fullName()
  fullName!: string;

  @ApiProperty({ format: 'email', maxLength: L.email.maxLength, example: 'anna@example.org' })
  @Required()
  @F.email()
  email!: string;

  @ApiPropertyOptional({ maxLength: L.district.maxLength, example: 'District 7' })
  @Optional()
  @F.district()
  district?: string;

  @ApiPropertyOptional({ maxLength: L.title.maxLength, example: 'Municipal deputy' })
  @Optional()
  @F.title()
  title?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Show the name on the public list once verified',
  })
  @Optional()
  @F.displayPublicly()
  displayPublicly?: boolean;

  @ApiPropertyOptional({
    maxLength: L.comment.maxLength,
    description: 'Seen by the organiser and moderators only',
  })
  @Optional()
  @F.comment()
  comment?: string;
}

export class SignatureReceivedResponse {
  @ApiProperty({
    enum: ['received'],
    description: 'The same for a first and a repeated signature: the API never tells who signed',
  })
  status!: 'received';
}
