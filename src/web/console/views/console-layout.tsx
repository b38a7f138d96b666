import type { ComponentChildren } from 'preact';
import { AccountRole } from '../../../accounts/account-role.js';
import type { Speech } from '../../i18n/messages.js';
import { Layout } from '../../views/layout.js';
import type { ConsoleCaller } from '../console-auth.js';

export type ConsoleSection =
  | 'home'
  | 'petitions'
  | 'review'
  | 'invalidations'
  | 'registers'
  | 'blocks'
  | 'alerts'
  | 'accounts';

export interface ConsoleLayoutProps {
  s: Speech;
  caller: ConsoleCaller;
  title: string;
  switchHref: string;
  section: ConsoleSection;
  /** The counts script (true), or a page's own same-origin script (an asset's path). */
  script?: boolean | string;
  children: ComponentChildren;
}

/** The anti-forgery field every console form that changes something carries. */
export function CsrfField({ caller }: { caller: ConsoleCaller }) {
  return <input type="hidden" name="_csrf" value={caller.csrfToken} />;
}

/** The public layout, with the console's navigation: each role sees only its own sections. */
export function ConsoleLayout({
  s,
  caller,
  title,
  switchHref,
  section,
  script,
  children,
}: ConsoleLayoutProps) {
  const t = s.t.console;
  const role = caller.session.role;
  const moderates = role === AccountRole.Moderator || role === AccountRole.Admin;
  const links: Array<[ConsoleSection | 'queues', string, string, boolean]> = [
    ['home', '/console', t.home, true],
    ['petitions', '/console/petitions', t.petitions, true],
    ['review', '/console/review', t.review, moderates],
    ['invalidations', '/console/invalidations', t.invalidations, moderates],
    ['registers', '/console/registers', t.registers, moderates],
    ['blocks', '/console/blocks', s.t.consoleAbuse.nav.blocks, moderates],
    ['alerts', '/console/alerts', s.t.consoleAbuse.nav.alerts, moderates],
    ['accounts', '/console/accounts', t.accounts, role === AccountRole.Admin],
    ['queues', '/admin/queues', t.queues, role === AccountRole.Admin],
  ];
  const nav = (
    <nav class="console-nav" aria-label={t.nav}>
      <div class="wrap">
        <ul>
          {links
            .filter(([, , , shown]) => shown)
            .map(([key, href, label]) => (
              <li>
                <a
                  href={`${href}?lang=${s.lang}`}
                  aria-current={key === section ? 'page' : undefined}
                >
                  {label}
                </a>
              </li>
            ))}
        </ul>
        <form method="post" action={`/console/sign-out?lang=${s.lang}`} class="inline">
          <CsrfField caller={caller} />
          <span class="small">
            {t.signedInAs(caller.session.displayName, t.roles[role] ?? role)}
          </span>{' '}
          <button type="submit" class="secondary">
            {t.signOut}
          </button>
        </form>
      </div>
    </nav>
  );
  return (
    <Layout s={s} title={`${title} · ${t.name}`} switchHref={switchHref} nav={nav} script={script}>
      {children}
    </Layout>
  );
}
