import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ApiRateLimited, LimitBySource } from '../common/rate-limit/limit-by-source.js';
import {
  SignatureLookupResponse,
  SignerStatusResponse,
  SignerTokenDto,
} from './dto/signer-token.dto.js';
import { SignerActionsService } from './signer-actions.service.js';

/**
 * What signers do with the token from their mail. No account, no bearer token; each call counts
 * against RATE_LIMIT_SIGNER_TOKEN for its source, so tokens cannot be guessed at speed.
 */
@ApiTags('signatures')
@Controller('v1/signatures')
@Public()
@LimitBySource('signerToken')
@ApiRateLimited('too many signer token calls from this source (RATE_LIMIT_SIGNER_TOKEN)')
export class SignerController {
  constructor(private readonly actions: SignerActionsService) {}

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a signature with the token from the mail',
    description:
      'Confirming twice is fine: the answer is the current status. A POST, so that mail ' +
      'scanners following the link change nothing. After a withdrawal, someone signing again ' +
      'with the address changes nothing until this is called with the token mailed for it (or ' +
      'the signature’s earlier token): then the signature comes back as `pending` and is checked ' +
      'again. Until then, the mailed token looks up as `unconfirmed` and the signature stays ' +
      '`withdrawn`.',
  })
  @ApiResponse({ status: 200, type: SignerStatusResponse })
  @ApiErrors('validation_failed', 'invalid_token', 'token_expired', 'petition_not_open')
  async confirm(@Body() dto: SignerTokenDto): Promise<SignerStatusResponse> {
    return { status: await this.actions.confirm(dto.token) };
  }

  @Post('withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Withdraw a signature, verified ones included, while the petition is open',
    description:
      'Withdrawing twice is fine. A rejected or expired signature cannot be withdrawn. ' +
      'Withdrawing erases at once the signer’s name, district, title, comment, email, source and ' +
      'user-agent hashes; the status, its events and the counts stay. With the token mailed for ' +
      'a re-sign after a withdrawal (or the earlier token), it drops that re-sign.',
  })
  @ApiResponse({ status: 200, type: SignerStatusResponse })
  @ApiErrors('validation_failed', 'invalid_token', 'petition_not_open', 'invalid_transition')
  async withdraw(@Body() dto: SignerTokenDto): Promise<SignerStatusResponse> {
    return { status: await this.actions.withdraw(dto.token) };
  }

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'The state of one’s own signature and, if rejected, why' })
  @ApiResponse({ status: 200, type: SignatureLookupResponse })
  @ApiErrors('validation_failed', 'invalid_token')
  async lookup(@Body() dto: SignerTokenDto): Promise<SignatureLookupResponse> {
    return this.actions.lookup(dto.token);
  }
}
