import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { InviteDto, InviteResponse } from './dto/invitation.dto.js';
import { InvitationsService } from './invitations.service.js';

@ApiTags('registers')
@ApiBearerAuth()
@Controller('v1/petitions/:idOrSlug')
@ApiParam({ name: 'idOrSlug', description: 'The petition’s id or slug' })
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('invitations')
  @HttpCode(202)
  @Roles(AccountRole.Organiser, AccountRole.Moderator)
  @ApiOperation({
    summary: 'Mail the register’s people a personal link to sign (its organiser or a moderator)',
    description:
      'Every entry of the petition’s register (current version) that has an email gets a mail, ' +
      'through the mail queue (MAIL_LIMIT_PER_ADDRESS, retries), with the line ' +
      '`{PUBLIC_BASE_URL}/petitions/{slug}?invitation={token}`. Those who signed the petition, or ' +
      'were invited to it in the last 24 hours, are skipped. The token is stored only as a hash; ' +
      'it is used once and stops working when the petition closes. Signing with it (the sign ' +
      'endpoint’s `invitation`) takes the entry’s name, district and email, needs no ' +
      'confirmation mail, and verifies on the register check at once. An invitation is not a ' +
      'signature: it adds to no count. The petition must be open and name a register.',
  })
  @ApiResponse({ status: 202, type: InviteResponse })
  @ApiErrors(
    'validation_failed',
    'malformed_json',
    'unauthorized',
    'forbidden',
    'not_found',
    'petition_not_open',
    'petition_has_no_register',
  )
  async invite(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: InviteDto,
  ): Promise<InviteResponse> {
    return this.invitations.invite(idOrSlug, principal, dto);
  }
}
