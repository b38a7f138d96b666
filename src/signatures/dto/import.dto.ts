import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RowErrorResponse } from '../../common/upload/upload-docs.js';
import { Required } from '../../common/validation/required.decorator.js';
import { SIGNER_FIELD_LIMITS as L, SignatureFields as F } from './signature-fields.js';
import { Optional } from '../../common/validation/validators.js';

/** One signature received elsewhere (on paper, by letter). */
export class ImportRowDto {
  @ApiProperty({ minLength: 1, maxLength: L.fullName.maxLength })
  @Required()
  @F.fullName()
  fullName!: string;

  @ApiPropertyOptional({ format: 'email', maxLength: L.email.maxLength })
  @Optional()
  @F.email()
  email?: string;

  @ApiPropertyOptional({ maxLength: L.district.maxLength })
  @Optional()
  @F.district()
  district?: string;

  @ApiPropertyOptional({ maxLength: L.title.maxLength })
  @Optional()
  @F.title()
  title?: string;
}

export class ImportBodyDto {
  @ApiProperty({ type: [ImportRowDto], maxItems: 10000 })
  signatures!: ImportRowDto[];
}

export class ImportResponse {
  @ApiProperty({
    description:
      'Rows taken in, each a signature of its own (one whose email already signed included)',
  })
  accepted!: number;
  @ApiProperty({ type: [RowErrorResponse] }) rejected!: RowErrorResponse[];
}
