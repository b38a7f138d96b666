import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Public, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { CreatePetitionDto } from './dto/create-petition.dto.js';
import { AnyStatusPetitionsQuery, PublicPetitionsQuery } from './dto/list-petitions.query.js';
import { ClosePetitionDto } from './dto/petition-decision.dto.js';
import {
  CreatedPetitionResponse,
  PetitionPageResponse,
  PetitionResponse,
} from './dto/petition.response.js';
import { UpdatePetitionDto } from './dto/update-petition.dto.js';
import { PetitionPresenter } from './petition.presenter.js';
import { PUBLIC_PETITION_STATUSES } from './petition-status.js';
import { PETITION_WARNINGS, petitionWarnings } from './petition-warnings.js';
import { PetitionsService } from './petitions.service.js';

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('v1/petitions')
export class PetitionsController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly presenter: PetitionPresenter,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(AccountRole.Organiser)
  @ApiOperation({
    summary: 'Create a petition as a draft (organiser)',
    description:
      'The answer carries `warnings`: what the settings mean for the signers (for now, that ' +
      'without email confirmation an address can be tested for having signed).',
  })
  @ApiResponse({ status: 201, type: CreatedPetitionResponse })
  @ApiErrors(
    'validation_failed',
    'malformed_json',
    'unauthorized',
    'forbidden',
    'payload_too_large',
    'unsupported_media_type',
  )
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreatePetitionDto,
  ): Promise<CreatedPetitionResponse> {
    const petition = await this.petitions.create(principal.id, dto);
    return {
      ...(await this.presenter.one(petition, principal)),
      warnings: petitionWarnings(petition).map((code) => PETITION_WARNINGS[code]),
    };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Open and closed petitions, newest first (public)' })
  @ApiResponse({ status: 200, type: PetitionPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(
    @Query() query: PublicPetitionsQuery,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<PetitionPageResponse> {
    const statuses = query.status ? [query.status] : [...PUBLIC_PETITION_STATUSES];
    return this.presenter.page(await this.petitions.list({ ...query, statuses }), principal);
  }

  @Get('mine')
  @Roles(AccountRole.Organiser)
  @ApiOperation({ summary: 'All of the caller’s petitions, any status, newest first (organiser)' })
  @ApiResponse({ status: 200, type: PetitionPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async mine(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnyStatusPetitionsQuery,
  ): Promise<PetitionPageResponse> {
    const statuses = query.status ? [query.status] : undefined;
    return this.presenter.page(
      await this.petitions.list({ ...query, statuses, organiserId: principal.id }),
      principal,
    );
  }

  @Get(':idOrSlug')
  @Public()
  @ApiOperation({
    summary: 'One petition by id or slug',
    description:
      'Public when open or closed; otherwise only its organiser and moderators see it, and anyone else gets 404.',
  })
  @ApiParam({ name: 'idOrSlug' })
  @ApiResponse({ status: 200, type: PetitionResponse })
  @ApiErrors('not_found', 'unauthorized')
  async get(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<PetitionResponse> {
    return this.presenter.one(await this.petitions.getVisible(idOrSlug, principal), principal);
  }

  @Patch(':idOrSlug')
  @ApiOperation({ summary: 'Edit a draft (its organiser)' })
  @ApiParam({ name: 'idOrSlug' })
  @ApiResponse({ status: 200, type: PetitionResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'petition_not_editable')
  async update(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdatePetitionDto,
  ): Promise<PetitionResponse> {
    return this.presenter.one(await this.petitions.update(idOrSlug, principal, dto), principal);
  }

  @Post(':idOrSlug/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for moderation (its organiser)' })
  @ApiParam({ name: 'idOrSlug' })
  @ApiResponse({ status: 200, type: PetitionResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found', 'invalid_transition')
  async submit(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PetitionResponse> {
    return this.presenter.one(await this.petitions.submit(idOrSlug, principal), principal);
  }

  @Post(':idOrSlug/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an open petition (its organiser or a moderator)' })
  @ApiParam({ name: 'idOrSlug' })
  @ApiResponse({ status: 200, type: PetitionResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_found', 'invalid_transition')
  async close(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ClosePetitionDto,
  ): Promise<PetitionResponse> {
    return this.presenter.one(await this.petitions.close(idOrSlug, principal, dto.note), principal);
  }
}
