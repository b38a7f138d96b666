import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { Roles } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { SignatureEventsResponse } from './dto/review-queue.dto.js';
import { SignatureHistoryService } from './signature-history.service.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/signatures')
@Roles(AccountRole.Moderator)
export class SignatureEventsController {
  constructor(private readonly history: SignatureHistoryService) {}

  @Get(':id/events')
  @ApiOperation({ summary: 'A signature’s status history, oldest first (moderator)' })
  @ApiResponse({ status: 200, type: SignatureEventsResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async events(@UuidParam('id', 'Signature') id: string): Promise<SignatureEventsResponse> {
    return { items: await this.history.events(id) };
  }
}
