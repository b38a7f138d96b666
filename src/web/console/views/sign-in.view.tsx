import type { Speech } from '../../i18n/messages.js';
import { ErrorSummary, type PageFieldError, TextField } from '../../views/form-parts.js';
import { Layout } from '../../views/layout.js';

/** The sign-in form: one question, the account's email address. */
export function SignInPage(props: {
  s: Speech;
  switchHref: string;
  formToken: string;
  email: string;
  errors: PageFieldError[];
  notice?: string;
}) {
  const { s } = props;
  const t = s.t.console.signIn;
  return (
    <Layout s={s} title={t.title} switchHref={props.switchHref}>
      <h1>{t.title}</h1>
      {props.notice ? (
        <div class="notice" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <p class="lead">{t.lead}</p>
      <ErrorSummary s={s} errors={props.errors} />
      <form method="post" action="/console/sign-in" class="sign" noValidate>
        <input type="hidden" name="formToken" value={props.formToken} />
        <input type="hidden" name="lang" value={s.lang} />
        <TextField
          s={s}
          name="email"
          type="email"
          label={t.email}
          hint={t.emailHint}
          value={props.email}
          error={props.errors.find((e) => e.field === 'email')?.message}
          autocomplete="email"
          maxLength={254}
        />
        <button type="submit">{t.submit}</button>
      </form>
    </Layout>
  );
}

/** What a sign-in link opens: one button, so a mail scanner following the link signs no one in. */
export function SignInLinkPage(props: {
  s: Speech;
  switchHref: string;
  formToken: string;
  token: string;
}) {
  const { s } = props;
  const t = s.t.console.signIn;
  return (
    <Layout s={s} title={t.linkTitle} switchHref={props.switchHref}>
      <h1>{t.linkTitle}</h1>
      <p class="lead">{t.linkLead}</p>
      <form method="post" action="/console/sign-in/link">
        <input type="hidden" name="formToken" value={props.formToken} />
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="lang" value={s.lang} />
        <button type="submit">{t.linkButton}</button>
      </form>
    </Layout>
  );
}
