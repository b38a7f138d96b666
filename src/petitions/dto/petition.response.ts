import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PublicSignatureCounts, SignatureCounts } from '../../counts/signature-counts.js';
import {
  Eligibility,
  MailLanguage,
  PETITION_STATUSES,
  PetitionStatus,
} from '../petition-status.js';
import { Petition } from '../petition.entity.js';

@ApiExtraModels(SignatureCounts, PublicSignatureCounts)
export class PetitionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty() addressee!: string;
  @ApiProperty({ enum: PETITION_STATUSES }) status!: PetitionStatus;
  @ApiProperty({ nullable: true, type: Number }) signatureGoal!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closesAt!: string | null;
  @ApiProperty() requireEmailConfirmation!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) registerId!: string | null;
  @ApiProperty({ enum: Eligibility }) eligibility!: Eligibility;
  @ApiProperty({ enum: MailLanguage }) language!: MailLanguage;
  @ApiProperty({ format: 'uuid' }) organiserId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) openedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Days after closing (or rejection) before the signers’ personal data is destroyed',
  })
  retentionDays!: number;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'When the signers’ personal data is due to be destroyed; set at closing or rejection',
  })
  retentionEndsAt!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'When the petition’s keys were destroyed and its signers’ personal data erased (counts, ' +
      'statuses and events stay); null until then',
  })
  personalDataErasedAt!: string | null;
  @ApiProperty({
    anyOf: [
      { $ref: getSchemaPath(SignatureCounts) },
      { $ref: getSchemaPath(PublicSignatureCounts) },
    ],
    description:
      'For moderators every status (`SignatureCounts`); for everyone else, organisers included, ' +
      'the public counts (`PublicSignatureCounts`), which do not move when a signature is created ' +
      'unconfirmed, is repeated or expires',
  })
  counts!: SignatureCounts | PublicSignatureCounts;

  static from(
    petition: Petition,
    counts: SignatureCounts | PublicSignatureCounts,
  ): PetitionResponse {
    return {
      id: petition.id,
      slug: petition.slug,
      title: petition.title,
      body: petition.body,
      addressee: petition.addressee,
      status: petition.status,
      signatureGoal: petition.signatureGoal,
      closesAt: petition.closesAt?.toISOString() ?? null,
      requireEmailConfirmation: petition.requireEmailConfirmation,
      registerId: petition.registerId,
      eligibility: petition.eligibility,
      language: petition.language,
      organiserId: petition.organiserId,
      createdAt: petition.createdAt.toISOString(),
      openedAt: petition.openedAt?.toISOString() ?? null,
      closedAt: petition.closedAt?.toISOString() ?? null,
      retentionDays: petition.retentionDays,
      retentionEndsAt: petition.retentionEndsAt?.toISOString() ?? null,
      personalDataErasedAt: petition.personalDataErasedAt?.toISOString() ?? null,
      counts,
    };
  }
}

/** The answer to creating a petition: the draft, and what its settings mean for its signers. */
export class CreatedPetitionResponse extends PetitionResponse {
  @ApiProperty({
    type: [String],
    description:
      'Plain-language warnings about the settings, e.g. that without email confirmation anyone ' +
      'who knows an address can find out whether it signed. Empty when there is nothing to say.',
  })
  warnings!: string[];
}

export class PetitionPageResponse {
  @ApiProperty({ type: [PetitionResponse] }) items!: PetitionResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
