import { PETITION_REASON_CODES } from '../../../../petitions/petition-status.js';
import type { SignerCommentResponse } from '../../../../signatures/dto/signer-comment.response.js';
import type { Speech } from '../../../i18n/messages.js';
import type { PageFieldError } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { CsrfField } from '../../views/console-layout.js';
import { describedBy, Field } from './fields.js';

const REASON_CODES = Object.keys(PETITION_REASON_CODES);

/** A moderator's two choices for a submitted petition: approve it, or reject it with a reason. */
export function DecisionForms(props: {
  s: Speech;
  caller: ConsoleCaller;
  petitionId: string;
  errors: PageFieldError[];
  values: { reasonCode: string; note: string };
}) {
  const { s, errors, values } = props;
  const t = s.t.consolePetitions.decision;
  const action = `/console/petitions/${props.petitionId}/decision?lang=${s.lang}`;
  const error = (name: string) => errors.find((e) => e.field === name)?.message;
  return (
    <section aria-labelledby="decision-title" class="panel">
      <h2 id="decision-title">{t.title}</h2>
      <h3>{t.approveTitle}</h3>
      <p>{t.approveLead}</p>
      <form method="post" action={action}>
        <CsrfField caller={props.caller} />
        <input type="hidden" name="decision" value="approve" />
        <button type="submit">{t.approve}</button>
      </form>
      <h3>{t.rejectTitle}</h3>
      <form method="post" action={action} noValidate>
        <CsrfField caller={props.caller} />
        <input type="hidden" name="decision" value="reject" />
        <Field
          s={s}
          name="reasonCode"
          label={t.reasonCode}
          hint={t.reasonCodeHint}
          error={error('reasonCode')}
        >
          <select
            id="reasonCode"
            name="reasonCode"
            required
            aria-describedby={describedBy('reasonCode', t.reasonCodeHint, error('reasonCode'))}
            aria-invalid={error('reasonCode') ? 'true' : undefined}
          >
            <option value="" selected={values.reasonCode === ''}>
              {t.reasonChoose}
            </option>
            {REASON_CODES.map((code) => (
              <option value={code} selected={code === values.reasonCode}>
                {reasonText(s, code)}
              </option>
            ))}
          </select>
        </Field>
        <Field s={s} name="note" label={t.note} hint={t.noteHint} error={error('note')} optional>
          <textarea
            id="note"
            name="note"
            rows={4}
            maxLength={2000}
            aria-describedby={describedBy('note', t.noteHint, error('note'))}
            aria-invalid={error('note') ? 'true' : undefined}
          >
            {values.note}
          </textarea>
        </Field>
        <button type="submit" class="warning">
          {t.reject}
        </button>
      </form>
    </section>
  );
}

/** A petition reason code in the page's words; a code this catalogue lacks shows as itself. */
export function reasonText(s: Speech, code: string): string {
  return (s.t.consolePetitions.reasons as Record<string, string>)[code] ?? code;
}

/** The upload of a CSV of signatures received elsewhere: a file, sent as multipart/form-data. */
export function ImportForm(props: {
  s: Speech;
  caller: ConsoleCaller;
  petitionId: string;
  maxRows: number;
  error?: string;
}) {
  const { s } = props;
  const t = s.t.consolePetitions.detail;
  const hint = t.importFileHint(s.f, props.maxRows);
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t.importTitle}</h2>
      <p>{t.importLead}</p>
      <form
        method="post"
        action={`/console/petitions/${props.petitionId}/import?lang=${s.lang}`}
        enctype="multipart/form-data"
        noValidate
      >
        <CsrfField caller={props.caller} />
        <Field s={s} name="file" label={t.importFile} hint={hint} error={props.error}>
          <input
            type="file"
            id="file"
            name="file"
            accept=".csv,text/csv"
            required
            aria-describedby={describedBy('file', hint, props.error)}
            aria-invalid={props.error ? 'true' : undefined}
          />
        </Field>
        <button type="submit">{t.importButton}</button>
      </form>
    </section>
  );
}

/** What signers wrote to the organiser: for the organiser and moderators, never public. */
export function Comments(props: {
  s: Speech;
  petitionId: string;
  page: { items: SignerCommentResponse[]; nextCursor: string | null };
  cursor: string | null;
}) {
  const { s, page } = props;
  const t = s.t.consolePetitions.detail;
  const base = `/console/petitions/${props.petitionId}?lang=${s.lang}`;
  return (
    <section aria-labelledby="comments">
      <h2 id="comments">{t.commentsTitle}</h2>
      <p class="muted">{t.commentsLead}</p>
      {page.items.length === 0 ? (
        <p>{props.cursor ? null : t.commentsEmpty}</p>
      ) : (
        <ul class="comments">
          {page.items.map((item) => (
            <li>
              <p class="small">
                <strong>{item.fullName}</strong>{' '}
                <span class="muted">
                  · {t.signatureStatuses[item.status] ?? item.status} ·{' '}
                  {t.signedOn(s.f.dateTime(item.createdAt))}
                </span>
              </p>
              <blockquote>
                <p>{item.comment}</p>
              </blockquote>
            </li>
          ))}
        </ul>
      )}
      <p class="pager">
        {page.nextCursor ? (
          <a href={`${base}&comments=${encodeURIComponent(page.nextCursor)}#comments`}>
            {t.commentsMore}
          </a>
        ) : null}
        {props.cursor && page.nextCursor ? ' · ' : null}
        {props.cursor ? <a href={`${base}#comments`}>{t.commentsFirst}</a> : null}
      </p>
    </section>
  );
}
