import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { PETITION_STATUSES, PetitionStatus } from '../petition-status.js';
import { Optional } from '../../common/validation/validators.js';

export class PublicPetitionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'], description: 'Both when omitted' })
  @Optional()
  @IsIn([PetitionStatus.Open, PetitionStatus.Closed], {
    message: 'status must be "open" or "closed"',
  })
  status?: PetitionStatus.Open | PetitionStatus.Closed;
}

export class AnyStatusPetitionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: PETITION_STATUSES })
  @Optional()
  @IsEnum(PetitionStatus, { message: `status must be one of ${PETITION_STATUSES.join(', ')}` })
  status?: PetitionStatus;
}
