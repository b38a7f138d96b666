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

/** An account as admins manage it: when it was created and whether it is deactivated. Never a token. */
export class AccountDetailsResponse extends AccountResponse {
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the account was deactivated; null while it is active',
  })
  deactivatedAt!: string | null;

  static override from(account: Account): AccountDetailsResponse {
    return {
      ...AccountResponse.from(account),
      createdAt: account.createdAt.toISOString(),
      deactivatedAt: account.deactivatedAt?.toISOString() ?? null,
    };
  }
}

export class AccountPageResponse {
  @ApiProperty({ type: [AccountDetailsResponse] }) items!: AccountDetailsResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AccountTokenResponse {
  @ApiProperty({ description: 'The new bearer token. Shown once; only its hash is stored.' })
  token!: string;
}
