import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsString, Length, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';
import { ACCOUNT_ROLES, AccountRole } from '../account-role.js';

export class CreateAccountDto {
  @ApiProperty({ example: 'organiser@example.org', maxLength: 254 })
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ example: 'Nadia Organiser', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: ACCOUNT_ROLES })
  @IsEnum(AccountRole, { message: `role must be one of ${ACCOUNT_ROLES.join(', ')}` })
  role!: AccountRole;
}
