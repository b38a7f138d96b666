import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/cursor.js';
import {
  PetitionPageResponse,
  PetitionResponse,
  SignatureCountsResponse,
} from './dto/petition.response.js';
import { Petition } from './petition.entity.js';

/** Petitions have no signatures until the signing module lands; its counts service replaces this. */
const NO_SIGNATURES: SignatureCountsResponse = {
  unconfirmed: 0,
  pending: 0,
  needsReview: 0,
  verified: 0,
  rejected: 0,
  withdrawn: 0,
  expired: 0,
  updatedAt: null,
};

/** Turns petitions into responses, with their signature counts. */
@Injectable()
export class PetitionPresenter {
  async one(petition: Petition): Promise<PetitionResponse> {
    return PetitionResponse.from(petition, { ...NO_SIGNATURES });
  }

  async page(page: Page<Petition>): Promise<PetitionPageResponse> {
    return {
      items: await Promise.all(page.items.map((p) => this.one(p))),
      nextCursor: page.nextCursor,
    };
  }
}
