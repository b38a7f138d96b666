import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { AlertsService } from './alerts.service.js';
import { AlertListQuery, AlertPageResponse, AlertResponse } from './dto/alert.dto.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/moderation/alerts')
@Roles(AccountRole.Moderator)
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({
    summary: 'Trending alerts, newest first (moderator)',
    description:
      'Every TRENDING_INTERVAL_SECONDS a job counts, for each open petition, the signatures of ' +
      'the past hour by source and by email domain; at least TRENDING_THRESHOLD from one raises ' +
      'an alert, at most one per source (or domain) and petition per hour. A source is named by ' +
      'one of its signature ids, never an IP. `?status=open` (the default) or `acknowledged`.',
  })
  @ApiResponse({ status: 200, type: AlertPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: AlertListQuery): Promise<AlertPageResponse> {
    return this.alerts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One trending alert (moderator)' })
  @ApiResponse({ status: 200, type: AlertResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async get(@UuidParam('id', 'Alert') id: string): Promise<AlertResponse> {
    return this.alerts.get(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge a trending alert (moderator)',
    description:
      'It leaves the open list. Acknowledging it again changes nothing and answers 200 with ' +
      '`acknowledgedBy` naming whoever acknowledged it first.',
  })
  @ApiResponse({ status: 200, type: AlertResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', 'Alert') id: string,
  ): Promise<AlertResponse> {
    return this.alerts.acknowledge(principal, id);
  }
}
