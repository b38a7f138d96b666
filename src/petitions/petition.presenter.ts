import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/cursor.js';
import { CountsService } from '../counts/counts.service.js';
import { PetitionPageResponse, PetitionResponse } from './dto/petition.response.js';
import { Petition } from './petition.entity.js';

/** Turns petitions into responses, with their signature counts. */
@Injectable()
export class PetitionPresenter {
  constructor(private readonly counts: CountsService) {}

  async one(petition: Petition): Promise<PetitionResponse> {
    return PetitionResponse.from(petition, await this.counts.get(petition.id));
  }

  async page(page: Page<Petition>): Promise<PetitionPageResponse> {
    const counts = await this.counts.getMany(page.items.map((p) => p.id));
    return {
      items: page.items.map((p) => PetitionResponse.from(p, counts.get(p.id)!)),
      nextCursor: page.nextCursor,
    };
  }
}
