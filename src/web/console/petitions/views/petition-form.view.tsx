import { Eligibility, MailLanguage } from '../../../../petitions/petition-status.js';
import type { Speech } from '../../../i18n/messages.js';
import { ErrorSummary, type PageFieldError, TextField } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import {
  PETITION_FIELD_MAX,
  type PetitionFormField,
  type PetitionFormValues,
} from '../petition-form.js';
import { Checkbox, Field, RadioGroup, describedBy } from './fields.js';

export interface PetitionFormPageProps {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  /** Null for a new petition; else the draft being edited. */
  petitionId: string | null;
  values: PetitionFormValues;
  errors: PageFieldError[];
  registers: Array<{ id: string; name: string }>;
  /** Shown above the form: the draft was just copied from a rejected petition. */
  copied?: boolean;
}

/** Create a petition, or edit a draft: one form, fields named as the JSON API names them. */
export function PetitionFormPage(props: PetitionFormPageProps) {
  const { s, values, errors } = props;
  const t = s.t.consolePetitions.form;
  const creating = props.petitionId === null;
  const title = creating ? t.newTitle : t.editTitle;
  const error = (name: PetitionFormField) => errors.find((e) => e.field === name)?.message;
  const action = creating
    ? `/console/petitions/new?lang=${s.lang}`
    : `/console/petitions/${props.petitionId}/edit?lang=${s.lang}`;
  const cancel = creating
    ? `/console/petitions?lang=${s.lang}`
    : `/console/petitions/${props.petitionId}?lang=${s.lang}`;
  const registerKnown =
    values.registerId === '' || props.registers.some((r) => r.id === values.registerId);
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={title}
      switchHref={props.switchHref}
      section="petitions"
    >
      <h1>{title}</h1>
      {props.copied ? (
        <div class="notice" role="status">
          <p class="last">{t.copiedNotice}</p>
        </div>
      ) : null}
      <p class="lead">{creating ? t.newLead : t.editLead}</p>
      <ErrorSummary s={s} errors={errors} />
      <form method="post" action={action} class="sign petition-form" noValidate>
        <CsrfField caller={props.caller} />
        <TextField
          s={s}
          name="title"
          label={t.title}
          hint={t.titleHint}
          value={values.title}
          error={error('title')}
          maxLength={PETITION_FIELD_MAX.title}
        />
        <Field s={s} name="body" label={t.body} hint={t.bodyHint} error={error('body')}>
          <textarea
            id="body"
            name="body"
            rows={12}
            maxLength={PETITION_FIELD_MAX.body}
            required
            aria-describedby={describedBy('body', t.bodyHint, error('body'))}
            aria-invalid={error('body') ? 'true' : undefined}
          >
            {values.body}
          </textarea>
        </Field>
        <TextField
          s={s}
          name="addressee"
          label={t.addressee}
          hint={t.addresseeHint}
          value={values.addressee}
          error={error('addressee')}
          maxLength={PETITION_FIELD_MAX.addressee}
        />
        <Field
          s={s}
          name="signatureGoal"
          label={t.signatureGoal}
          hint={t.signatureGoalHint}
          error={error('signatureGoal')}
          optional
        >
          <input
            type="text"
            inputMode="numeric"
            class="short"
            id="signatureGoal"
            name="signatureGoal"
            value={values.signatureGoal}
            maxLength={20}
            spellcheck={false}
            aria-describedby={describedBy(
              'signatureGoal',
              t.signatureGoalHint,
              error('signatureGoal'),
            )}
            aria-invalid={error('signatureGoal') ? 'true' : undefined}
          />
        </Field>
        <Field
          s={s}
          name="closesAt"
          label={t.closesAt}
          hint={t.closesAtHint}
          error={error('closesAt')}
          optional
        >
          <input
            type="datetime-local"
            class="short"
            id="closesAt"
            name="closesAt"
            value={values.closesAt}
            aria-describedby={describedBy('closesAt', t.closesAtHint, error('closesAt'))}
            aria-invalid={error('closesAt') ? 'true' : undefined}
          />
        </Field>
        <Checkbox
          name="requireEmailConfirmation"
          label={t.requireEmailConfirmation}
          hint={`${t.requireEmailConfirmationHint} ${s.t.consolePetitions.warnings.no_email_confirmation}`}
          checked={values.requireEmailConfirmation}
        />
        <Field
          s={s}
          name="registerId"
          label={t.registerId}
          hint={t.registerIdHint}
          error={error('registerId')}
          optional
        >
          <select
            id="registerId"
            name="registerId"
            aria-describedby={describedBy('registerId', t.registerIdHint, error('registerId'))}
            aria-invalid={error('registerId') ? 'true' : undefined}
          >
            <option value="" selected={values.registerId === ''}>
              {t.registerNone}
            </option>
            {props.registers.map((register) => (
              <option value={register.id} selected={register.id === values.registerId}>
                {register.name}
              </option>
            ))}
            {registerKnown ? null : (
              <option value={values.registerId} selected>
                {values.registerId}
              </option>
            )}
          </select>
        </Field>
        <RadioGroup
          name="eligibility"
          legend={t.eligibility}
          hint={t.eligibilityHint}
          error={error('eligibility')}
          value={values.eligibility}
          options={[
            { value: Eligibility.Review, label: t.eligibilityReview },
            { value: Eligibility.Strict, label: t.eligibilityStrict },
          ]}
        />
        <RadioGroup
          name="language"
          legend={t.language}
          hint={t.languageHint}
          error={error('language')}
          value={values.language}
          options={Object.values(MailLanguage).map((lang) => ({
            value: lang,
            label: t.languages[lang] ?? lang,
          }))}
        />
        <p class="actions">
          <button type="submit">{creating ? t.saveNew : t.save}</button>{' '}
          <a href={cancel}>{t.cancel}</a>
        </p>
      </form>
    </ConsoleLayout>
  );
}
