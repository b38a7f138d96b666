import type { Speech } from '../../../i18n/messages.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import { describedBy, Field } from './fields.js';

interface Common {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
}

/** Closing cannot be undone, so it asks once more, on a page of its own. */
export function ClosePetitionPage(props: Common & { petition: { id: string; title: string } }) {
  const { s, petition } = props;
  const t = s.t.consolePetitions.close;
  const back = `/console/petitions/${petition.id}?lang=${s.lang}`;
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={t.title}
      switchHref={props.switchHref}
      section="petitions"
    >
      <h1>{t.title}</h1>
      <p class="lead">{t.lead(petition.title)}</p>
      <p>{t.text}</p>
      <form method="post" action={`/console/petitions/${petition.id}/close?lang=${s.lang}`}>
        <CsrfField caller={props.caller} />
        <Field s={s} name="note" label={t.note} hint={t.noteHint} optional>
          <textarea
            id="note"
            name="note"
            rows={3}
            maxLength={2000}
            aria-describedby={describedBy('note', t.noteHint)}
          />
        </Field>
        <p class="actions">
          <button type="submit" class="warning">
            {t.button}
          </button>{' '}
          <a href={back}>{t.cancel}</a>
        </p>
      </form>
    </ConsoleLayout>
  );
}

/** One bad row of an import, worded already. */
export interface ImportReportRow {
  row: number;
  problem: string;
}

/** After an import: how many rows went in, and every row that did not, with why. */
export function ImportReportPage(
  props: Common & {
    petition: { id: string; title: string };
    report: { accepted: number; rejected: ImportReportRow[] } | null;
  },
) {
  const { s, petition, report } = props;
  const t = s.t.consolePetitions.import;
  const back = `/console/petitions/${petition.id}?lang=${s.lang}`;
  return (
    <ConsoleLayout
      s={s}
      caller={props.caller}
      title={t.title}
      switchHref={props.switchHref}
      section="petitions"
    >
      <h1>{t.title}</h1>
      <p class="lead">{t.lead(petition.title)}</p>
      {report === null ? (
        <p>{t.gone}</p>
      ) : (
        <>
          <div class="notice" role="status">
            <p class="last">
              <strong>{t.accepted(s.f, report.accepted)}</strong>{' '}
              {report.accepted > 0 ? t.acceptedNote : null}{' '}
              {report.rejected.length === 0 ? t.none : null}
            </p>
          </div>
          {report.rejected.length > 0 ? (
            <section aria-labelledby="bad-rows">
              <h2 id="bad-rows">{t.rejectedTitle(s.f, report.rejected.length)}</h2>
              <p>{t.rejectedLead}</p>
              <table class="bad-rows">
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      {t.row}
                    </th>
                    <th scope="col">{t.problem}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((r) => (
                    <tr>
                      <th scope="row" class="num">
                        {s.f.number(r.row)}
                      </th>
                      <td>{r.problem}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </>
      )}
      <p>
        <a href={back}>{t.back}</a>
      </p>
    </ConsoleLayout>
  );
}

/** An answer that is not the page asked for: the petition moved on, or it is not the caller's. */
export function ConsoleMessagePage(
  props: Common & { title: string; lines: string[]; back: { href: string; text: string } },
) {
  return (
    <ConsoleLayout
      s={props.s}
      caller={props.caller}
      title={props.title}
      switchHref={props.switchHref}
      section="petitions"
    >
      <h1>{props.title}</h1>
      {props.lines.map((line) => (
        <p>{line}</p>
      ))}
      <p>
        <a href={props.back.href}>{props.back.text}</a>
      </p>
    </ConsoleLayout>
  );
}
