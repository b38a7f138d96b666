import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import {
  type BlockState,
  BLOCK_STATES,
  DEFAULT_BLOCK_REASON,
  formatDomainPattern,
  parseDomainPattern,
} from './block-rules.js';
import { type BlockRow, BlocksRepository, type NewBlock } from './blocks.repository.js';
import type { BlockListStatus, BlockResponse, CreateBlockDto } from './dto/block.dto.js';
import { UUID } from '../common/validation/uuid.js';
import { UnreadableDataError } from '../common/crypto/owner-keys.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { SOURCE_GLOBAL_PURPOSE } from '../signatures/signer-data.js';

export interface BlockListFilter {
  status?: BlockListStatus;
  /** Several states at once (the console's "removed and expired"); overrides `status`. */
  states?: readonly BlockState[];
  petitionId?: string;
  limit: number;
  cursor?: string;
}

/**
 * Moderators' blocks: an email domain (with a `*.` wildcard) or a source (named by one of its
 * signatures), for one petition or all, until removed or until it expires. The verification
 * checks apply them to signatures checked from then on (see BlockCheck); the sign endpoint knows
 * nothing of them, so a blocked sender gets the same answer as anyone. Removing a block keeps
 * it, with who removed it and when.
 */
@Injectable()
export class BlocksService {
  private readonly logger = new Logger(BlocksService.name);

  constructor(
    private readonly blocks: BlocksRepository,
    private readonly petitions: PetitionsService,
    private readonly keys: KeyRing,
  ) {}

  async create(moderator: Principal, dto: CreateBlockDto): Promise<BlockResponse> {
    const petitionId = dto.petitionId
      ? (await this.petitions.getVisible(dto.petitionId, moderator)).id
      : null;
    const target =
      dto.kind === 'email_domain'
        ? domainTarget(dto.value)
        : await this.sourceTarget(dto.value, moderator);
    const row = await this.blocks.insert({
      ...target,
      petitionId,
      action: dto.action,
      reasonCode: dto.reasonCode ?? DEFAULT_BLOCK_REASON,
      note: dto.note ?? null,
      expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
      createdBy: moderator.id,
    });
    // Ids only: a domain is no secret, but a log line needs no more than the block's id.
    this.logger.log({
      msg: 'block added',
      blockId: row.id,
      kind: row.kind,
      moderatorId: moderator.id,
    });
    return present(row);
  }

  async get(id: string): Promise<BlockResponse> {
    return present(await this.find(id));
  }

  /** Newest first; by default only those in force. */
  async list(filter: BlockListFilter): Promise<Page<BlockResponse>> {
    const status = filter.status ?? 'active';
    const states: readonly BlockState[] = filter.states ?? (status === 'all' ? [] : [status]);
    const rows = await this.blocks.list({
      states: states.length === BLOCK_STATES.length ? [] : states,
      petitionId: filter.petitionId,
      after: filter.cursor ? decodeCursor(filter.cursor) : null,
      limit: filter.limit + 1,
    });
    return toPage(
      rows,
      filter.limit,
      (row) => ({ at: row.created_at.toISOString(), id: row.id }),
      present,
    );
  }

  /**
   * Ends a block now, recording the moderator. Removing it again changes nothing and answers
   * the block as it is, naming who removed it first.
   */
  async remove(moderator: Principal, id: string): Promise<BlockResponse> {
    const removed = await this.blocks.remove(id, moderator.id);
    if (removed) {
      this.logger.log({ msg: 'block removed', blockId: id, moderatorId: moderator.id });
      return present(removed);
    }
    return present(await this.find(id));
  }

  /**
   * A source block stores the named signature's service-wide source hash (decrypted from the row,
   * under its petition's key) and shows the signature id; the hash matches on every petition.
   */
  private async sourceTarget(value: string, moderator: Principal): Promise<BlockTarget> {
    if (!UUID.test(value)) {
      throw invalidValue('value must be a signature id (a UUID) for a source block');
    }
    const signature = await this.blocks.signatureSource(value);
    if (!signature) throw DomainError.notFound('Signature');
    // Only a signature on a petition the moderator may see can name a source.
    try {
      await this.petitions.getVisible(signature.petitionId, moderator);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') {
        throw DomainError.notFound('Signature');
      }
      throw error;
    }
    const sourceIndex = await this.globalSource(value, signature);
    if (!sourceIndex) {
      throw invalidValue(
        'That signature has no recorded source: it was imported, or its signer’s data was erased. Block its email domain instead',
      );
    }
    return {
      kind: 'source',
      value: value.toLowerCase(),
      domain: null,
      subdomains: false,
      sourceIndex,
    };
  }

  /** Null when there is none, or it does not open for this row (treated as none, not a 500). */
  private async globalSource(
    signatureId: string,
    signature: { petitionId: string; sourceGlobalEncrypted: Buffer | null },
  ): Promise<Buffer | null> {
    if (!signature.sourceGlobalEncrypted) return null;
    const keys = await this.keys.petitionKeys(signature.petitionId);
    try {
      return (
        keys?.decryptBytes(
          signature.sourceGlobalEncrypted,
          SOURCE_GLOBAL_PURPOSE,
          signatureId.toLowerCase(),
        ) ?? null
      );
    } catch (error) {
      if (!(error instanceof UnreadableDataError)) throw error;
      this.logger.warn({ msg: 'signature source unreadable', signatureId });
      return null;
    }
  }

  private async find(id: string): Promise<BlockRow> {
    const row = await this.blocks.find(id);
    if (!row) throw DomainError.notFound('Block');
    return row;
  }
}

type BlockTarget = Pick<NewBlock, 'kind' | 'value' | 'domain' | 'subdomains' | 'sourceIndex'>;

function domainTarget(value: string): BlockTarget {
  const pattern = parseDomainPattern(value);
  if (!pattern) {
    throw invalidValue(
      'value must be an email domain, like example.org, or *.example.org for its subdomains',
    );
  }
  return {
    kind: 'email_domain',
    value: formatDomainPattern(pattern),
    domain: pattern.domain,
    subdomains: pattern.subdomains,
    sourceIndex: null,
  };
}

function invalidValue(message: string): DomainError {
  return new DomainError('validation_failed', `value: ${message}`, [{ field: 'value', message }]);
}

export function present(row: BlockRow): BlockResponse {
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    petitionId: row.petition_id,
    action: row.action,
    reasonCode: row.reason_code,
    note: row.note,
    expiresAt: row.expires_at?.toISOString() ?? null,
    status: row.state,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    removedBy: row.removed_by,
    removedAt: row.removed_at?.toISOString() ?? null,
  };
}
