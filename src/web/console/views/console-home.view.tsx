import { AccountRole } from '../../../accounts/account-role.js';
import type { Speech } from '../../i18n/messages.js';
import type { ConsoleCaller } from '../console-auth.js';
import { ConsoleLayout } from './console-layout.js';

/** Where each role starts: a short list of what it can do here. */
export function ConsoleHomePage({
  s,
  caller,
  switchHref,
}: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
}) {
  const t = s.t.console;
  const role = caller.session.role;
  const moderates = role === AccountRole.Moderator || role === AccountRole.Admin;
  const items: Array<[string, string]> = [[`/console/petitions?lang=${s.lang}`, t.petitions]];
  if (moderates) {
    items.push(
      [`/console/review?lang=${s.lang}`, t.review],
      [`/console/invalidations?lang=${s.lang}`, t.invalidations],
      [`/console/registers?lang=${s.lang}`, t.registers],
    );
  }
  if (role === AccountRole.Admin) items.push([`/console/accounts?lang=${s.lang}`, t.accounts]);
  return (
    <ConsoleLayout s={s} caller={caller} title={t.homeTitle} switchHref={switchHref} section="home">
      <h1>{t.homeTitle}</h1>
      <p class="lead">{t.homeLead(caller.session.displayName)}</p>
      <ul>
        {items.map(([href, label]) => (
          <li>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
      <p class="small muted">{t.sessionUntil(s.f.dateTime(caller.session.expiresAt))}</p>
    </ConsoleLayout>
  );
}
