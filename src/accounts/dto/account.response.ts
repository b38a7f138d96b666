import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_ROLES, AccountRole } from '../account-role.js';
import { Account } from '../account.entity.js';

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ACCOUNT_ROLES }) role!: AccountRole;

  static from(account: Account): AccountResponse {
    return {
      id: account.id,
      email: account.email,
      displayName: account.displayName,
      role: account.role,
    };
  }
}

export class CreatedAccountResponse extends AccountResponse {
  @ApiPropertyOptional({ description: 'The bearer token. Shown once; only its hash is stored.' })
  token!: string;
}
