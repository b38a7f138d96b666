import { Injectable } from '@nestjs/common';
import { andThen } from '../common/async/maybe-promise.js';
import { sourceOf } from '../common/net/source-address.js';
import { RateLimits } from '../common/rate-limit/rate-limits.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { UUID } from '../common/validation/uuid.js';

/**
 * The rate limits on public signing, for the JSON API and the page form alike (both sign through
 * SigningService): RATE_LIMIT_SIGN per source per petition, RATE_LIMIT_SIGN_ALL per source across
 * petitions. A source is an IPv4 address or an IPv6 /64. Imports are the organiser's and are not
 * limited here.
 */
@Injectable()
export class SignLimits {
  constructor(
    private readonly limits: RateLimits,
    private readonly petitions: PetitionsService,
  ) {}

  /** Counts one signature from `ip` on the petition named `petitionRef`, or throws 429. */
  async check(petitionRef: string, ip: string): Promise<void> {
    const source = sourceOf(ip);
    if (!this.limits.enabled('sign')) return this.limits.consume('signAll', source);
    // A petition's id and its slug are one key. The slug's id is cached, so this usually costs
    // nothing; both limits then go to Redis in one round trip.
    return andThen(this.petitionKey(petitionRef), (petition) =>
      this.limits.consumeAll([
        { name: 'sign', key: source, scope: petition },
        { name: 'signAll', key: source },
      ]),
    );
  }

  /**
   * The petition's id; for a slug that names no public petition (which cannot be signed: the
   * request ends in 404 or 409) the slug itself, so that such requests are still counted.
   */
  private petitionKey(petitionRef: string): string | Promise<string> {
    if (UUID.test(petitionRef)) return petitionRef.toLowerCase();
    return andThen(this.petitions.publicId(petitionRef), (id) => id ?? `slug:${petitionRef}`);
  }
}
