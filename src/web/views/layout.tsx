import type { ComponentChildren } from 'preact';
import { ASSETS } from '../assets.js';
import { otherLanguage, type Speech, speech } from '../i18n/messages.js';

export interface LayoutProps {
  s: Speech;
  title: string;
  /** This page in the other language. */
  switchHref: string;
  /** Load the small script that refreshes counts (true), or the same-origin script at this path. */
  script?: boolean | string;
  /** The console's navigation, under the header. */
  nav?: ComponentChildren;
  children: ComponentChildren;
}

/** The one layout: a skip link, the header with the language switch, the page, a footer. */
export function Layout({ s, title, switchHref, script, nav, children }: LayoutProps) {
  const other = speech(otherLanguage(s.lang));
  return (
    <html lang={s.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${s.t.site.name}`}</title>
        <link rel="stylesheet" href={ASSETS.css.path} />
        {script ? (
          <script src={typeof script === 'string' ? script : ASSETS.js.path} defer />
        ) : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {s.t.site.skip}
        </a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href={`/?lang=${s.lang}`}>
              {s.t.site.name}
            </a>
            <nav aria-label={s.t.site.languages}>
              <ul>
                <li>
                  <span aria-current="true">{s.t.name}</span>
                </li>
                <li>
                  <a href={switchHref} hreflang={other.lang} lang={other.lang}>
                    {other.t.name}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        {nav}
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="wrap">
          <p>{s.t.site.footer}</p>
        </footer>
      </body>
    </html>
  );
}
