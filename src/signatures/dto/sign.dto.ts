import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { Required } from '../../common/validation/required.decorator.js';
import { SIGNER_FIELD_LIMITS as L, SignatureFields as F } from './signature-fields.js';
import { IsString, MaxLength, Optional } from '../../common/validation/validators.js';
import { Trim } from '../../common/validation/trim.decorator.js';

/**
 * With an invitation, a field the entry provides may be left out; given, it is still checked
 * (and then ignored: the entry's is used).
 */
const unlessInvited = () =>
  ValidateIf((dto: SignDto, value: unknown) => dto.invitation === undefined || value !== undefined);

export class SignDto {
  @ApiProperty({
    minLength: 1,
    maxLength: L.fullName.maxLength,
    example: 'Anna Testova',
    description: 'Required, unless `invitation` is given (then the entry’s name is used)',
  })
  @unlessInvited()
  @Required()
  @F.fullName()
  fullName!: string;

  @ApiProperty({
    format: 'email',
    maxLength: L.email.maxLength,
    example: 'anna@example.org',
    description: 'Required, unless `invitation` is given (then the entry’s email is used)',
  })
  @unlessInvited()
  @Required()
  @F.email()
  email!: string;

  @ApiPropertyOptional({
    maxLength: L.district.maxLength,
    example: 'District 7',
    description:
      'On a petition with a register, stored as the register writes that district when it is ' +
      'one of the register’s (matched across case and Cyrillic or Latin spellings). With ' +
      '`invitation`, the entry’s district is used.',
  })
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

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'The token of a register invitation (the `invitation` of its link). The entry’s name, ' +
      'email and district are used, and the title defaults to the entry’s; no confirmation ' +
      'mail; the signature verifies on the register check. Unknown or another petition’s → 404 ' +
      '`invalid_invitation`; already used → 409 `invitation_used`; the petition closed → 410 ' +
      '`invitation_expired`.',
  })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(100)
  invitation?: string;
}

export class SignatureReceivedResponse {
  @ApiProperty({
    enum: ['received'],
    description: 'The same for a first and a repeated signature: the API never tells who signed',
  })
  status!: 'received';
}
