import type { Speech } from '../i18n/messages.js';
import { Layout } from './layout.js';
import type { PublicCounts } from './petition.view.js';

export interface HomeItem {
  slug: string;
  title: string;
  addressee: string;
  openedAt: Date | null;
  counts: PublicCounts;
}

export interface HomePageProps {
  s: Speech;
  items: HomeItem[];
  nextCursor: string | null;
  /** True when this is not the first page. */
  paged: boolean;
  switchHref: string;
}

/** The open petitions, newest first, each with its verified count and how many are being checked. */
export function HomePage({ s, items, nextCursor, paged, switchHref }: HomePageProps) {
  const { t, f } = s;
  return (
    <Layout s={s} title={t.home.title} switchHref={switchHref}>
      <h1>{t.home.title}</h1>
      <p class="lead">{t.home.lead}</p>
      {items.length === 0 ? (
        <p>{t.home.empty}</p>
      ) : (
        <ul class="petitions">
          {items.map((item) => (
            <li>
              <h2>
                <a href={`/petitions/${item.slug}?lang=${s.lang}`}>{item.title}</a>
              </h2>
              <p class="muted">
                {t.petition.to}: {item.addressee}
              </p>
              <p>
                <strong>{t.counts.verified(f, item.counts.verified)}</strong>
                {' · '}
                {t.counts.beingChecked(f, item.counts.beingChecked)}
                {item.openedAt ? (
                  <span class="muted small"> · {t.home.opened(f.date(item.openedAt))}</span>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p class="pager">
        {nextCursor ? (
          <a href={`/?lang=${s.lang}&cursor=${encodeURIComponent(nextCursor)}`}>{t.home.older}</a>
        ) : null}
        {paged && nextCursor ? ' · ' : null}
        {paged ? <a href={`/?lang=${s.lang}`}>{t.home.newest}</a> : null}
      </p>
    </Layout>
  );
}
