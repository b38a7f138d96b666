import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TtlCache } from '../common/cache/ttl-cache.js';
import { CountHistoryService } from '../counts/count-history.service.js';
import { CountsService } from '../counts/counts.service.js';
import type { PublicSignatureCounts } from '../counts/signature-counts.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { SignatureListService } from '../signatures/signature-list.service.js';
import { type Language, otherLanguage, speech } from './i18n/messages.js';
import type { ChartPoint } from './views/count-chart.js';
import { PetitionPage, type PetitionPageModel } from './views/petition.view.js';
import { renderDocument } from './views/render.js';
import { EMPTY_SIGN_FORM, type SignFormState } from './views/sign-form.js';

/** A rendered page is reused this long: about as fresh as the counts it shows. */
const PAGE_TTL_MS = 1_000;
const SIGNERS_PER_PAGE = 20;

/**
 * A rendered petition page, cut where the sign form's anti-forgery token goes, so one rendering
 * serves every reader for a second and each still gets a token of their own.
 */
export interface RenderedPetitionPage {
  /** UTF-8 already: a page view copies bytes instead of encoding 15 KB of text again. */
  before: Buffer;
  /** Null when the page has no sign form (the petition is closed). */
  after: Buffer | null;
  language: Language;
}

/**
 * Gathers what a petition page shows (from the same services as the JSON API) and renders it.
 * A view costs no query while its rendering is cached; the chart reads stored snapshots, never
 * the signatures table.
 */
@Injectable()
export class PetitionPageService {
  /** Stands in for the token in a cached rendering; random, so no petition text can contain it. */
  private readonly placeholder = `ft-${randomBytes(16).toString('hex')}`;
  private readonly rendered = new TtlCache<RenderedPetitionPage>(PAGE_TTL_MS, 5_000);

  constructor(
    private readonly petitions: PetitionsService,
    private readonly counts: CountsService,
    private readonly history: CountHistoryService,
    private readonly lists: SignatureListService,
  ) {}

  /** The page as most readers get it: cached, with a hole for the token. */
  page(
    slug: string,
    lang: Language,
    signersCursor: string | null,
  ): RenderedPetitionPage | Promise<RenderedPetitionPage> {
    return this.rendered.get(`${slug}\0${lang}\0${signersCursor ?? ''}`, async () => {
      const model = await this.model(slug, signersCursor);
      const html = this.render(model, lang, this.placeholder, EMPTY_SIGN_FORM);
      const at = html.indexOf(this.placeholder);
      return at < 0
        ? { before: Buffer.from(html), after: null, language: lang }
        : {
            before: Buffer.from(html.slice(0, at)),
            after: Buffer.from(html.slice(at + this.placeholder.length)),
            language: lang,
          };
    });
  }

  /** The page with the signer's own values and problems (a form sent back), never cached. */
  async pageWithForm(
    slug: string,
    lang: Language,
    formToken: string,
    form: SignFormState,
  ): Promise<string> {
    return this.render(await this.model(slug, null), lang, formToken, form);
  }

  /** Everything the page shows. 404 for a petition that is not public. */
  async model(slug: string, signersCursor: string | null): Promise<PetitionPageModel> {
    const petition = await this.petitions.getVisible(slug, undefined);
    const [{ public: counts }, districts, signers] = await Promise.all([
      this.counts.get(petition.id),
      this.counts.districts(petition.id),
      this.lists.listPublic(petition.id, undefined, {
        limit: SIGNERS_PER_PAGE,
        cursor: signersCursor ?? undefined,
      }),
    ]);
    const from = petition.openedAt ?? petition.createdAt;
    const history = await this.history.history(petition.id, from);
    return {
      petition: {
        id: petition.id,
        slug: petition.slug,
        title: petition.title,
        body: petition.body,
        addressee: petition.addressee,
        open: petition.status === PetitionStatus.Open,
        signatureGoal: petition.signatureGoal,
        openedAt: petition.openedAt,
        closesAt: petition.closesAt,
        closedAt: petition.closedAt,
      },
      counts: publicCounts(counts),
      districts,
      signers,
      signersCursor,
      chart: chartPoints(from, history, counts),
    };
  }

  private render(
    model: PetitionPageModel,
    lang: Language,
    formToken: string,
    form: SignFormState,
  ): string {
    const switchQuery = new URLSearchParams({ lang: otherLanguage(lang) });
    if (model.signersCursor) switchQuery.set('signers', model.signersCursor);
    return renderDocument(
      PetitionPage({
        s: speech(lang),
        model,
        switchHref: `/petitions/${model.petition.slug}?${switchQuery}`,
        formToken,
        form,
      }),
    );
  }
}

/** What the public sees: verified, and being checked (pending and needing review). */
export function publicCounts(counts: PublicSignatureCounts): PetitionPageModel['counts'] {
  return {
    verified: counts.verified,
    beingChecked: counts.pending + counts.needsReview,
    updatedAt: counts.updatedAt,
  };
}

/** The stored history, from zero at the opening to the counts of this moment (the console's too). */
export function chartPoints(
  from: Date,
  history: ChartPoint[],
  now: PublicSignatureCounts,
): ChartPoint[] {
  const current = publicCounts(now);
  const points: ChartPoint[] = [];
  if (history.length === 0 || history[0].at.getTime() > from.getTime()) {
    points.push({ at: from, verified: 0, beingChecked: 0 });
  }
  points.push(...history);
  points.push({ at: new Date(), verified: current.verified, beingChecked: current.beingChecked });
  return points;
}
