import { Injectable } from '@nestjs/common';
import { type ActiveBlock, decidingBlock, domainCandidates } from '../../abuse/block-rules.js';
import { BlocksRepository } from '../../abuse/blocks.repository.js';
import { UnreadableDataError } from '../../common/crypto/owner-keys.js';
import { KeyRing } from '../../keys/key-ring.service.js';
import { SOURCE_GLOBAL_PURPOSE } from '../../signatures/signer-data.js';
import { type CheckSubject, fail, pass, review, type SignatureCheck } from '../check.js';

/** What a review block adds to the risk score: a moderator's own doubt, more than a heuristic's. */
const REVIEW_RISK = 60;

/**
 * Moderators' blocks on an email domain or a source (see BlocksService): a signature one covers is
 * rejected with the block's reason, or sent to review. Blocks in force are read once per batch.
 * The detail says which block matched, by id and value (a domain, or the signature id a source
 * was named by), never an IP. It runs first, so a block's rejection gives its reason code.
 *
 * A source block holds the service-wide source hash (so one block covers every petition), which
 * signatures keep only encrypted under their petition's key: it is decrypted here, in memory, to
 * compare. A row whose hash does not open (moved from another row) is treated as having none.
 */
@Injectable()
export class BlockCheck implements SignatureCheck {
  readonly name = 'block';

  constructor(
    private readonly blocks: BlocksRepository,
    private readonly keys: KeyRing,
  ) {}

  async run(checked: readonly CheckSubject[]) {
    const subjects = await Promise.all(
      checked.map(async (subject) => ({
        ...subject,
        sourceIndex: await this.globalSource(subject),
      })),
    );
    const active = await this.blocks.activeFor({
      petitionIds: subjects.map((subject) => subject.petitionId),
      domains: subjects.flatMap((subject) => {
        if (subject.emailDomain === null) return [];
        const { exact, parents } = domainCandidates(subject.emailDomain);
        return [exact, ...parents];
      }),
      sourceIndexes: subjects.flatMap((subject) => subject.sourceIndex ?? []),
    });
    return subjects.map((subject) => {
      const found = decidingBlock(active, subject);
      if (!found) return pass('No block applies');
      const detail = describe(found.block, found.others);
      return found.block.action === 'reject'
        ? fail(detail, found.block.reasonCode)
        : review(detail, REVIEW_RISK);
    });
  }

  private async globalSource(subject: CheckSubject): Promise<Buffer | null> {
    if (!subject.sourceGlobalEncrypted) return null;
    const keys = await this.keys.petitionKeys(subject.petitionId);
    try {
      return (
        keys?.decryptBytes(subject.sourceGlobalEncrypted, SOURCE_GLOBAL_PURPOSE, subject.id) ?? null
      );
    } catch (error) {
      if (error instanceof UnreadableDataError) return null;
      throw error;
    }
  }
}

function describe(block: ActiveBlock, others: number): string {
  const what =
    block.kind === 'email_domain'
      ? `the email domain ${block.value}`
      : `the source of signature ${block.value}`;
  const scope = block.petitionId === null ? 'all petitions' : 'this petition';
  const verb = block.action === 'reject' ? 'rejects' : 'sends to review';
  const more = others > 0 ? ` (${others} more block${others === 1 ? '' : 's'} also match)` : '';
  return `Block ${block.id} on ${what}, for ${scope}, ${verb} it${more}`;
}
