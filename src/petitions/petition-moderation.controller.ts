import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { AnyStatusPetitionsQuery } from './dto/list-petitions.query.js';
import { PetitionDecisionDto } from './dto/petition-decision.dto.js';
import { PetitionPageResponse, PetitionResponse } from './dto/petition.response.js';
import { PetitionPresenter } from './petition.presenter.js';
import { PetitionStatus } from './petition-status.js';
import { PetitionsService } from './petitions.service.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Roles(AccountRole.Moderator)
@Controller('v1/moderation/petitions')
export class PetitionModerationController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly presenter: PetitionPresenter,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Petitions by status for moderators; `submitted` when no status is given',
  })
  @ApiResponse({ status: 200, type: PetitionPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(
    @Query() query: AnyStatusPetitionsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PetitionPageResponse> {
    const statuses = [query.status ?? PetitionStatus.Submitted];
    return this.presenter.page(await this.petitions.list({ ...query, statuses }), principal);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve (→ open) or reject (→ rejected) a submitted petition' })
  @ApiResponse({ status: 200, type: PetitionResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'invalid_transition')
  async decide(
    @UuidParam('id', 'Petition') id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PetitionDecisionDto,
  ): Promise<PetitionResponse> {
    return this.presenter.one(await this.petitions.decide(id, principal, dto), principal);
  }
}
