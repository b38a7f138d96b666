import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RegistersService } from '../registers/registers.service.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { CreatePetitionDto } from './dto/create-petition.dto.js';
import { UpdatePetitionDto } from './dto/update-petition.dto.js';
import { assertOwner, assertOwnerOrModerator, canView } from './petition-access.js';
import { Petition } from './petition.entity.js';
import {
  Eligibility,
  MailLanguage,
  PetitionStatus,
  PUBLIC_PETITION_STATUSES,
} from './petition-status.js';
import { PetitionTransitionsService } from './petition-transitions.service.js';
import { makeSlug, nextFreeSlug } from './slug.js';
import { UUID } from '../common/validation/uuid.js';
import { AppConfig } from '../config/app-config.js';

const SLUG_ATTEMPTS = 5;
const PUBLIC_ID_TTL_MS = 5_000;

export interface PetitionFilter {
  statuses?: PetitionStatus[];
  organiserId?: string;
  limit: number;
  cursor?: string;
}

@Injectable()
export class PetitionsService {
  private readonly publicPetitions = new Map<
    string,
    { id: string; language: MailLanguage; until: number }
  >();

  constructor(
    @InjectRepository(Petition) private readonly petitions: Repository<Petition>,
    private readonly dataSource: DataSource,
    private readonly transitions: PetitionTransitionsService,
    private readonly registers: RegistersService,
    private readonly config: AppConfig,
  ) {}

  async create(organiserId: string, dto: CreatePetitionDto): Promise<Petition> {
    await this.assertRegisterExists(dto.registerId);
    this.assertRetention(dto.retentionDays);
    const draft = this.petitions.create({
      title: dto.title,
      body: dto.body,
      addressee: dto.addressee,
      signatureGoal: dto.signatureGoal ?? null,
      closesAt: dto.closesAt ?? null,
      requireEmailConfirmation: dto.requireEmailConfirmation ?? true,
      registerId: dto.registerId ?? null,
      eligibility: dto.eligibility ?? Eligibility.Review,
      language: dto.language ?? MailLanguage.En,
      retentionDays: dto.retentionDays ?? this.config.retentionDays,
      organiserId,
      status: PetitionStatus.Draft,
    });
    return this.saveWithUniqueSlug(draft, true);
  }

  async update(idOrSlug: string, principal: Principal, dto: UpdatePetitionDto): Promise<Petition> {
    const petition = await this.getVisible(idOrSlug, principal);
    assertOwner(petition, principal);
    if (petition.status !== PetitionStatus.Draft) {
      throw new DomainError(
        'petition_not_editable',
        `A petition can be edited only as a draft; it is ${petition.status}`,
      );
    }
    await this.assertRegisterExists(dto.registerId);
    this.assertRetention(dto.retentionDays);
    const titleChanged = dto.title !== undefined && dto.title !== petition.title;
    const changes = Object.fromEntries(
      Object.entries(dto).filter(([, value]) => value !== undefined),
    );
    Object.assign(petition, changes);
    // Only a draft changes, and drafts are private, so its slug may follow the title.
    return this.saveWithUniqueSlug(petition, titleChanged, PetitionStatus.Draft);
  }

  /**
   * A new draft with a rejected petition's fields, so its organiser can mend it and submit it
   * again (the rejected one stays as it was, with its decision). A closing time that has passed
   * is left out: it could not be submitted with it.
   */
  async copyAsDraft(idOrSlug: string, principal: Principal): Promise<Petition> {
    const source = await this.getVisible(idOrSlug, principal);
    assertOwner(source, principal);
    if (source.status !== PetitionStatus.Rejected) {
      throw new DomainError(
        'invalid_transition',
        `Only a rejected petition can be copied into a new draft; it is ${source.status}`,
      );
    }
    const closesAt =
      source.closesAt && source.closesAt.getTime() > Date.now() ? source.closesAt : null;
    return this.create(source.organiserId, {
      title: source.title,
      body: source.body,
      addressee: source.addressee,
      signatureGoal: source.signatureGoal,
      closesAt,
      requireEmailConfirmation: source.requireEmailConfirmation,
      registerId: source.registerId,
      eligibility: source.eligibility,
      language: source.language,
      retentionDays: Math.min(source.retentionDays, this.config.retentionDays),
    });
  }

  async submit(idOrSlug: string, principal: Principal): Promise<Petition> {
    const petition = await this.getVisible(idOrSlug, principal);
    assertOwner(petition, principal);
    this.assertNotPastClosing(petition);
    return this.transitions.transition(petition, {
      to: PetitionStatus.Submitted,
      actorId: principal.id,
    });
  }

  async decide(
    id: string,
    moderator: Principal,
    decision: { decision: 'approve' | 'reject'; reasonCode?: string; note?: string },
  ): Promise<Petition> {
    const petition = await this.getVisible(id, moderator);
    const to = decision.decision === 'approve' ? PetitionStatus.Open : PetitionStatus.Rejected;
    if (to === PetitionStatus.Open) this.assertNotPastClosing(petition);
    return this.transitions.transition(petition, {
      to,
      actorId: moderator.id,
      reasonCode: decision.reasonCode,
      note: decision.note,
    });
  }

  async close(idOrSlug: string, principal: Principal, note?: string): Promise<Petition> {
    const petition = await this.getVisible(idOrSlug, principal);
    assertOwnerOrModerator(petition, principal);
    return this.transitions.transition(petition, {
      to: PetitionStatus.Closed,
      actorId: principal.id,
      note,
    });
  }

  /** Closes open petitions whose `closesAt` has passed; run by the maintenance worker. */
  async closeDue(now = new Date(), batch = 500): Promise<number> {
    const due = await this.petitions
      .createQueryBuilder('p')
      .where('p.status = :open AND p.closes_at <= :now', { open: PetitionStatus.Open, now })
      .orderBy('p.closes_at', 'ASC')
      .limit(batch)
      .getMany();
    let closed = 0;
    for (const petition of due) {
      try {
        await this.transitions.transition(petition, {
          to: PetitionStatus.Closed,
          actorId: null,
          reasonCode: 'closes_at_passed',
        });
        closed++;
      } catch (error) {
        // Closed by a person meanwhile: nothing left to do for this one.
        if (!(error instanceof DomainError && error.code === 'invalid_transition')) throw error;
      }
    }
    return closed;
  }

  /** A petition by id or slug, or 404 when it does not exist or the caller may not see it. */
  async getVisible(idOrSlug: string, principal: Principal | undefined): Promise<Petition> {
    const petition = await this.findByIdOrSlug(idOrSlug);
    if (!petition || !canView(petition, principal)) throw DomainError.notFound('Petition');
    return petition;
  }

  /**
   * The id of a petition the caller may see, for hot public reads (counts). A petition that is
   * open or closed stays public for good, so its id is kept for a few seconds: a count read then
   * costs no query for the petition, and gets the id without a promise.
   */
  visibleId(idOrSlug: string, principal: Principal | undefined): string | Promise<string> {
    const hit = this.publicHit(idOrSlug);
    if (hit) return hit.id;
    return this.lookUpVisibleId(idOrSlug, principal);
  }

  private async lookUpVisibleId(
    idOrSlug: string,
    principal: Principal | undefined,
  ): Promise<string> {
    const petition = await this.getVisible(idOrSlug, principal);
    this.rememberIfPublic(idOrSlug, petition);
    return petition.id;
  }

  /**
   * The language of a public petition, for pages asked for in no language; null when there is
   * no public petition by that id or slug. Cached as `visibleId` is (a public petition's language
   * no longer changes).
   */
  async publicLanguage(idOrSlug: string): Promise<MailLanguage | null> {
    const hit = this.publicHit(idOrSlug);
    if (hit) return hit.language;
    const petition = await this.findByIdOrSlug(idOrSlug);
    if (!petition || !PUBLIC_PETITION_STATUSES.includes(petition.status)) return null;
    this.rememberIfPublic(idOrSlug, petition);
    return petition.language;
  }

  /**
   * The id of a public petition named by id or slug, null when there is none: so that limits
   * kept per petition count a petition's id and its slug as one. Cached as `visibleId` is (a hit
   * costs no query and no promise); a petition is signed only while public, and a public
   * petition's slug no longer changes.
   */
  publicId(idOrSlug: string): string | null | Promise<string | null> {
    const hit = this.publicHit(idOrSlug);
    if (hit) return hit.id;
    return this.lookUpPublicId(idOrSlug);
  }

  private async lookUpPublicId(idOrSlug: string): Promise<string | null> {
    const petition = await this.findByIdOrSlug(idOrSlug);
    if (!petition || !PUBLIC_PETITION_STATUSES.includes(petition.status)) return null;
    this.rememberIfPublic(idOrSlug, petition);
    return petition.id;
  }

  private publicHit(idOrSlug: string): { id: string; language: MailLanguage } | undefined {
    const hit = this.publicPetitions.get(idOrSlug);
    return hit && hit.until > Date.now() ? hit : undefined;
  }

  private rememberIfPublic(idOrSlug: string, petition: Petition): void {
    if (!PUBLIC_PETITION_STATUSES.includes(petition.status)) return;
    if (this.publicPetitions.size >= 10_000) this.publicPetitions.clear();
    this.publicPetitions.set(idOrSlug, {
      id: petition.id,
      language: petition.language,
      until: Date.now() + PUBLIC_ID_TTL_MS,
    });
  }

  async findByIdOrSlug(idOrSlug: string): Promise<Petition | null> {
    if (UUID.test(idOrSlug)) return this.petitions.findOneBy({ id: idOrSlug.toLowerCase() });
    if (!/^[a-z0-9-]{1,100}$/.test(idOrSlug)) return null;
    return this.petitions.findOneBy({ slug: idOrSlug });
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(filter: PetitionFilter): Promise<Page<Petition>> {
    const query = this.petitions.createQueryBuilder('p');
    if (filter.statuses)
      query.andWhere('p.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.organiserId)
      query.andWhere('p.organiser_id = :organiserId', { organiserId: filter.organiserId });
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      query.andWhere(
        new Brackets((where) =>
          where
            .where('p.created_at < :at', { at: cursor.at })
            .orWhere('p.created_at = :at AND p.id < :id', { at: cursor.at, id: cursor.id }),
        ),
      );
    }
    const rows = await query
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    return toPage(
      rows,
      filter.limit,
      (row) => ({ at: row.createdAt.toISOString(), id: row.id }),
      (row) => row,
    );
  }

  /** RETENTION_DAYS is the longest a petition may keep its signers' data (the DTO checks 0..). */
  private assertRetention(days: number | undefined): void {
    if (days === undefined || days <= this.config.retentionDays) return;
    const message = `retentionDays must be at most ${this.config.retentionDays}, the longest this service keeps signers’ data`;
    throw new DomainError('validation_failed', message, [{ field: 'retentionDays', message }]);
  }

  private async assertRegisterExists(registerId: string | null | undefined): Promise<void> {
    if (registerId && !(await this.registers.exists(registerId))) {
      throw new DomainError('validation_failed', 'registerId: no register has this id', [
        { field: 'registerId', message: 'no register has this id' },
      ]);
    }
  }

  private assertNotPastClosing(petition: Petition): void {
    if (petition.closesAt && petition.closesAt.getTime() <= Date.now()) {
      throw new DomainError(
        'invalid_transition',
        'closesAt has passed; set a new closing time first',
        [{ field: 'closesAt', message: 'is in the past' }],
      );
    }
  }

  /**
   * Saves, picking the next free readable slug when needed. Two concurrent petitions with the
   * same title can both see `base` free; the unique index refuses the second, which then retries.
   */
  private async saveWithUniqueSlug(
    petition: Petition,
    newSlug: boolean,
    expectedStatus?: PetitionStatus,
  ): Promise<Petition> {
    const base = makeSlug(petition.title);
    for (let attempt = 1; ; attempt++) {
      if (newSlug) {
        const taken = await this.dataSource.query<{ slug: string }[]>(
          `SELECT slug FROM petitions WHERE (slug = $1 OR slug ~ ('^' || $1 || '-[0-9]+$')) AND id IS DISTINCT FROM $2`,
          [base, petition.id ?? null],
        );
        petition.slug = nextFreeSlug(
          base,
          taken.map((row) => row.slug),
        );
      }
      try {
        if (!petition.id) return await this.petitions.save(petition);
        const { id, createdAt: _createdAt, ...fields } = petition;
        const result = await this.petitions
          .createQueryBuilder()
          .update(Petition)
          .set({ ...fields, updatedAt: new Date() })
          .where('id = :id AND status = :status', { id, status: expectedStatus })
          .returning('*')
          .execute();
        if (result.affected === 0) {
          throw new DomainError(
            'petition_not_editable',
            'The petition changed status meanwhile; it is no longer a draft',
          );
        }
        return (await this.petitions.findOneBy({ id }))!;
      } catch (error) {
        if (!isUniqueViolation(error, 'petitions_slug_key') || attempt >= SLUG_ATTEMPTS)
          throw error;
        newSlug = true;
      }
    }
  }
}
