import { SIGNER_FIELD_LIMITS } from '../../signatures/dto/signature-fields.js';
import type { Speech } from '../i18n/messages.js';
import { ErrorSummary, type PageFieldError, TextField } from './form-parts.js';

/** What the signer typed, shown again when the form comes back with a problem. */
export interface SignFormState {
  values: {
    fullName?: string;
    email?: string;
    district?: string;
    title?: string;
    comment?: string;
    displayPublicly?: boolean;
  };
  errors: PageFieldError[];
  /**
   * Signing through a register invitation: its token goes back as a hidden field, and the
   * invited person's name and district are shown instead of the fields they fill in.
   */
  invitation?: { token: string; fullName: string; district: string | null };
}

export const EMPTY_SIGN_FORM: SignFormState = { values: {}, errors: [] };

export interface SignFormProps {
  s: Speech;
  slug: string;
  /** The anti-forgery token (or, in a cached page, the placeholder that stands for it). */
  formToken: string;
  state: SignFormState;
}

/**
 * The sign form: a plain POST that works without JavaScript. Fields are named as in the JSON API.
 * Labels, hints and messages are tied to each input, and the first problem is linked from the
 * summary at the top.
 */
export function SignForm({ s, slug, formToken, state }: SignFormProps) {
  const { t } = s;
  const v = state.values;
  const error = (field: string) => state.errors.find((e) => e.field === field)?.message;
  const field = (name: keyof typeof SIGNER_FIELD_LIMITS) => ({
    s,
    name,
    value: v[name] ?? '',
    error: error(name),
    maxLength: SIGNER_FIELD_LIMITS[name].maxLength,
  });
  return (
    <section aria-labelledby="sign-title">
      <h2 id="sign-title">{t.sign.heading}</h2>
      <ErrorSummary s={s} errors={state.errors} />
      <form class="sign" method="post" action={`/petitions/${slug}/sign`} noValidate>
        <input type="hidden" name="formToken" value={formToken} />
        <input type="hidden" name="lang" value={s.lang} />
        {state.invitation ? (
          <div class="invited">
            <input type="hidden" name="invitation" value={state.invitation.token} />
            <p>
              <strong>
                {t.sign.invitedAs(state.invitation.fullName, state.invitation.district)}
              </strong>
            </p>
            <p class="hint">{t.sign.invitedHint}</p>
          </div>
        ) : (
          <>
            <TextField
              {...field('fullName')}
              label={t.sign.fullName}
              hint={t.sign.fullNameHint}
              autocomplete="name"
            />
            <TextField
              {...field('email')}
              type="email"
              label={t.sign.email}
              hint={t.sign.emailHint}
              autocomplete="email"
            />
            <TextField
              {...field('district')}
              optional
              label={t.sign.district}
              hint={t.sign.districtHint}
            />
          </>
        )}
        <TextField
          {...field('title')}
          optional
          label={t.sign.title}
          hint={t.sign.titleHint}
          autocomplete="organization-title"
        />
        <div class="field">
          <div class="check">
            <input
              type="checkbox"
              id="displayPublicly"
              name="displayPublicly"
              value="true"
              checked={v.displayPublicly === true}
              aria-describedby="displayPublicly-hint"
            />
            <label for="displayPublicly">{t.sign.displayPublicly}</label>
          </div>
          <span class="hint" id="displayPublicly-hint">
            {t.sign.displayPubliclyHint}
          </span>
        </div>
        <TextField
          {...field('comment')}
          optional
          multiline
          label={t.sign.comment}
          hint={t.sign.commentHint}
        />
        <div class="privacy">
          <h3>{t.sign.privacyTitle}</h3>
          <ul class="small">
            {t.sign.privacy.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </div>
        <button type="submit">{t.sign.submit}</button>
      </form>
    </section>
  );
}
