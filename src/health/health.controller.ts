import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { HealthService } from './health.service.js';

class PreviousKeyState {
  @ApiProperty({ description: 'Key id of one of PREVIOUS_DATA_ENCRYPTION_KEYS (not the key)' })
  keyId!: string;
  @ApiProperty({ description: 'Petition keys still wrapped under it' }) wraps!: number;
}

class KeysCheckResponse {
  @ApiProperty({
    enum: ['ok', 'rotating', 'warning', 'unknown'],
    description:
      '`rotating` while keys are still wrapped under a previous key; `warning` when a previous ' +
      'key opens nothing any more or some keys open with no configured key (see `warnings`); ' +
      '`unknown` when the database cannot say',
  })
  status!: string;
  @ApiPropertyOptional({ description: 'Key id of DATA_ENCRYPTION_KEY (a keyed hash, not the key)' })
  currentKeyId?: string;
  @ApiPropertyOptional() wrappedUnderCurrent?: number;
  @ApiPropertyOptional() wrappedUnderPrevious?: number;
  @ApiPropertyOptional({ description: 'Keys wrapped under no configured key' })
  unreadable?: number;
  @ApiPropertyOptional({ type: [PreviousKeyState] }) previousKeys?: PreviousKeyState[];
}

class HealthChecks {
  @ApiProperty({ enum: ['up', 'down'] }) database!: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis!: string;
  @ApiProperty({
    type: KeysCheckResponse,
    description: 'The petition keys and their rotation; never makes /health answer 503',
  })
  keys!: KeysCheckResponse;
}

class HealthWarningResponse {
  @ApiProperty({ enum: ['signature_work_given_up', 'previous_key_unused', 'data_keys_unreadable'] })
  code!: string;
  @ApiPropertyOptional({ enum: ['verification', 'mail'] }) work?: string;
  @ApiPropertyOptional({ description: 'previous_key_unused: the key id' }) keyId?: string;
  @ApiProperty({ description: 'Signatures concerned' }) count!: number;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'signature_work_given_up: when the oldest of them was given up',
  })
  since?: string;
  @ApiProperty() message!: string;
}

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({ type: HealthChecks }) checks!: HealthChecks;
  @ApiProperty({
    type: [HealthWarningResponse],
    description: 'What an operator should look at that is not an outage (empty when all is well)',
  })
  warnings!: HealthWarningResponse[];
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and dependencies: PostgreSQL and Redis' })
  @ApiResponse({ status: 200, type: HealthResponse })
  @ApiResponse({
    status: 503,
    description: 'code: service_unavailable; `checks` names what is down',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const [checks, given] = await Promise.all([this.health.check(), this.health.warnings()]);
    const warnings = [...given, ...this.health.keyWarnings(checks.keys)];
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
    if (down.length === 0) return { status: 'ok', checks, warnings };
    void reply.status(503);
    return {
      statusCode: 503,
      code: 'service_unavailable',
      message: `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down`,
      details: down.map((name) => ({ field: name, message: 'not answering' })),
      status: 'error',
      checks,
      warnings,
    };
  }
}
