import type {
  ReviewItemResponse,
  SignatureEventResponse,
} from '../../../../moderation/dto/review-queue.dto.js';
import type { PetitionQueueSize } from '../../../../moderation/review-queue.service.js';
import { reasonCodesFor } from '../../../../signatures/signature-reason-codes.js';
import { ASSETS } from '../../../assets.js';
import type { Speech } from '../../../i18n/messages.js';
import { ErrorSummary, type PageFieldError } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import { ChecksTable, DASH, EventsTable, Notice, Select, TextArea } from './parts.js';

export type Decision = 'verify' | 'reject';

/** A decision form sent back with problems: which signature and decision, what was given. */
export interface DecisionFormState {
  signatureId: string;
  decision: Decision;
  reasonCode: string;
  note: string;
  errors: PageFieldError[];
}

export interface ReviewPageModel {
  petitionId?: string;
  queue: PetitionQueueSize[];
  claims: ReviewItemResponse[];
  /** The claim shown in full: the oldest, or the one whose form came back. */
  current: ReviewItemResponse | null;
  events: SignatureEventResponse[];
  names: Map<string, string>;
  petitionTitles: Map<string, string>;
  leaseMinutes: number;
  notice?: string;
  /** The signature the notice is about, for a link to its history. */
  noticeAbout?: string;
  form?: DecisionFormState;
  claimForm?: { limit: string; errors: PageFieldError[] };
}

export const CLAIM_LIMITS = ['5', '10', '20', '50'];
export const DEFAULT_CLAIM_LIMIT = '10';

/**
 * The review queue as a moderator works it: the signature they hold that waited longest, with
 * everything the checks found and its history, two decision forms (each offering only the reason
 * codes that fit it) and a release button; then the rest of their batch, and a form to claim more.
 */
export function ReviewPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  model: ReviewPageModel;
}) {
  const { s, caller, model } = props;
  const t = s.t.consoleModeration;
  const r = t.review;
  const errors = [...(model.form?.errors ?? []), ...(model.claimForm?.errors ?? [])];
  const waiting = model.petitionId
    ? model.queue.filter((q) => q.petitionId === model.petitionId)
    : model.queue;
  const total = waiting.reduce((sum, q) => sum + q.waiting, 0);
  const unclaimed = waiting.reduce((sum, q) => sum + q.unclaimed, 0);
  const petitionOptions: Array<[string, string]> = model.queue.map((q) => [
    q.petitionId,
    `${q.title} (${s.f.number(q.waiting)})`,
  ]);
  if (model.petitionId && !model.queue.some((q) => q.petitionId === model.petitionId)) {
    petitionOptions.push([
      model.petitionId,
      model.petitionTitles.get(model.petitionId) ?? model.petitionId,
    ]);
  }
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={r.title}
      switchHref={props.switchHref}
      section="review"
      script={ASSETS.review.path}
    >
      <h1>{r.title}</h1>
      <ErrorSummary s={s} errors={errors} />
      <Notice text={model.notice}>
        {model.noticeAbout ? (
          <a href={`/console/signatures/${model.noticeAbout}?lang=${s.lang}`}>
            {r.notices.lastLink}
          </a>
        ) : null}
      </Notice>
      <p class="lead">{r.lead}</p>
      <p>
        {total === 0
          ? r.nothingWaiting
          : `${r.waiting(s.f, total)}; ${r.unclaimed(s.f, unclaimed)}.`}
      </p>
      <form method="get" action="/console/review" class="cm-filter">
        <input type="hidden" name="lang" value={s.lang} />
        <Select
          s={s}
          id="petitionId"
          name="petitionId"
          label={r.filterLegend}
          value={model.petitionId ?? ''}
          options={petitionOptions}
          placeholder={t.allPetitions}
          optional
        />
        <button type="submit" class="secondary">
          {t.show}
        </button>
      </form>
      {model.current ? (
        <Current {...props} current={model.current} />
      ) : (
        <p>
          <strong>{r.noClaims}</strong>
        </p>
      )}
      {model.claims.length > 1 ? (
        <section aria-labelledby="next-heading">
          <h2 id="next-heading">{r.nextHeading}</h2>
          <ol class="cm-batch">
            {model.claims
              .filter((c) => c.signatureId !== model.current?.signatureId)
              .map((c) => (
                <li>
                  {c.fullName || t.erased}
                  {c.district ? <span class="muted"> · {c.district}</span> : null}
                  <span class="muted"> · {r.riskScore(s.f, c.riskScore)}</span>
                </li>
              ))}
          </ol>
        </section>
      ) : null}
      <ClaimForm {...props} />
      {model.claims.length > 0 ? (
        <form method="post" action="/console/review/release-all">
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          {model.petitionId ? (
            <input type="hidden" name="petitionId" value={model.petitionId} />
          ) : null}
          <button type="submit" class="secondary">
            {r.releaseAllButton}
          </button>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

function ClaimForm({
  s,
  caller,
  model,
}: {
  s: Speech;
  caller: ConsoleCaller;
  model: ReviewPageModel;
}) {
  const r = s.t.consoleModeration.review;
  const heading = model.claims.length > 0 ? r.claimMoreHeading : r.claimHeading;
  return (
    <section aria-labelledby="claim-heading">
      <h2 id="claim-heading">{heading}</h2>
      <form method="post" action="/console/review/claim" class="cm-claim" noValidate>
        <CsrfField caller={caller} />
        <input type="hidden" name="lang" value={s.lang} />
        {model.petitionId ? (
          <input type="hidden" name="petitionId" value={model.petitionId} />
        ) : null}
        <Select
          s={s}
          id="limit"
          name="limit"
          label={r.limit}
          hint={r.limitHint(s.f, model.leaseMinutes)}
          value={model.claimForm?.limit ?? DEFAULT_CLAIM_LIMIT}
          options={CLAIM_LIMITS.map((n) => [n, s.f.number(Number(n))])}
          error={model.claimForm?.errors.find((e) => e.field === 'limit')?.message}
        />
        <button type="submit">{r.claimButton}</button>
      </form>
    </section>
  );
}

function Current({
  s,
  caller,
  model,
  current,
}: {
  s: Speech;
  caller: ConsoleCaller;
  model: ReviewPageModel;
  current: ReviewItemResponse;
}) {
  const t = s.t.consoleModeration;
  const r = t.review;
  const petitionTitle = model.petitionTitles.get(current.petitionId) ?? current.petitionId;
  return (
    <section aria-labelledby="current-name" class="cm-current" data-review-current>
      <h2 id="current-name">{current.fullName || t.erased}</h2>
      <p>
        {r.position(s.f, model.claims.length)}{' '}
        {current.claimExpiresAt ? (
          <strong>{r.claimUntil(s.f.dateTime(current.claimExpiresAt))}</strong>
        ) : null}
      </p>
      <p class="small muted cm-shortcuts" hidden data-shortcuts>
        {r.shortcuts}
      </p>
      <h3>{r.details}</h3>
      <dl class="cm-facts">
        <div>
          <dt>{t.petition}</dt>
          <dd>{petitionTitle}</dd>
        </div>
        <div>
          <dt>{t.district}</dt>
          <dd>{current.district ?? DASH}</dd>
        </div>
        <div>
          <dt>{t.title_}</dt>
          <dd>{current.title ?? DASH}</dd>
        </div>
        <div>
          <dt>{t.emailDomain}</dt>
          <dd>{current.emailDomain ?? DASH}</dd>
        </div>
        <div>
          <dt>{t.signedAt}</dt>
          <dd>{s.f.dateTime(current.createdAt)}</dd>
        </div>
      </dl>
      <h3>{r.riskHeading}</h3>
      <p>
        <strong>{r.riskScore(s.f, current.riskScore)}</strong>
      </p>
      {current.riskFactors.length > 0 ? (
        <>
          <p class="cm-label">{r.riskFactors}</p>
          <ul class="cm-factors">
            {current.riskFactors.map((factor) => (
              <li>
                <strong>+{s.f.number(factor.points)}</strong>{' '}
                {t.checks[factor.check] ?? factor.check}
                {': '}
                <span lang="en">{factor.detail}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{r.noRisk}</p>
      )}
      <h3>{r.checksHeading}</h3>
      <ChecksTable s={s} checks={current.checks} caption={r.checksHeading} />
      <h3>{r.historyHeading}</h3>
      <EventsTable s={s} events={model.events} names={model.names} caption={r.historyHeading} />
      <p>
        <a href={`/console/signatures/${current.signatureId}?lang=${s.lang}`}>{r.fullHistory}</a>
      </p>
      <h3>{r.decideHeading}</h3>
      <div class="cm-decide">
        <DecisionForm s={s} caller={caller} model={model} current={current} decision="verify" />
        <DecisionForm s={s} caller={caller} model={model} current={current} decision="reject" />
      </div>
      <form
        method="post"
        action={`/console/review/${current.signatureId}/release`}
        id="release-form"
        class="cm-release"
      >
        <CsrfField caller={caller} />
        <input type="hidden" name="lang" value={s.lang} />
        {model.petitionId ? (
          <input type="hidden" name="petitionId" value={model.petitionId} />
        ) : null}
        <button type="submit" class="secondary" aria-describedby="release-hint">
          {r.releaseButton}
        </button>{' '}
        <span class="small muted" id="release-hint">
          {r.releaseHint}
        </span>
      </form>
    </section>
  );
}

function DecisionForm({
  s,
  caller,
  model,
  current,
  decision,
}: {
  s: Speech;
  caller: ConsoleCaller;
  model: ReviewPageModel;
  current: ReviewItemResponse;
  decision: Decision;
}) {
  const t = s.t.consoleModeration;
  const r = t.review;
  const back = model.form?.signatureId === current.signatureId && model.form.decision === decision;
  const form = back ? model.form : undefined;
  const error = (field: string) =>
    form?.errors.find((e) => e.field === `${decision}-${field}`)?.message;
  const heading = decision === 'verify' ? r.verifyHeading : r.rejectHeading;
  return (
    <form
      method="post"
      action={`/console/review/${current.signatureId}/decision`}
      class={`cm-decision cm-${decision}`}
      noValidate
      aria-labelledby={`${decision}-heading`}
      data-decision={decision}
    >
      <h4 id={`${decision}-heading`}>{heading}</h4>
      <CsrfField caller={caller} />
      <input type="hidden" name="lang" value={s.lang} />
      <input type="hidden" name="decision" value={decision} />
      {model.petitionId ? <input type="hidden" name="petitionId" value={model.petitionId} /> : null}
      <Select
        s={s}
        id={`${decision}-reasonCode`}
        name="reasonCode"
        label={t.reason}
        value={form?.reasonCode ?? ''}
        placeholder={t.validation.chooseReason}
        options={reasonCodesFor(decision).map((code) => [code, t.reasonLabels[code] ?? code])}
        error={error('reasonCode')}
      />
      <TextArea
        s={s}
        id={`${decision}-note`}
        name="note"
        label={t.note}
        hint={r.noteHint}
        value={form?.note ?? ''}
        maxLength={2000}
        rows={2}
        optional
        error={error('note')}
      />
      <button type="submit" class={decision === 'reject' ? 'warning' : undefined}>
        {decision === 'verify' ? r.verifyButton : r.rejectButton}
      </button>
    </form>
  );
}
