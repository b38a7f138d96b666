import { ACCOUNT_ROLES, BOOTSTRAP_ADMIN_ID } from '../../../accounts/account-role.js';
import type { Speech } from '../../i18n/messages.js';
import { ErrorSummary, type PageFieldError, TextField } from '../../views/form-parts.js';
import type { ConsoleCaller } from '../console-auth.js';
import { ConsoleLayout, CsrfField } from '../views/console-layout.js';

export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  role: string;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface NewAccountForm {
  values: { email?: string; displayName?: string; role?: string };
  errors: PageFieldError[];
}

interface AccountsPageProps {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  accounts: AccountRow[];
  nextCursor: string | null;
  paged: boolean;
  form: NewAccountForm;
  notice?: string;
}

/** Admins: every account, with its actions, and the form to create one. */
export function AccountsPage(props: AccountsPageProps) {
  const { s, caller, form } = props;
  const t = s.t.consoleAccounts;
  const roles = s.t.console.roles;
  const actionLabel = (action: 'token' | 'sessions' | 'deactivate') =>
    action === 'token' ? t.newToken : action === 'sessions' ? t.endSessions : t.deactivate;
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={t.title}
      switchHref={props.switchHref}
      section="accounts"
    >
      <h1>{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {props.notice ? (
        <div class="notice" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      {props.accounts.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="cards">
          {props.accounts.map((account) => (
            <li class="card">
              <h2 class="card-title">{account.displayName}</h2>
              <dl class="facts">
                <dt>{t.email}</dt>
                <dd>{account.email}</dd>
                <dt>{t.role}</dt>
                <dd>{roles[account.role] ?? account.role}</dd>
                <dt>{t.created}</dt>
                <dd>{s.f.date(account.createdAt)}</dd>
                <dt>{t.state}</dt>
                <dd>
                  {account.deactivatedAt
                    ? t.deactivated(s.f.date(account.deactivatedAt))
                    : t.active}
                </dd>
              </dl>
              {account.id === BOOTSTRAP_ADMIN_ID ? (
                <p class="small muted">{t.bootstrap}</p>
              ) : account.deactivatedAt || account.id === caller.session.accountId ? null : (
                <div class="actions">
                  {(['token', 'sessions', 'deactivate'] as const).map((action) => (
                    <form
                      method="post"
                      action={`/console/accounts/${account.id}/${action}?lang=${s.lang}`}
                      class="inline"
                    >
                      <CsrfField caller={caller} />
                      <button
                        type="submit"
                        class={action === 'deactivate' ? 'warning' : 'secondary'}
                        aria-label={`${actionLabel(action)}: ${account.displayName}`}
                      >
                        {actionLabel(action)}
                      </button>
                    </form>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="pager">
        {props.nextCursor ? (
          <a
            href={`/console/accounts?lang=${s.lang}&cursor=${encodeURIComponent(props.nextCursor)}`}
          >
            {t.more}
          </a>
        ) : null}
        {props.paged ? (
          <>
            {props.nextCursor ? ' · ' : null}
            <a href={`/console/accounts?lang=${s.lang}`}>{t.first}</a>
          </>
        ) : null}
      </p>
      <section aria-labelledby="create-title">
        <h2 id="create-title">{t.createTitle}</h2>
        <ErrorSummary s={s} errors={form.errors} />
        <form method="post" action={`/console/accounts?lang=${s.lang}`} class="sign" noValidate>
          <CsrfField caller={caller} />
          <TextField
            s={s}
            name="email"
            type="email"
            label={t.email}
            hint={t.createHint}
            value={form.values.email ?? ''}
            error={form.errors.find((e) => e.field === 'email')?.message}
            maxLength={254}
          />
          <TextField
            s={s}
            name="displayName"
            label={t.displayName}
            value={form.values.displayName ?? ''}
            error={form.errors.find((e) => e.field === 'displayName')?.message}
            maxLength={200}
          />
          <div class={form.errors.some((e) => e.field === 'role') ? 'field invalid' : 'field'}>
            <label for="role">{t.role}</label>
            {form.errors
              .filter((e) => e.field === 'role')
              .map((e) => (
                <span class="error-message" id="role-error">
                  {e.message}
                </span>
              ))}
            <select id="role" name="role">
              {ACCOUNT_ROLES.map((role) => (
                <option value={role} selected={form.values.role === role}>
                  {roles[role] ?? role}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t.create}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

/** A token, shown once: after creating an account or giving it a new one. */
export function TokenPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  title: string;
  account: AccountRow;
  token: string;
  lines: string[];
}) {
  const { s } = props;
  const t = s.t.consoleAccounts;
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={props.title}
      switchHref={props.switchHref}
      section="accounts"
    >
      <h1>{props.title}</h1>
      <p class="lead">
        {props.account.displayName} · {props.account.email}
      </p>
      {props.lines.map((line) => (
        <p>{line}</p>
      ))}
      <div class="field">
        <label for="token">{t.tokenLabel}</label>
        <input
          id="token"
          type="text"
          readOnly
          value={props.token}
          class="token"
          spellcheck={false}
        />
      </div>
      <p>
        <a href={`/console/accounts?lang=${s.lang}`}>{t.back}</a>
      </p>
    </ConsoleLayout>
  );
}
