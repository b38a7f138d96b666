import { Injectable } from '@nestjs/common';
import { isModerator, type Principal } from '../../../common/auth/principal.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { CountHistoryService } from '../../../counts/count-history.service.js';
import { CountsService } from '../../../counts/counts.service.js';
import { isOwner } from '../../../petitions/petition-access.js';
import type { Petition } from '../../../petitions/petition.entity.js';
import { PetitionStatus } from '../../../petitions/petition-status.js';
import { petitionWarnings } from '../../../petitions/petition-warnings.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import { RegistersService } from '../../../registers/registers.service.js';
import { IMPORT_MAX_ROWS } from '../../../signatures/import.service.js';
import { SignatureListService } from '../../../signatures/signature-list.service.js';
import { chartPoints } from '../../petition-page.service.js';
import type { PetitionActions, PetitionConsoleModel } from './views/petition-console.view.js';

const COMMENTS_PER_PAGE = 20;

/**
 * Gathers what a petition's console page shows, from the same services as the JSON API, and
 * says who may work on a petition here.
 */
@Injectable()
export class PetitionConsoleService {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly counts: CountsService,
    private readonly history: CountHistoryService,
    private readonly lists: SignatureListService,
    private readonly registers: RegistersService,
  ) {}

  /**
   * The petition, when the caller may work on it in the console: its organiser (or an admin), or
   * a moderator. Anyone else gets 404, even for a public petition: its console pages are not
   * theirs to know about.
   */
  async petitionFor(ref: string, principal: Principal): Promise<Petition> {
    const petition = await this.petitions.getVisible(ref, principal);
    if (!isOwner(petition, principal) && !isModerator(principal)) {
      throw DomainError.notFound('Petition');
    }
    return petition;
  }

  /** What the caller may do with the petition now, by the same rules the services apply. */
  actions(petition: Petition, principal: Principal): PetitionActions {
    const owner = isOwner(petition, principal);
    const moderator = isModerator(principal);
    const status = petition.status;
    return {
      edit: owner && status === PetitionStatus.Draft,
      submit: owner && status === PetitionStatus.Draft,
      close: (owner || moderator) && status === PetitionStatus.Open,
      copy: owner && status === PetitionStatus.Rejected,
      decide: moderator && status === PetitionStatus.Submitted,
      import: (owner || moderator) && status === PetitionStatus.Open,
      invite:
        (owner || moderator) && status === PetitionStatus.Open && petition.registerId !== null,
    };
  }

  async model(
    petition: Petition,
    principal: Principal,
    commentsCursor: string | null,
  ): Promise<PetitionConsoleModel> {
    const [{ public: counts }, comments, registers] = await Promise.all([
      this.counts.get(petition.id),
      // Only an opened petition can have signatures, so comments.
      petition.openedAt
        ? this.lists.comments(petition.id, principal, {
            limit: COMMENTS_PER_PAGE,
            cursor: commentsCursor ?? undefined,
          })
        : Promise.resolve({ items: [], nextCursor: null }),
      petition.registerId ? this.registers.choices() : Promise.resolve([]),
    ]);
    const chart = petition.openedAt
      ? chartPoints(
          petition.openedAt,
          await this.history.history(petition.id, petition.openedAt),
          counts,
        )
      : null;
    return {
      petition,
      // Never unconfirmed or expired: the organiser must not see those move (see the API).
      counts: {
        verified: counts.verified,
        beingChecked: counts.pending + counts.needsReview,
        rejected: counts.rejected,
        withdrawn: counts.withdrawn,
      },
      chart,
      registerName: petition.registerId
        ? registers.find((r) => r.id === petition.registerId)?.name
        : null,
      warnings: petitionWarnings(petition),
      comments,
      commentsCursor,
      actions: this.actions(petition, principal),
      importMaxRows: IMPORT_MAX_ROWS,
    };
  }

  /** The registers an organiser may choose from. */
  registerChoices(): Promise<Array<{ id: string; name: string }>> {
    return this.registers.choices();
  }
}
