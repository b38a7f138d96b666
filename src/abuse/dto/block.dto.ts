import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, isISO8601, IsUUID, ValidateBy, type ValidationArguments } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { Required } from '../../common/validation/required.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsString, MaxLength, Optional } from '../../common/validation/validators.js';
import {
  BLOCK_ACTIONS,
  BLOCK_KINDS,
  BLOCK_REASON_CODES,
  BLOCK_STATES,
  type BlockAction,
  type BlockKind,
  type BlockState,
  DEFAULT_BLOCK_REASON,
} from '../block-rules.js';

const INSTANT =
  /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why a value is not an instant in the future, or null when it is one. */
function futureInstantProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !INSTANT.test(value) || !isISO8601(value, { strict: true })) {
    return 'must be an ISO-8601 date-time with a time zone, from 1970 to 9999';
  }
  return Date.parse(value) > Date.now() ? null : 'must be in the future';
}

/**
 * A strict ISO-8601 date-time with a zone, from 1970 to 9999, that lies in the future, told in
 * one message. Anything looser (`Date` takes `true`, `2020-02-30`, year 275760) would reach SQL
 * as a 500 or as another instant.
 */
function IsFutureInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isFutureInstant',
    validator: {
      validate: (value: unknown) => futureInstantProblem(value) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} ${futureInstantProblem(args?.value) ?? 'is not valid'}`,
    },
  });
}

export class CreateBlockDto {
  @ApiProperty({ enum: BLOCK_KINDS })
  @Required()
  @IsIn(BLOCK_KINDS, { message: `kind must be one of ${BLOCK_KINDS.join(', ')}` })
  kind!: BlockKind;

  @ApiProperty({
    maxLength: 253,
    example: '*.example.org',
    description:
      'For `email_domain`: a domain (`example.org`, that domain only) or `*.example.org` (every ' +
      'name under it at any depth, not example.org itself), any case, internationalised names ' +
      'in either form. For `source`: the id of a signature whose source (its network address, ' +
      'kept only as a keyed hash) is blocked; an imported signature, or one whose personal data ' +
      'was erased, has none (400).',
  })
  @Trim()
  @Required()
  @IsString()
  @MaxLength(253)
  value!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this petition; without it the block holds for every petition',
  })
  @Optional()
  @IsUUID('all', { message: 'petitionId must be a UUID' })
  petitionId?: string;

  @ApiProperty({
    enum: BLOCK_ACTIONS,
    description: '`reject`: matching signatures are rejected; `review`: they go to a moderator',
  })
  @Required()
  @IsIn(BLOCK_ACTIONS, { message: `action must be one of ${BLOCK_ACTIONS.join(', ')}` })
  action!: BlockAction;

  @ApiPropertyOptional({
    enum: BLOCK_REASON_CODES,
    default: DEFAULT_BLOCK_REASON,
    description: 'The reason the rejections carry (kept, but unused, with `review`)',
  })
  @Optional()
  @Trim()
  @IsIn(BLOCK_REASON_CODES, {
    message: `reasonCode must be one of ${BLOCK_REASON_CODES.join(', ')}`,
  })
  reasonCode?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'For moderators: why' })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'In the future; from then on the block no longer applies. Without it, until removed',
  })
  @Optional()
  @IsFutureInstant()
  expiresAt?: string;
}

export class BlockResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: BLOCK_KINDS }) kind!: BlockKind;
  @ApiProperty({
    description: 'The domain pattern (in ASCII), or for a source the signature id it was named by',
    example: '*.example.org',
  })
  value!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null: every petition',
  })
  petitionId!: string | null;
  @ApiProperty({ enum: BLOCK_ACTIONS }) action!: BlockAction;
  @ApiProperty({ enum: BLOCK_REASON_CODES }) reasonCode!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({
    enum: BLOCK_STATES,
    description: '`active`: in force; `removed` by a moderator; `expired`: past `expiresAt`',
  })
  status!: BlockState;
  @ApiProperty({ format: 'uuid', description: 'The moderator who made it' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) removedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) removedAt!: string | null;
}

/** `all` lists every block, whatever its state. */
export const BLOCK_LIST_STATUSES = [...BLOCK_STATES, 'all'] as const;
export type BlockListStatus = (typeof BLOCK_LIST_STATUSES)[number];

export class BlockListQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: BLOCK_LIST_STATUSES,
    default: 'active',
    description: 'Which blocks: in force (the default), removed, expired, or all of them',
  })
  @Optional()
  @IsIn(BLOCK_LIST_STATUSES, {
    message: `status must be one of ${BLOCK_LIST_STATUSES.join(', ')}`,
  })
  status?: BlockListStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only blocks for this one petition' })
  @Optional()
  @IsUUID('all', { message: 'petitionId must be a UUID' })
  petitionId?: string;
}

export class BlockPageResponse {
  @ApiProperty({ type: [BlockResponse] }) items!: BlockResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
