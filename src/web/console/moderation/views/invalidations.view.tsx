import {
  INVALIDATABLE_STATUSES,
  type InvalidationResponse,
} from '../../../../moderation/dto/invalidation.dto.js';
import type { InvalidationMatch } from '../../../../moderation/invalidations.service.js';
import { reasonCodesFor } from '../../../../signatures/signature-reason-codes.js';
import type { Speech } from '../../../i18n/messages.js';
import { ErrorSummary, type PageFieldError } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import {
  CRITERIA_FIELDS,
  type CriteriaField,
  type InvalidationFormValues,
} from '../invalidation-form.js';
import {
  DASH,
  Input,
  Notice,
  reasonName,
  Select,
  StackedTable,
  statusName,
  TextArea,
} from './parts.js';

export interface Lookups {
  accounts: Map<string, string>;
  petitions: Map<string, string>;
}

function criterionLabel(s: Speech, name: CriteriaField): string {
  const t = s.t.consoleModeration;
  const i = t.invalidations;
  const labels: Record<CriteriaField, string> = {
    emailDomain: t.emailDomain,
    sameSourceAs: i.sameSourceAs,
    fullNamePattern: i.fullNamePattern,
    district: t.district,
    createdFrom: i.createdFrom,
    createdTo: i.createdTo,
  };
  return labels[name];
}

/** The criteria an invalidation was made with, each as label and value, in the page's words. */
export function criteriaLines(
  s: Speech,
  invalidation: InvalidationResponse,
): Array<[string, string]> {
  const stored = invalidation.criteria;
  const lines: Array<[string, string]> = [];
  for (const name of CRITERIA_FIELDS) {
    const value = stored[name];
    if (typeof value !== 'string') continue;
    const shown = name === 'createdFrom' || name === 'createdTo' ? s.f.dateTime(value) : value;
    lines.push([criterionLabel(s, name), shown]);
  }
  if (Array.isArray(stored.statuses)) {
    lines.push([
      s.t.consoleModeration.invalidations.statusesLegend,
      stored.statuses.map((status) => statusName(s, String(status))).join(', '),
    ]);
  }
  return lines;
}

function CriteriaSummary({ s, invalidation }: { s: Speech; invalidation: InvalidationResponse }) {
  return (
    <ul class="cm-plain">
      {criteriaLines(s, invalidation).map(([label, value]) => (
        <li>
          {label}: <strong>{value}</strong>
        </li>
      ))}
    </ul>
  );
}

export function progressText(s: Speech, invalidation: InvalidationResponse): string {
  return s.t.consoleModeration.invalidations.progressText(
    s.f,
    invalidation.processed,
    invalidation.matched,
  );
}

function InvalidationsTable({
  s,
  items,
  lookups,
  caption,
}: {
  s: Speech;
  items: InvalidationResponse[];
  lookups: Lookups;
  caption: string;
}) {
  const t = s.t.consoleModeration;
  const i = t.invalidations;
  return (
    <StackedTable
      caption={caption}
      captionHidden
      head={[t.petition, i.criteria, t.status, i.progress, i.requestedBy, i.requestedAt]}
      rows={items.map((item) => [
        <a href={`/console/invalidations/${item.id}?lang=${s.lang}`}>
          {lookups.petitions.get(item.petitionId) ?? item.petitionId}
        </a>,
        <CriteriaSummary s={s} invalidation={item} />,
        <span class="cm-status">{i.statusNames[item.status] ?? item.status}</span>,
        progressText(s, item),
        lookups.accounts.get(item.requestedBy) ?? t.unknownAccount,
        s.f.dateTime(item.createdAt),
      ])}
    />
  );
}

/** Bulk invalidation: what waits for a second moderator, what ran lately, and a new one's criteria. */
export function InvalidationsPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  threshold: number;
  awaiting: InvalidationResponse[];
  recent: InvalidationResponse[];
  lookups: Lookups;
  petitions: Array<[string, string]>;
  form: InvalidationFormValues;
  errors: PageFieldError[];
}) {
  const { s, caller, form, errors } = props;
  const t = s.t.consoleModeration;
  const i = t.invalidations;
  const error = (id: string) => errors.find((e) => e.field === id)?.message;
  const statusError = error(`statuses-${INVALIDATABLE_STATUSES[0]}`);
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={i.title}
      switchHref={props.switchHref}
      section="invalidations"
    >
      <h1>{i.title}</h1>
      <ErrorSummary s={s} errors={errors} />
      <p class="lead">{i.lead(s.f, props.threshold)}</p>
      <section aria-labelledby="awaiting-heading">
        <h2 id="awaiting-heading">{i.awaitingHeading}</h2>
        {props.awaiting.length === 0 ? (
          <p>{i.awaitingEmpty}</p>
        ) : (
          <InvalidationsTable
            s={s}
            items={props.awaiting}
            lookups={props.lookups}
            caption={i.awaitingHeading}
          />
        )}
      </section>
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">{i.newHeading}</h2>
        <form method="post" action="/console/invalidations/preview" class="cm-form" noValidate>
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          <Select
            s={s}
            id="petitionId"
            name="petitionId"
            label={t.petition}
            hint={i.petitionHint}
            value={form.petitionId}
            placeholder={t.validation.choosePetition}
            options={props.petitions}
            error={error('petitionId')}
          />
          <h3>{i.criteria}</h3>
          <p class="hint">{i.criteriaHint}</p>
          {CRITERIA_FIELDS.map((name) => (
            <Input
              s={s}
              id={name}
              name={name}
              label={criterionLabel(s, name)}
              hint={
                {
                  emailDomain: i.emailDomainHint,
                  sameSourceAs: i.sameSourceAsHint,
                  fullNamePattern: i.fullNamePatternHint,
                  district: i.districtHint,
                  createdFrom: i.timeHint,
                  createdTo: i.timeHint,
                }[name]
              }
              type={name === 'createdFrom' || name === 'createdTo' ? 'datetime-local' : 'text'}
              value={form.criteria[name]}
              maxLength={name === 'emailDomain' ? 253 : name === 'sameSourceAs' ? 36 : 200}
              spellcheck={false}
              optional
              error={error(name)}
            />
          ))}
          <fieldset
            class={statusError ? 'cm-fieldset field invalid' : 'cm-fieldset'}
            aria-describedby={statusError ? 'statuses-hint statuses-error' : 'statuses-hint'}
          >
            <legend>{i.statusesLegend}</legend>
            <span class="hint" id="statuses-hint">
              {i.statusesHint}
            </span>
            {statusError ? (
              <span class="error-message" id="statuses-error">
                {statusError}
              </span>
            ) : null}
            <div class="cm-checks">
              {INVALIDATABLE_STATUSES.map((status) => (
                <div class="check">
                  <input
                    type="checkbox"
                    id={`statuses-${status}`}
                    name="statuses"
                    value={status}
                    checked={form.statuses.includes(status)}
                  />
                  <label for={`statuses-${status}`}>{statusName(s, status)}</label>
                </div>
              ))}
            </div>
          </fieldset>
          <Select
            s={s}
            id="reasonCode"
            name="reasonCode"
            label={t.reason}
            hint={i.reasonHint}
            value={form.reasonCode}
            placeholder={t.validation.chooseReason}
            options={reasonCodesFor('reject').map((code) => [code, t.reasonLabels[code] ?? code])}
            error={error('reasonCode')}
          />
          <TextArea
            s={s}
            id="note"
            name="note"
            label={t.note}
            hint={i.noteHint}
            value={form.note}
            maxLength={2000}
            optional
            error={error('note')}
          />
          <button type="submit">{i.previewButton}</button>
        </form>
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">{i.recentHeading}</h2>
        {props.recent.length === 0 ? (
          <p>{i.recentEmpty}</p>
        ) : (
          <InvalidationsTable
            s={s}
            items={props.recent}
            lookups={props.lookups}
            caption={i.recentHeading}
          />
        )}
      </section>
    </ConsoleLayout>
  );
}

/**
 * One invalidation: a preview with its matches and the button that requests it; one awaiting a
 * second moderator, with its matches and (for anyone but its requester) the approve button; one
 * running, with its progress; and cancel while it can be.
 */
export function InvalidationPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  threshold: number;
  /** For a preview: what the caller changed alone on its petition in 24 hours (see the service). */
  changedAlone: number;
  invalidation: InvalidationResponse;
  sample: InvalidationMatch[] | null;
  lookups: Lookups;
  notice?: string;
}) {
  const { s, caller, invalidation } = props;
  const t = s.t.consoleModeration;
  const i = t.invalidations;
  const preview = invalidation.status === 'preview';
  const title = preview ? i.previewTitle : i.itemTitle;
  const mine = invalidation.requestedBy === caller.principal.id;
  const cancellable = ['preview', 'awaiting_approval', 'running'].includes(invalidation.status);
  const hidden = (
    <>
      <CsrfField caller={caller} />
      <input type="hidden" name="lang" value={s.lang} />
    </>
  );
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={title}
      switchHref={props.switchHref}
      section="invalidations"
    >
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <p class="lead">
        <strong>{i.matched(s.f, invalidation.matched)}</strong>
      </p>
      {preview ? <p class="muted">{i.matchedWhen(s.f.dateTime(invalidation.createdAt))}</p> : null}
      <dl class="cm-facts">
        <div>
          <dt>{t.status}</dt>
          <dd class="cm-status">{i.statusNames[invalidation.status] ?? invalidation.status}</dd>
        </div>
        <div>
          <dt>{t.petition}</dt>
          <dd>{props.lookups.petitions.get(invalidation.petitionId) ?? invalidation.petitionId}</dd>
        </div>
        <div>
          <dt>{t.reason}</dt>
          <dd>{reasonName(s, invalidation.reasonCode)}</dd>
        </div>
        <div>
          <dt>{t.note}</dt>
          <dd>{invalidation.note ?? DASH}</dd>
        </div>
        <div>
          <dt>{i.requestedBy}</dt>
          <dd>
            {props.lookups.accounts.get(invalidation.requestedBy) ?? t.unknownAccount}
            {', '}
            {s.f.dateTime(invalidation.createdAt)}
          </dd>
        </div>
        {invalidation.approvedBy ? (
          <div>
            <dt>{i.approvedBy}</dt>
            <dd>{props.lookups.accounts.get(invalidation.approvedBy) ?? t.unknownAccount}</dd>
          </div>
        ) : null}
        {invalidation.finishedAt ? (
          <div>
            <dt>{i.finishedAt}</dt>
            <dd>{s.f.dateTime(invalidation.finishedAt)}</dd>
          </div>
        ) : null}
      </dl>
      <h2>{i.criteria}</h2>
      <CriteriaSummary s={s} invalidation={invalidation} />
      {preview ? null : (
        <section aria-labelledby="progress-heading">
          <h2 id="progress-heading">{i.progress}</h2>
          {invalidation.matched > 0 ? (
            <progress
              id="progress"
              max={invalidation.matched}
              value={invalidation.processed}
              aria-labelledby="progress-heading"
              aria-describedby="progress-text"
            />
          ) : null}
          <p id="progress-text">{progressText(s, invalidation)}</p>
          {invalidation.status === 'running' ? (
            <p>
              <a href={`/console/invalidations/${invalidation.id}?lang=${s.lang}`}>{i.reload}</a>
            </p>
          ) : null}
        </section>
      )}
      {props.sample ? (
        <section aria-labelledby="sample-heading">
          <h2 id="sample-heading">
            {invalidation.status === 'running'
              ? i.sampleRemaining(s.f, props.sample.length)
              : i.sampleHeading(s.f, props.sample.length)}
          </h2>
          {props.sample.length === 0 ? (
            <p>{i.sampleEmpty}</p>
          ) : (
            <StackedTable
              caption={i.sampleHeading(s.f, props.sample.length)}
              captionHidden
              head={[t.fullName, t.district, t.status, t.signedAt]}
              rows={props.sample.map((match) => [
                <a href={`/console/signatures/${match.signatureId}?lang=${s.lang}`}>
                  {match.fullName || t.erased}
                </a>,
                match.district ?? DASH,
                statusName(s, match.status),
                s.f.dateTime(match.createdAt),
              ])}
            />
          )}
        </section>
      ) : null}
      {preview ? (
        <>
          <p>
            {invalidation.matched > props.threshold
              ? i.needsApproval(s.f, props.threshold)
              : invalidation.matched > 0 &&
                  props.changedAlone + invalidation.matched > props.threshold
                ? i.needsApprovalTogether(s.f, props.threshold, props.changedAlone)
                : i.runsAtOnce}
          </p>
          <div class="cm-actions">
            <form method="post" action={`/console/invalidations/${invalidation.id}/request`}>
              {hidden}
              <button type="submit" class="warning">
                {i.requestButton}
              </button>
            </form>
            <p>
              <a href={`/console/invalidations?from=${invalidation.id}&lang=${s.lang}`}>
                {i.change}
              </a>
            </p>
          </div>
        </>
      ) : null}
      {invalidation.status === 'awaiting_approval' ? (
        mine ? (
          <p>
            <strong>{i.ownRequest}</strong>
          </p>
        ) : (
          <form method="post" action={`/console/invalidations/${invalidation.id}/approve`}>
            {hidden}
            <p>{i.approveHint}</p>
            <button type="submit" class="warning">
              {i.approveButton}
            </button>
          </form>
        )
      ) : null}
      {cancellable && !preview ? (
        <form method="post" action={`/console/invalidations/${invalidation.id}/cancel`}>
          {hidden}
          {invalidation.status === 'running' ? (
            <p class="hint" id="cancel-hint">
              {i.cancelRunningHint}
            </p>
          ) : null}
          <button
            type="submit"
            class="secondary"
            aria-describedby={invalidation.status === 'running' ? 'cancel-hint' : undefined}
          >
            {i.cancelButton}
          </button>
        </form>
      ) : null}
      <p>
        <a href={`/console/invalidations?lang=${s.lang}`}>{i.back}</a>
      </p>
    </ConsoleLayout>
  );
}
