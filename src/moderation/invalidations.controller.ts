import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import {
  CreateInvalidationDto,
  InvalidationListQuery,
  InvalidationPageResponse,
  InvalidationResponse,
} from './dto/invalidation.dto.js';
import { InvalidationsService } from './invalidations.service.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/moderation/invalidations')
@Roles(AccountRole.Moderator)
export class InvalidationsController {
  constructor(private readonly invalidations: InvalidationsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Reject a petition’s signatures in bulk, by criteria (moderator)',
    description:
      '`dryRun` only counts (status `preview`). Otherwise the request records the signatures ' +
      'its criteria match now (`matched`): running, it rejects only those of them that still ' +
      'match, never more; signatures that match later are left for a new request. It waits for ' +
      'a second moderator (`awaiting_approval`) when it takes what the requesting moderator has ' +
      'changed on this petition on their own in the last 24 hours past ' +
      'INVALIDATION_APPROVAL_THRESHOLD, so splitting one invalidation into small ones does not ' +
      'avoid the second moderator; otherwise it starts at once (`running`). That total counts ' +
      'the `matched` of the moderator’s requests awaiting approval or running and the ' +
      '`processed` of those completed or cancelled; dry runs, and invalidations another ' +
      'moderator approved, count nothing. Criteria combine with AND; at least one besides ' +
      '`statuses` is required. `sameSourceAs` must name a signature of this petition (else 400).',
  })
  @ApiResponse({ status: 201, type: InvalidationResponse })
  @ApiErrors('validation_failed', 'malformed_json', 'unauthorized', 'forbidden', 'not_found')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateInvalidationDto,
  ): Promise<InvalidationResponse> {
    return this.invalidations.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Invalidations, newest first (moderator)',
    description:
      '`?status=awaiting_approval` lists those waiting for a second moderator; without `status`, ' +
      'all of them, dry runs (`preview`) included.',
  })
  @ApiResponse({ status: 200, type: InvalidationPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: InvalidationListQuery): Promise<InvalidationPageResponse> {
    return this.invalidations.list({
      statuses: query.status ? [query.status] : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'An invalidation and its progress (moderator)' })
  @ApiResponse({ status: 200, type: InvalidationResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async get(@UuidParam('id', 'Invalidation') id: string): Promise<InvalidationResponse> {
    return this.invalidations.get(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve an invalidation another moderator requested (moderator)' })
  @ApiResponse({ status: 200, type: InvalidationResponse })
  @ApiErrors(
    'unauthorized',
    'forbidden',
    'second_moderator_required',
    'not_found',
    'invalid_transition',
  )
  async approve(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', 'Invalidation') id: string,
  ): Promise<InvalidationResponse> {
    return this.invalidations.approve(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an invalidation (moderator)',
    description: 'A running one stops after its current batch; what it rejected stays rejected.',
  })
  @ApiResponse({ status: 200, type: InvalidationResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found', 'invalid_transition')
  async cancel(@UuidParam('id', 'Invalidation') id: string): Promise<InvalidationResponse> {
    return this.invalidations.cancel(id);
  }
}
