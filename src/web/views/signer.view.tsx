import type { SignerSignature } from '../../signatures/signer-actions.service.js';
import type { Speech } from '../i18n/messages.js';
import { Layout } from './layout.js';

interface SignerPageProps {
  s: Speech;
  token: string;
  signature: SignerSignature;
  switchHref: string;
}

function petitionLink(s: Speech, signature: SignerSignature) {
  return (
    <p>
      <a href={`/petitions/${signature.petition.slug}?lang=${s.lang}`}>
        {s.t.signer.back(signature.petition.title)}
      </a>
    </p>
  );
}

/** A form with one button that posts the token: works without JavaScript. */
function TokenButton({
  s,
  token,
  action,
}: {
  s: Speech;
  token: string;
  action: 'confirm' | 'withdraw';
}) {
  return (
    <form method="post" action={`/signatures/${action}`}>
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="lang" value={s.lang} />
      <button type="submit" class={action === 'withdraw' ? 'warning' : undefined}>
        {action === 'confirm' ? s.t.signer.confirmButton : s.t.signer.withdrawButton}
      </button>
    </form>
  );
}

/** The page a mail link opens: what it is about, and one button. Opening it changes nothing. */
export function SignerActionPage(props: SignerPageProps & { action: 'confirm' | 'withdraw' }) {
  const { s, token, signature, action, switchHref } = props;
  const t = s.t.signer;
  const title = action === 'confirm' ? t.confirmTitle : t.withdrawTitle;
  return (
    <Layout s={s} title={title} switchHref={switchHref}>
      <h1>{title}</h1>
      <p class="lead">
        {action === 'confirm'
          ? t.confirmLead(signature.petition.title)
          : t.withdrawLead(signature.petition.title)}
      </p>
      {action === 'withdraw' ? <p>{t.withdrawText}</p> : null}
      <TokenButton s={s} token={token} action={action} />
      {petitionLink(s, signature)}
    </Layout>
  );
}

/** The signature's state in words, why if it was rejected, and a withdraw button while it can be. */
export function SignerStatusPage(props: SignerPageProps & { note: string | null }) {
  const { s, token, signature, note, switchHref } = props;
  const t = s.t.signer;
  const reason = signature.reasonCode ? s.t.reasons[signature.reasonCode] : undefined;
  const showReason = reason && signature.status === 'rejected';
  return (
    <Layout s={s} title={t.statusTitle} switchHref={switchHref}>
      <h1>{t.statusTitle}</h1>
      {note ? (
        <div class="notice" role="status">
          <p>{note}</p>
        </div>
      ) : null}
      <p class="lead">{t.statusLead(signature.petition.title)}</p>
      <dl>
        <dt>
          <strong>{t.current}</strong>
        </dt>
        <dd>{s.t.status[signature.status]}</dd>
        {showReason ? (
          <>
            <dt>
              <strong>{t.reason}</strong>
            </dt>
            <dd>{reason}</dd>
          </>
        ) : null}
      </dl>
      {signature.confirmable ? <TokenButton s={s} token={token} action="confirm" /> : null}
      {signature.withdrawable ? (
        <>
          <h2>{t.withdrawTitle}</h2>
          <p>{t.withdrawText}</p>
          <TokenButton s={s} token={token} action="withdraw" />
        </>
      ) : null}
      {petitionLink(s, signature)}
    </Layout>
  );
}
