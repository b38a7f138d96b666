import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { Roles } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import {
  GivenUpWorkPageResponse,
  GivenUpWorkQuery,
  RetriedGivenUpWorkResponse,
  RetryGivenUpWorkDto,
} from './dto/given-up-work.dto.js';
import { WorkRevivalsRepository } from './work-revivals.repository.js';

/**
 * Signatures whose verification or mail kept failing until the sweeper gave up on them. They are
 * kept as they are; once the cause is fixed, an admin lets the sweeper try them again.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/operations/given-up-work')
export class GivenUpWorkController {
  constructor(private readonly revivals: WorkRevivalsRepository) {}

  @Get()
  @Roles(AccountRole.Admin)
  @ApiOperation({
    summary: 'Signatures whose work was given up (admin)',
    description:
      'Signatures whose verification or mail job kept failing: the sweeper re-enqueued it ' +
      'SWEEP_MAX_REVIVALS times, then stopped. Most recently given up first. Their failed jobs, ' +
      'with the error, are on the queue board (/admin/queues) for a week.',
  })
  @ApiResponse({ status: 200, type: GivenUpWorkPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  list(@Query() query: GivenUpWorkQuery): Promise<GivenUpWorkPageResponse> {
    return this.revivals.listGivenUp(query.work, query.limit, query.cursor);
  }

  @Post('retry')
  @HttpCode(200)
  @Roles(AccountRole.Admin)
  @ApiOperation({
    summary: 'Try the given-up work again (admin)',
    description:
      'After fixing the cause: the sweeper takes these signatures up again at its next run ' +
      '(within SWEEP_INTERVAL_SECONDS), with a fresh count of SWEEP_MAX_REVIVALS re-enqueues.',
  })
  @ApiResponse({ status: 200, type: RetriedGivenUpWorkResponse })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden')
  async retry(@Body() dto: RetryGivenUpWorkDto): Promise<RetriedGivenUpWorkResponse> {
    return { retried: await this.revivals.retryGivenUp(dto.work) };
  }
}
