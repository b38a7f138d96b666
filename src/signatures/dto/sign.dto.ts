import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { SignatureFields as F } from './signature-fields.js';

export class SignDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Anna Testova' })
  @F.fullName()
  fullName!: string;

  @ApiProperty({ maxLength: 254, example: 'anna@example.org' })
  @F.email()
  email!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'District 7' })
  @IsOptional()
  @F.district()
  district?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Municipal deputy' })
  @IsOptional()
  @F.title()
  title?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Show the name on the public list once verified',
  })
  @IsOptional()
  @F.displayPublicly()
  displayPublicly?: boolean;

  @ApiPropertyOptional({
    maxLength: 1000,
    description: 'Seen by the organiser and moderators only',
  })
  @IsOptional()
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
