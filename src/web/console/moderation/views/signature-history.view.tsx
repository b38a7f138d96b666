import type { SignatureEventResponse } from '../../../../moderation/dto/review-queue.dto.js';
import type { SignatureSummary } from '../../../../moderation/signature-history.service.js';
import type { Speech } from '../../../i18n/messages.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout } from '../../views/console-layout.js';
import { ChecksTable, DASH, EventsTable, reasonName, statusName } from './parts.js';

/** One signature: what the review queue shows of it, and every change of its status. */
export function SignatureHistoryPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  signature: SignatureSummary;
  events: SignatureEventResponse[];
  names: Map<string, string>;
}) {
  const { s, signature } = props;
  const t = s.t.consoleModeration;
  const h = t.history;
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={h.title}
      switchHref={props.switchHref}
      section="review"
    >
      <h1>{h.title}</h1>
      <p class="lead">{signature.fullName || t.erased}</p>
      <dl class="cm-facts">
        <div>
          <dt>{t.petition}</dt>
          <dd>{signature.petitionTitle}</dd>
        </div>
        <div>
          <dt>{t.status}</dt>
          <dd>
            <strong>{statusName(s, signature.status)}</strong>
            {signature.reasonCode ? ` · ${reasonName(s, signature.reasonCode)}` : null}
          </dd>
        </div>
        <div>
          <dt>{t.district}</dt>
          <dd>{signature.district ?? DASH}</dd>
        </div>
        <div>
          <dt>{t.title_}</dt>
          <dd>{signature.title ?? DASH}</dd>
        </div>
        <div>
          <dt>{t.emailDomain}</dt>
          <dd>{signature.emailDomain ?? DASH}</dd>
        </div>
        <div>
          <dt>{h.origin}</dt>
          <dd>{h.origins[signature.origin] ?? signature.origin}</dd>
        </div>
        <div>
          <dt>{t.signedAt}</dt>
          <dd>{s.f.dateTime(signature.createdAt)}</dd>
        </div>
        <div>
          <dt>{t.review.riskHeading}</dt>
          <dd>{t.review.riskScore(s.f, signature.riskScore)}</dd>
        </div>
        <div>
          <dt>{t.signatureId}</dt>
          <dd>
            <code>{signature.id}</code>
          </dd>
        </div>
      </dl>
      <h2>{t.history.title}</h2>
      <p>{h.lead}</p>
      <EventsTable s={s} events={props.events} names={props.names} caption={h.title} />
      <h2>{t.review.checksHeading}</h2>
      <ChecksTable s={s} checks={signature.checks} caption={t.review.checksHeading} />
      <p>
        <a href={`/console/review?lang=${s.lang}`}>{h.back}</a>
      </p>
    </ConsoleLayout>
  );
}
