import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { PETITION_REASON_CODES } from '../petitions/petition-status.js';
import { SIGNATURE_REASON_CODES } from '../signatures/signature-reason-codes.js';
import {
  ClaimDto,
  ClaimResponse,
  DecisionResponse,
  ReasonCodesResponse,
  ReviewQueuePageResponse,
  ReviewQueueQuery,
  SignatureDecisionDto,
} from './dto/review-queue.dto.js';
import { ReviewQueueService } from './review-queue.service.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/moderation')
@Roles(AccountRole.Moderator)
export class SignatureModerationController {
  constructor(private readonly queue: ReviewQueueService) {}

  @Get('queue')
  @ApiOperation({
    summary: 'Signatures waiting for a moderator, oldest first (moderator)',
    description:
      'Each item carries what every check found, a risk score and the factors it is made of. ' +
      'A lapsed claim shows as none.',
  })
  @ApiResponse({ status: 200, type: ReviewQueuePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: ReviewQueueQuery): Promise<ReviewQueuePageResponse> {
    return this.queue.list(query);
  }

  @Post('claims')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Claim up to `limit` unclaimed signatures from the queue (moderator)',
    description:
      'Oldest first. Two moderators claiming at once never get the same signature. A claim ' +
      'lapses after CLAIM_LEASE_SECONDS (10 minutes by default).',
  })
  @ApiResponse({ status: 200, type: ClaimResponse })
  @ApiErrors('validation_failed', 'malformed_json', 'unauthorized', 'forbidden')
  async claim(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ClaimDto,
  ): Promise<ClaimResponse> {
    return this.queue.claim(principal, dto.petitionId, dto.limit);
  }

  @Delete('claims/:signatureId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Give a claim back (the claiming moderator)' })
  @ApiResponse({ status: 204 })
  @ApiErrors('unauthorized', 'forbidden', 'not_found', 'claimed_by_other')
  async release(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('signatureId', 'Signature') signatureId: string,
  ): Promise<void> {
    await this.queue.release(principal, signatureId);
  }

  @Post('signatures/:id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify or reject a signature in review, with a reason (moderator)',
    description:
      'The reason code must fit the decision (see reason-codes). 409 claimed_by_other while ' +
      'another moderator holds a live claim; 409 already_decided once it is no longer in review.',
  })
  @ApiResponse({ status: 200, type: DecisionResponse })
  @ApiErrors(
    'validation_failed',
    'malformed_json',
    'unauthorized',
    'forbidden',
    'not_found',
    'claimed_by_other',
    'already_decided',
  )
  async decide(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', 'Signature') id: string,
    @Body() dto: SignatureDecisionDto,
  ): Promise<DecisionResponse> {
    return { status: await this.queue.decide(principal, id, dto) };
  }

  @Get('reason-codes')
  @ApiOperation({
    summary: 'Reason codes and the decisions each fits (moderator)',
    description:
      '`items`: the codes for signatures, as before. `petitionItems`: the codes for rejecting a ' +
      'petition, the only ones its decision endpoint takes.',
  })
  @ApiResponse({ status: 200, type: ReasonCodesResponse })
  @ApiErrors('unauthorized', 'forbidden')
  reasonCodes(): ReasonCodesResponse {
    return {
      items: Object.entries(SIGNATURE_REASON_CODES).map(([code, { description, decisions }]) => ({
        code,
        description,
        decisions: [...decisions],
      })),
      petitionItems: Object.entries(PETITION_REASON_CODES).map(([code, description]) => ({
        code,
        description,
        decisions: ['reject'],
      })),
    };
  }
}
