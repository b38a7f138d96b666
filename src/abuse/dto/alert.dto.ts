import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { Optional } from '../../common/validation/validators.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { BLOCK_KINDS } from '../block-rules.js';
import { ALERT_STATUSES, type AlertKind, type AlertStatus } from '../alerts.repository.js';

export class AlertListQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ALERT_STATUSES,
    default: 'open',
    description: '`open` (the default): not yet acknowledged',
  })
  @Optional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: AlertStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only alerts about this petition' })
  @Optional()
  @IsUUID('all', { message: 'petitionId must be a UUID' })
  petitionId?: string;
}

export class AlertResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ enum: BLOCK_KINDS }) kind!: AlertKind;
  @ApiProperty({
    description:
      'For `email_domain`, the domain; for `source`, the id of one of the source’s signatures ' +
      '(never an IP): what `POST /v1/moderation/blocks` takes as the `value` to block it',
  })
  value!: string;
  @ApiProperty({ description: 'Signatures from it on the petition within the window' })
  count!: number;
  @ApiProperty({ format: 'date-time', description: 'The counted hour: from windowStart' })
  windowStart!: string;
  @ApiProperty({ format: 'date-time', description: 'to windowEnd, when it was raised' })
  windowEnd!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) acknowledgedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  acknowledgedAt!: string | null;
}

export class AlertPageResponse {
  @ApiProperty({ type: [AlertResponse] }) items!: AlertResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
