import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsEmail, IsString, MaxLength } from '../../common/validation/validators.js';
import { ACCOUNT_ROLES, AccountRole } from '../account-role.js';

export class CreateAccountDto {
  @ApiProperty({ format: 'email', example: 'organiser@example.org', maxLength: 254 })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ example: 'Nadia Organiser', minLength: 1, maxLength: 200 })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: ACCOUNT_ROLES })
  @Required()
  @IsEnum(AccountRole, { message: `role must be one of ${ACCOUNT_ROLES.join(', ')}` })
  role!: AccountRole;
}
