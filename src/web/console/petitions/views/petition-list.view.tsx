import type { PetitionStatus } from '../../../../petitions/petition-status.js';
import type { Speech } from '../../../i18n/messages.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout } from '../../views/console-layout.js';

/** A petition as the console's list shows it. */
export interface PetitionListItem {
  id: string;
  title: string;
  status: PetitionStatus;
  createdAt: Date;
  counts: { verified: number; beingChecked: number; rejected: number };
}

export interface PetitionListPageProps {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  /** A moderator's list: those awaiting approval first, then the others, filtered by status. */
  moderating: boolean;
  /** Petitions waiting for a decision, shown first; null when not shown (organisers, later pages). */
  awaiting: PetitionListItem[] | null;
  awaitingMore: boolean;
  items: PetitionListItem[];
  nextCursor: string | null;
  /** This page is not the first of `items`. */
  paged: boolean;
  /** Moderators may narrow the other petitions to one status. */
  filter: { statuses: PetitionStatus[]; chosen: PetitionStatus | null } | null;
  canCreate: boolean;
}

/** An organiser's petitions; for moderators, those awaiting approval first, then the others. */
export function PetitionListPage(props: PetitionListPageProps) {
  const { s } = props;
  const t = s.t.consolePetitions;
  const moderating = props.moderating;
  const headingLevel = moderating ? 3 : 2;
  const query = (cursor: string | null) => {
    const q = new URLSearchParams({ lang: s.lang });
    if (props.filter?.chosen) q.set('status', props.filter.chosen);
    if (cursor) q.set('cursor', cursor);
    return `/console/petitions?${q}`;
  };
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={t.title}
      switchHref={props.switchHref}
      section="petitions"
    >
      <h1>{t.title}</h1>
      <p class="lead">{moderating ? t.moderatorLead : t.mineLead}</p>
      {props.canCreate ? (
        <p>
          <a class="button-link" href={`/console/petitions/new?lang=${s.lang}`}>
            {t.create}
          </a>
        </p>
      ) : null}
      {props.awaiting !== null ? (
        <section aria-labelledby="awaiting-title">
          <h2 id="awaiting-title">{t.awaitingTitle}</h2>
          {props.awaiting.length === 0 ? (
            <p>{t.awaitingEmpty}</p>
          ) : (
            <PetitionItems s={s} items={props.awaiting} level={3} />
          )}
          {props.awaitingMore ? (
            <p>
              <a href={`/console/petitions?lang=${s.lang}&status=submitted`}>{t.older}</a>
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby={moderating ? 'others-title' : undefined}>
        {moderating ? <h2 id="others-title">{t.othersTitle}</h2> : null}
        {props.filter ? (
          <form method="get" action="/console/petitions" class="filter">
            <input type="hidden" name="lang" value={s.lang} />
            <div class="field">
              <label for="status">{t.filterLabel}</label>
              <select id="status" name="status">
                <option value="" selected={props.filter.chosen === null}>
                  {t.filterAny}
                </option>
                {props.filter.statuses.map((status) => (
                  <option value={status} selected={status === props.filter?.chosen}>
                    {t.statuses[status]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              {t.filterButton}
            </button>
          </form>
        ) : null}
        {props.items.length === 0 ? (
          <p>{moderating ? t.othersEmpty : t.mineEmpty}</p>
        ) : (
          <PetitionItems s={s} items={props.items} level={headingLevel} />
        )}
        <p class="pager">
          {props.nextCursor ? <a href={query(props.nextCursor)}>{t.older}</a> : null}
          {props.paged && props.nextCursor ? ' · ' : null}
          {props.paged ? <a href={query(null)}>{t.newest}</a> : null}
        </p>
      </section>
    </ConsoleLayout>
  );
}

function PetitionItems({
  s,
  items,
  level,
}: {
  s: Speech;
  items: PetitionListItem[];
  level: 2 | 3;
}) {
  const t = s.t.consolePetitions;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <ul class="petitions console-petitions">
      {items.map((p) => (
        <li>
          <Heading>
            <a href={`/console/petitions/${p.id}?lang=${s.lang}`}>{p.title}</a>
          </Heading>
          <p class="small">
            <span class={`status status-${p.status}`}>{t.statuses[p.status]}</span>{' '}
            <span class="muted">· {t.createdOn(s.f.date(p.createdAt))}</span>
          </p>
          <dl class="figures small">
            <div>
              <dt>{t.counts.verified}</dt>
              <dd>{s.f.number(p.counts.verified)}</dd>
            </div>
            <div>
              <dt>{t.counts.beingChecked}</dt>
              <dd>{s.f.number(p.counts.beingChecked)}</dd>
            </div>
            <div>
              <dt>{t.counts.rejected}</dt>
              <dd>{s.f.number(p.counts.rejected)}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}
