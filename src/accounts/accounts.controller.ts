import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { AccountRole, BOOTSTRAP_ADMIN_ID } from './account-role.js';
import { AccountsService } from './accounts.service.js';
import {
  AccountDetailsResponse,
  AccountPageResponse,
  AccountResponse,
  AccountTokenResponse,
  CreatedAccountResponse,
} from './dto/account.response.js';
import { CreateAccountDto } from './dto/create-account.dto.js';

/** Responses that carry a token are `Cache-Control: no-store`: no browser or proxy keeps a copy. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('accounts')
  @HttpCode(201)
  @Roles(AccountRole.Admin)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an account (admin). The token is shown once.' })
  @ApiResponse({ status: 201, type: CreatedAccountResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'account_exists')
  async create(@Body() dto: CreateAccountDto): Promise<CreatedAccountResponse> {
    const { account, token } = await this.accounts.create(dto);
    return { ...AccountResponse.from(account), token };
  }

  @Get('accounts')
  @Roles(AccountRole.Admin)
  @ApiOperation({
    summary: 'List the accounts, newest first (admin). Never shows tokens.',
    description:
      'Every account, deactivated ones included (their `deactivatedAt` is set). The list also ' +
      `holds the bootstrap admin's row (id \`${BOOTSTRAP_ADMIN_ID}\`): it stands for whoever ` +
      'holds ADMIN_TOKEN, has no stored token, and can be neither given one nor deactivated. ' +
      'Ordered by `createdAt`, then `id`, both descending; pass `nextCursor` back as `cursor` ' +
      'for the next page.',
  })
  @ApiResponse({ status: 200, type: AccountPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: PageQueryDto): Promise<AccountPageResponse> {
    const page = await this.accounts.list(query);
    return {
      items: page.items.map((a) => AccountDetailsResponse.from(a)),
      nextCursor: page.nextCursor,
    };
  }

  @Post('accounts/:id/token')
  @HttpCode(200)
  @Roles(AccountRole.Admin)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Give an account a new token (admin). Shown once; the old one stops working at once.',
    description:
      'The new token replaces the old one in one step: from this response on, the old token is ' +
      'answered 401. Only its hash is stored, so a lost token cannot be shown again, only ' +
      'replaced. An admin may replace their own token. Refused with 409 `invalid_transition` for ' +
      'the bootstrap admin (it authenticates with ADMIN_TOKEN, which only the operator can ' +
      'change) and with 409 `account_deactivated` for a deactivated account. An id that is not ' +
      'a UUID, or names no account, is a 404.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: AccountTokenResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found', 'invalid_transition', 'account_deactivated')
  async issueToken(@UuidParam('id', 'Account') id: string): Promise<AccountTokenResponse> {
    return { token: await this.accounts.issueToken(id) };
  }

  @Post('accounts/:id/deactivate')
  @HttpCode(200)
  @Roles(AccountRole.Admin)
  @ApiOperation({
    summary: 'Deactivate an account (admin): its token and console sessions stop working at once.',
    description:
      "From this response on, the account's token and its console sessions are answered 401 " +
      'everywhere, and it cannot be given a new token (409 `account_deactivated`). There is no ' +
      'reactivation, and the email stays taken by this account. Its petitions, decisions and ' +
      'their history stay, still naming it. Deactivating an account that already is ' +
      'deactivated answers 200 with the same account, its first `deactivatedAt` kept. Refused with 409 `invalid_transition` for the bootstrap admin (it is whoever holds ' +
      "ADMIN_TOKEN) and for the calling admin's own account. An id that is not a UUID, or " +
      'names no account, is a 404.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: AccountDetailsResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found', 'invalid_transition')
  async deactivate(
    @UuidParam('id', 'Account') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AccountDetailsResponse> {
    return AccountDetailsResponse.from(await this.accounts.deactivate(id, principal));
  }

  @Get('me')
  @ApiOperation({ summary: 'The calling account' })
  @ApiResponse({ status: 200, type: AccountResponse })
  @ApiErrors('unauthorized')
  async me(@CurrentPrincipal() principal: Principal): Promise<AccountResponse> {
    const account = await this.accounts.findById(principal.id);
    if (!account) throw new DomainError('unauthorized', 'The account no longer exists');
    return AccountResponse.from(account);
  }
}
