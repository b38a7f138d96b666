import type { ComponentChildren } from 'preact';
import type { Speech } from '../i18n/messages.js';
import { Layout } from './layout.js';

export interface SimplePageProps {
  s: Speech;
  title: string;
  switchHref: string;
  /** Paragraphs under the heading. */
  lines: string[];
  /** Where "back" goes, and what it says. */
  back?: { href: string; text: string };
  children?: ComponentChildren;
}

/** A heading, a few paragraphs, maybe a form, and a way back: errors and signer results. */
export function SimplePage({ s, title, switchHref, lines, back, children }: SimplePageProps) {
  return (
    <Layout s={s} title={title} switchHref={switchHref}>
      <h1>{title}</h1>
      {lines.map((line) => (
        <p>{line}</p>
      ))}
      {children}
      {back ? (
        <p>
          <a href={back.href}>{back.text}</a>
        </p>
      ) : null}
    </Layout>
  );
}
