import { Injectable } from '@nestjs/common';
import { type ActiveBlock, decidingBlock, domainCandidates } from '../../abuse/block-rules.js';
import { BlocksRepository } from '../../abuse/blocks.repository.js';
import { type CheckSubject, fail, pass, review, type SignatureCheck } from '../check.js';

/** What a review block adds to the risk score: a moderator's own doubt, more than a heuristic's. */
const REVIEW_RISK = 60;

/**
 * Moderators' blocks on an email domain or a source (see BlocksService): a signature one covers is
 * rejected with the block's reason, or sent to review. Blocks in force are read once per batch.
 * The detail says which block matched, by id and value (a domain, or the signature id a source
 * was named by), never an IP. It runs first, so a block's rejection gives its reason code.
 */
@Injectable()
export class BlockCheck implements SignatureCheck {
  readonly name = 'block';

  constructor(private readonly blocks: BlocksRepository) {}

  async run(subjects: readonly CheckSubject[]) {
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
