import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { AccountRole } from './account-role.js';
import { AccountsService } from './accounts.service.js';
import { AccountResponse, CreatedAccountResponse } from './dto/account.response.js';
import { CreateAccountDto } from './dto/create-account.dto.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('accounts')
  @HttpCode(201)
  @Roles(AccountRole.Admin)
  @ApiOperation({ summary: 'Create an account (admin). The token is shown once.' })
  @ApiResponse({ status: 201, type: CreatedAccountResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'account_exists')
  async create(@Body() dto: CreateAccountDto): Promise<CreatedAccountResponse> {
    const { account, token } = await this.accounts.create(dto);
    return { ...AccountResponse.from(account), token };
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
