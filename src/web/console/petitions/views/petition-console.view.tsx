import type { Petition } from '../../../../petitions/petition.entity.js';
import { PetitionStatus } from '../../../../petitions/petition-status.js';
import type { PetitionWarning } from '../../../../petitions/petition-warnings.js';
import type { SignerCommentResponse } from '../../../../signatures/dto/signer-comment.response.js';
import type { Speech } from '../../../i18n/messages.js';
import { type ChartPoint, CountChart } from '../../../views/count-chart.js';
import { ErrorSummary, type PageFieldError } from '../../../views/form-parts.js';
import { paragraphs } from '../../../views/petition.view.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import { Comments, DecisionForms, ImportForm, reasonText } from './petition-sections.js';

/** What the caller may do with the petition now: its role and the petition's status decide. */
export interface PetitionActions {
  edit: boolean;
  submit: boolean;
  close: boolean;
  copy: boolean;
  decide: boolean;
  import: boolean;
  /** Send register invitations: open, with a register. */
  invite: boolean;
}

export interface PetitionConsoleModel {
  petition: Petition;
  counts: { verified: number; beingChecked: number; rejected: number; withdrawn: number };
  /** Over time, once the petition has opened. */
  chart: ChartPoint[] | null;
  /** The register's name; null for none; undefined when it no longer exists. */
  registerName: string | null | undefined;
  warnings: PetitionWarning[];
  comments: { items: SignerCommentResponse[]; nextCursor: string | null };
  commentsCursor: string | null;
  actions: PetitionActions;
  importMaxRows: number;
}

export interface PetitionConsolePageProps {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  model: PetitionConsoleModel;
  /** What just happened (after a redirect), already worded. */
  notice?: string;
  /** A form on this page sent back: the decision's fields, or the import's file. */
  errors?: PageFieldError[];
  decisionValues?: { reasonCode: string; note: string };
}

/** A petition as its organiser and the moderators see it: state, counts, actions, comments. */
export function PetitionConsolePage(props: PetitionConsolePageProps) {
  const { s, model } = props;
  const { petition, actions } = model;
  const t = s.t.consolePetitions;
  const errors = props.errors ?? [];
  const base = `/console/petitions/${petition.id}`;
  const isPublic =
    petition.status === PetitionStatus.Open || petition.status === PetitionStatus.Closed;
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={petition.title}
      switchHref={props.switchHref}
      section="petitions"
      script={petition.status === PetitionStatus.Open}
    >
      <article
        data-counts-url={
          petition.status === PetitionStatus.Open
            ? `/v1/petitions/${petition.id}/counts`
            : undefined
        }
      >
        <h1>{petition.title}</h1>
        <p>
          {t.statusLabel}:{' '}
          <strong class={`status status-${petition.status}`}>{t.statuses[petition.status]}</strong>
          {isPublic ? (
            <>
              {' · '}
              <a href={`/petitions/${petition.slug}?lang=${s.lang}`}>{t.detail.publicLink}</a>
            </>
          ) : null}
        </p>
        {props.notice ? (
          <div class="notice" role="status">
            <p class="last">{props.notice}</p>
          </div>
        ) : null}
        <ErrorSummary s={s} errors={errors} />
        {model.warnings.length > 0 ? (
          <div class="warning-panel" role="note" aria-labelledby="warnings-title">
            <h2 id="warnings-title">{t.warningsTitle}</h2>
            {model.warnings.map((code) => (
              <p>{t.warnings[code]}</p>
            ))}
          </div>
        ) : null}
        {petition.status === PetitionStatus.Rejected ? (
          <Rejected s={s} caller={props.caller} petition={petition} copy={actions.copy} />
        ) : null}
        {actions.decide ? (
          <DecisionForms
            s={s}
            caller={props.caller}
            petitionId={petition.id}
            errors={errors}
            values={props.decisionValues ?? { reasonCode: '', note: '' }}
          />
        ) : null}
        {actions.edit || actions.submit || actions.close ? (
          <section aria-labelledby="actions-title">
            <h2 id="actions-title">{t.detail.actionsTitle}</h2>
            {actions.edit ? (
              <p>
                <a class="button-link secondary" href={`${base}/edit?lang=${s.lang}`}>
                  {t.detail.edit}
                </a>
              </p>
            ) : null}
            {actions.submit ? (
              <form method="post" action={`${base}/submit?lang=${s.lang}`}>
                <CsrfField caller={props.caller} />
                <p class="hint" id="submit-hint">
                  {t.detail.submitHint}
                </p>
                <button type="submit" aria-describedby="submit-hint">
                  {t.detail.submit}
                </button>
              </form>
            ) : null}
            {actions.close ? (
              <p>
                <a class="button-link secondary" href={`${base}/close?lang=${s.lang}`}>
                  {t.detail.close}
                </a>
              </p>
            ) : null}
          </section>
        ) : null}
        <section aria-labelledby="counts-title">
          <h2 id="counts-title">{t.detail.countsTitle}</h2>
          <div class="counts">
            <dl>
              <div>
                <dt>{t.counts.verified}</dt>
                <dd class="big" data-count="verified">
                  {s.f.number(model.counts.verified)}
                </dd>
              </div>
              <div>
                <dt>{t.counts.beingChecked}</dt>
                <dd data-count="beingChecked">{s.f.number(model.counts.beingChecked)}</dd>
              </div>
              <div>
                <dt>{t.counts.rejected}</dt>
                <dd data-count="rejected">{s.f.number(model.counts.rejected)}</dd>
              </div>
              <div>
                <dt>{t.counts.withdrawn}</dt>
                <dd data-count="withdrawn">{s.f.number(model.counts.withdrawn)}</dd>
              </div>
            </dl>
            <p class="small muted">{t.detail.countsNote}</p>
          </div>
          {model.chart ? (
            <>
              <h3>{s.t.petition.chartTitle}</h3>
              <CountChart s={s} points={model.chart} />
            </>
          ) : null}
        </section>
        <Details s={s} model={model} />
        {actions.import ? (
          <ImportForm
            s={s}
            caller={props.caller}
            petitionId={petition.id}
            maxRows={model.importMaxRows}
            error={errors.find((e) => e.field === 'file')?.message}
          />
        ) : null}
        {actions.invite ? (
          <section aria-labelledby="invite-title">
            <h2 id="invite-title">{t.invite.title}</h2>
            <p>{t.invite.lead}</p>
            <form method="post" action={`${base}/invitations?lang=${s.lang}`}>
              <CsrfField caller={props.caller} />
              <button type="submit">{t.invite.submit}</button>
            </form>
          </section>
        ) : null}
        {/* A petition that never opened has no signatures to download or comments to read. */}
        {petition.openedAt ? (
          <>
            <section aria-labelledby="export-title">
              <h2 id="export-title">{t.detail.exportTitle}</h2>
              <p>
                <a href={`${base}/signatures.csv`} download>
                  {t.detail.exportLink}
                </a>
              </p>
              <p class="hint">{t.detail.exportHint}</p>
            </section>
            <Comments
              s={s}
              petitionId={petition.id}
              page={model.comments}
              cursor={model.commentsCursor}
            />
          </>
        ) : null}
      </article>
    </ConsoleLayout>
  );
}

function Rejected(props: { s: Speech; caller: ConsoleCaller; petition: Petition; copy: boolean }) {
  const { s, petition } = props;
  const t = s.t.consolePetitions.detail;
  return (
    <section aria-labelledby="rejected-title" class="rejected-panel">
      <h2 id="rejected-title">{t.rejectedTitle}</h2>
      <dl class="summary">
        <div>
          <dt>{t.reason}</dt>
          <dd>{petition.decisionReasonCode ? reasonText(s, petition.decisionReasonCode) : '—'}</dd>
        </div>
        {petition.decisionNote ? (
          <div>
            <dt>{t.note}</dt>
            <dd class="pre">{petition.decisionNote}</dd>
          </div>
        ) : null}
      </dl>
      {props.copy ? (
        <form method="post" action={`/console/petitions/${petition.id}/copy?lang=${s.lang}`}>
          <CsrfField caller={props.caller} />
          <p class="hint" id="copy-hint">
            {t.copyHint}
          </p>
          <button type="submit" aria-describedby="copy-hint">
            {t.copy}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Details({ s, model }: { s: Speech; model: PetitionConsoleModel }) {
  const { petition } = model;
  const t = s.t.consolePetitions;
  const d = t.detail;
  const rows: Array<[string, string]> = [
    [d.addressee, petition.addressee],
    [
      d.signatureGoal,
      petition.signatureGoal === null ? d.noGoal : s.f.number(petition.signatureGoal),
    ],
    [d.closesAt, petition.closesAt ? s.f.dateTime(petition.closesAt) : d.noClosing],
    [d.emailConfirmation, petition.requireEmailConfirmation ? d.yes : d.no],
    [
      d.register,
      model.registerName === null ? d.noRegister : (model.registerName ?? d.unknownRegister),
    ],
  ];
  if (petition.registerId) {
    rows.push([
      d.eligibility,
      petition.eligibility === 'strict' ? t.form.eligibilityStrict : t.form.eligibilityReview,
    ]);
  }
  rows.push(
    [t.form.language, t.form.languages[petition.language] ?? petition.language],
    [d.created, s.f.dateTime(petition.createdAt)],
  );
  if (petition.openedAt) rows.push([d.opened, s.f.dateTime(petition.openedAt)]);
  if (petition.closedAt) rows.push([d.closed, s.f.dateTime(petition.closedAt)]);
  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{d.details}</h2>
      <dl class="summary">
        {rows.map(([term, value]) => (
          <div>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{d.text}</h3>
      <div class="body">
        {paragraphs(petition.body).map((p) => (
          <p>{p}</p>
        ))}
      </div>
    </section>
  );
}
