import { Injectable } from '@nestjs/common';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';

/**
 * The names a moderation page shows for the ids the services return: moderators' display names
 * (never their email) and petitions' titles. A page shows a few distinct ones, so each is read
 * once per page through the services' own reads.
 */
@Injectable()
export class ConsoleNames {
  constructor(
    private readonly accounts: AccountsService,
    private readonly petitions: PetitionsService,
  ) {}

  async accountNames(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set([...ids].filter((id): id is string => !!id))) {
      const account = await this.accounts.findById(id);
      if (account) names.set(id, account.displayName);
    }
    return names;
  }

  async petitionTitles(ids: Iterable<string>): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    for (const id of new Set(ids)) {
      const petition = await this.petitions.findByIdOrSlug(id);
      if (petition) titles.set(id, petition.title);
    }
    return titles;
  }
}
