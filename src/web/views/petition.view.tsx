import type { Speech } from '../i18n/messages.js';
import { CountChart, type ChartPoint } from './count-chart.js';
import { Layout } from './layout.js';
import { SignForm, type SignFormState } from './sign-form.js';

export interface PetitionSummary {
  id: string;
  slug: string;
  title: string;
  body: string;
  addressee: string;
  open: boolean;
  signatureGoal: number | null;
  openedAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
}

export interface PublicCounts {
  verified: number;
  /** pending + needs review */
  beingChecked: number;
  updatedAt: string | null;
}

export interface PetitionPageModel {
  petition: PetitionSummary;
  counts: PublicCounts;
  districts: { items: Array<{ district: string | null; verified: number }>; otherVerified: number };
  signers: {
    items: Array<{
      fullName: string;
      district: string | null;
      title: string | null;
      verifiedAt: string;
    }>;
    nextCursor: string | null;
  };
  /** The cursor of the signer list page shown, null for the first. */
  signersCursor: string | null;
  chart: ChartPoint[];
}

export interface PetitionPageProps {
  s: Speech;
  model: PetitionPageModel;
  switchHref: string;
  formToken: string;
  form: SignFormState;
}

/** The petition, its honest counts, the sign form (or a closed notice), and who signed. */
export function PetitionPage({ s, model, switchHref, formToken, form }: PetitionPageProps) {
  const { t, f } = s;
  const { petition, counts } = model;
  const base = `/petitions/${petition.slug}`;
  return (
    <Layout s={s} title={petition.title} switchHref={switchHref} script={petition.open}>
      <article data-counts-url={petition.open ? `/v1/petitions/${petition.id}/counts` : undefined}>
        <h1>{petition.title}</h1>
        <p class="lead">
          <strong>{t.petition.to}:</strong> {petition.addressee}
        </p>
        <CountsPanel s={s} petition={petition} counts={counts} />
        {petition.open ? null : (
          <div class="notice" role="status">
            <h2>{t.petition.closedTitle}</h2>
            <p>{t.petition.closedText}</p>
          </div>
        )}
        <section class="body" aria-labelledby="text-title">
          <h2 id="text-title">{t.petition.text}</h2>
          {paragraphs(petition.body).map((p) => (
            <p>{p}</p>
          ))}
        </section>
        {petition.open ? (
          <SignForm s={s} slug={petition.slug} formToken={formToken} state={form} />
        ) : null}
        <section aria-labelledby="chart-heading">
          <h2 id="chart-heading">{t.petition.chartTitle}</h2>
          <CountChart s={s} points={model.chart} />
        </section>
        <section aria-labelledby="districts-title">
          <h2 id="districts-title">{t.petition.districtsTitle}</h2>
          {model.districts.items.length === 0 && model.districts.otherVerified === 0 ? (
            <p>{t.petition.districtsEmpty}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.petition.district}</th>
                  <th scope="col" class="num">
                    {t.petition.verifiedColumn}
                  </th>
                </tr>
              </thead>
              <tbody>
                {model.districts.items.map((d) => (
                  <tr>
                    <td>{d.district ?? t.petition.noDistrict}</td>
                    <td class="num">{f.number(d.verified)}</td>
                  </tr>
                ))}
                {model.districts.otherVerified > 0 ? (
                  <tr>
                    <td>{t.petition.otherDistricts}</td>
                    <td class="num">{f.number(model.districts.otherVerified)}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="signers">
          <h2 id="signers">{t.petition.signersTitle}</h2>
          {model.signers.items.length === 0 ? (
            <p>{t.petition.signersEmpty}</p>
          ) : (
            <ul class="signers">
              {model.signers.items.map((signer) => (
                <li>
                  <strong>{signer.fullName}</strong>
                  {[signer.title, signer.district].filter(Boolean).map((part) => `, ${part}`)}
                  <span class="muted small">
                    {' '}
                    · {t.petition.verifiedOn(f.date(signer.verifiedAt))}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p class="pager">
            {model.signers.nextCursor ? (
              <a
                href={`${base}?lang=${s.lang}&signers=${encodeURIComponent(model.signers.nextCursor)}#signers`}
              >
                {t.petition.signersMore}
              </a>
            ) : null}
            {model.signersCursor && model.signers.nextCursor ? ' · ' : null}
            {model.signersCursor ? (
              <a href={`${base}?lang=${s.lang}#signers`}>{t.petition.signersFirst}</a>
            ) : null}
          </p>
        </section>
      </article>
    </Layout>
  );
}

function CountsPanel({
  s,
  petition,
  counts,
}: {
  s: Speech;
  petition: PetitionSummary;
  counts: PublicCounts;
}) {
  const { t, f } = s;
  return (
    <div class="counts">
      <dl>
        <div>
          <dt>{t.counts.verifiedLabel}</dt>
          <dd class="big" data-count="verified">
            {f.number(counts.verified)}
          </dd>
        </div>
        <div>
          <dt>{t.counts.beingCheckedLabel}</dt>
          <dd class="second" data-count="beingChecked">
            {f.number(counts.beingChecked)}
          </dd>
        </div>
      </dl>
      {petition.signatureGoal ? (
        <p>
          <progress
            max={petition.signatureGoal}
            value={Math.min(counts.verified, petition.signatureGoal)}
            data-count-progress
            aria-label={t.counts.goal(f, counts.verified, petition.signatureGoal)}
          />
          <span class="small">{t.counts.goal(f, counts.verified, petition.signatureGoal)}</span>
        </p>
      ) : null}
      <p class="small muted">
        {petition.open
          ? petition.closesAt
            ? t.petition.openUntil(f.dateTime(petition.closesAt))
            : t.petition.open
          : petition.closedAt
            ? t.petition.closedOn(f.dateTime(petition.closedAt))
            : t.petition.closedTitle}
      </p>
    </div>
  );
}

/** The organiser's text as paragraphs: split on blank lines, single line breaks kept. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
