import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import type { Page } from '../common/pagination/cursor.js';
import { CountsService } from '../counts/counts.service.js';
import { countsFor } from '../counts/signature-counts.js';
import { PetitionPageResponse, PetitionResponse } from './dto/petition.response.js';
import { Petition } from './petition.entity.js';

/**
 * Turns petitions into responses, with their signature counts as the caller may see them:
 * moderators all of them, everyone else (organisers included) the public ones.
 */
@Injectable()
export class PetitionPresenter {
  constructor(private readonly counts: CountsService) {}

  async one(petition: Petition, principal: Principal | undefined): Promise<PetitionResponse> {
    return PetitionResponse.from(
      petition,
      countsFor(await this.counts.get(petition.id), principal),
    );
  }

  async page(
    page: Page<Petition>,
    principal: Principal | undefined,
  ): Promise<PetitionPageResponse> {
    const counts = await this.counts.getMany(page.items.map((p) => p.id));
    return {
      items: page.items.map((p) =>
        PetitionResponse.from(p, countsFor(counts.get(p.id)!, principal)),
      ),
      nextCursor: page.nextCursor,
    };
  }
}
