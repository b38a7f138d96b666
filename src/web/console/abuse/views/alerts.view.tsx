import type { AlertStatus } from '../../../../abuse/alerts.repository.js';
import type { AlertResponse } from '../../../../abuse/dto/alert.dto.js';
import type { Speech } from '../../../i18n/messages.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { Notice, StackedTable } from '../../moderation/views/parts.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import { BlockedThing, type Lookups, thingText } from './blocks.view.js';

/** Where an alert's "block this" link goes: the add-a-block form, filled in from the alert. */
export function blockHref(s: Speech, alert: AlertResponse): string {
  const query = new URLSearchParams({
    kind: alert.kind,
    value: alert.value,
    petitionId: alert.petitionId,
    lang: s.lang,
  });
  return `/console/blocks?${query}#new-heading`;
}

function AlertActions({
  s,
  caller,
  alert,
  status,
}: {
  s: Speech;
  caller: ConsoleCaller;
  alert: AlertResponse;
  status: AlertStatus;
}) {
  const l = s.t.consoleAbuse.alerts;
  const what = thingText(s, alert.kind, alert.value);
  return (
    <div class="ca-actions">
      {status === 'open' ? (
        <form method="post" action={`/console/alerts/${alert.id}/acknowledge`} class="inline">
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          <button type="submit" class="secondary">
            {l.acknowledgeButton}
            <span class="visually-hidden"> {l.alertOn(what)}</span>
          </button>
        </form>
      ) : null}
      <a href={blockHref(s, alert)}>
        {alert.kind === 'source' ? l.blockSource : l.blockDomain}
        <span class="visually-hidden"> ({what})</span>
      </a>
    </div>
  );
}

/** Trending alerts, open or acknowledged, each with a way to acknowledge it and to block what it names. */
export function AlertsPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  threshold: number;
  status: AlertStatus;
  alerts: AlertResponse[];
  nextCursor: string | null;
  lookups: Lookups;
  notice?: string;
}) {
  const { s, caller, status } = props;
  const a = s.t.consoleAbuse;
  const l = a.alerts;
  const heading = status === 'open' ? l.open : l.acknowledged;
  const tabs: Array<[AlertStatus, string]> = [
    ['open', l.open],
    ['acknowledged', l.acknowledged],
  ];
  const head = [l.petition, l.from, l.count, l.window, l.raised];
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={l.title}
      switchHref={props.switchHref}
      section="alerts"
    >
      <h1>{l.title}</h1>
      <Notice text={props.notice} />
      <p class="lead">{l.lead(s.f, props.threshold)}</p>
      <nav aria-label={l.tabs} class="ca-tabs">
        <ul>
          {tabs.map(([key, label]) => (
            <li>
              <a
                href={`/console/alerts?status=${key}&lang=${s.lang}`}
                aria-current={key === status ? 'page' : undefined}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{heading}</h2>
        {props.alerts.length === 0 ? (
          <p>{status === 'open' ? l.openEmpty : l.acknowledgedEmpty}</p>
        ) : (
          <StackedTable
            caption={heading}
            captionHidden
            head={status === 'open' ? [...head, a.actions] : [...head, l.acknowledgedBy, a.actions]}
            rows={props.alerts.map((alert) => {
              const cells = [
                <a href={`/console/petitions/${alert.petitionId}?lang=${s.lang}`}>
                  {props.lookups.petitions.get(alert.petitionId) ?? alert.petitionId}
                </a>,
                <BlockedThing s={s} kind={alert.kind} value={alert.value} />,
                s.f.number(alert.count),
                l.windowText(s.f.dateTime(alert.windowStart), s.f.dateTime(alert.windowEnd)),
                s.f.dateTime(alert.raisedAt),
              ];
              const actions = <AlertActions s={s} caller={caller} alert={alert} status={status} />;
              if (status === 'open') return [...cells, actions];
              const by = alert.acknowledgedBy
                ? (props.lookups.accounts.get(alert.acknowledgedBy) ??
                  s.t.consoleModeration.unknownAccount)
                : '—';
              const at = alert.acknowledgedAt ? s.f.dateTime(alert.acknowledgedAt) : '';
              return [...cells, a.blocks.by(by, at), actions];
            })}
          />
        )}
        {props.nextCursor ? (
          <p class="pager">
            <a href={`/console/alerts?status=${status}&cursor=${props.nextCursor}&lang=${s.lang}`}>
              {l.more}
            </a>
          </p>
        ) : null}
      </section>
    </ConsoleLayout>
  );
}
