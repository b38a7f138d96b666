import type { ComponentChildren } from 'preact';
import type { SignatureEventResponse } from '../../../../moderation/dto/review-queue.dto.js';
import type { Speech } from '../../../i18n/messages.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, type ConsoleSection } from '../../views/console-layout.js';

/** What a cell shows for nothing: a dash is not a word, so it needs no translation. */
export const DASH = '—';

export interface FieldFrame {
  s: Speech;
  id: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
}

/** The ids a field's input is described by: its hint and its message. */
export function describedBy({ id, hint, error }: FieldFrame): string | undefined {
  return (
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  );
}

/** A labelled field in the GOV.UK pattern (as form-parts' TextField): label, hint, message, input. */
export function Field(props: FieldFrame & { children: ComponentChildren }) {
  const { s, id, label, hint, error, optional } = props;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {optional ? <span class="muted"> {s.t.consoleModeration.optional}</span> : null}
      </label>
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="error-message" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
      {props.children}
    </div>
  );
}

export function Input(
  props: FieldFrame & {
    name: string;
    value: string;
    maxLength?: number;
    type?: 'text' | 'datetime-local';
    spellcheck?: boolean;
  },
) {
  const common = {
    id: props.id,
    name: props.name,
    value: props.value,
    required: !props.optional,
    'aria-describedby': describedBy(props),
    'aria-invalid': props.error ? ('true' as const) : undefined,
  };
  return (
    <Field {...props}>
      {props.type === 'datetime-local' ? (
        <input {...common} type="datetime-local" class="cm-input" />
      ) : (
        <input {...common} type="text" maxLength={props.maxLength} spellcheck={props.spellcheck} />
      )}
    </Field>
  );
}

export function TextArea(
  props: FieldFrame & { name: string; value: string; maxLength: number; rows?: number },
) {
  return (
    <Field {...props}>
      <textarea
        id={props.id}
        name={props.name}
        maxLength={props.maxLength}
        rows={props.rows ?? 3}
        required={!props.optional}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.value}
      </textarea>
    </Field>
  );
}

/** A select; `placeholder` is an empty first choice, for a choice that must be made. */
export function Select(
  props: FieldFrame & {
    name: string;
    value: string;
    options: Array<[string, string]>;
    placeholder?: string;
  },
) {
  return (
    <Field {...props}>
      <select
        class="cm-select"
        id={props.id}
        name={props.name}
        required={!props.optional}
        aria-describedby={describedBy(props)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.placeholder !== undefined ? (
          <option value="" selected={props.value === ''}>
            {props.placeholder}
          </option>
        ) : null}
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** What just happened, or why nothing did, at the top of the page. */
export function Notice({ text, children }: { text?: string; children?: ComponentChildren }) {
  if (!text) return null;
  return (
    <div class="notice" role="status">
      <p>
        {text} {children}
      </p>
    </div>
  );
}

/** A table that stacks into labelled rows on a phone (see the `cm-table` styles). */
export function StackedTable({
  caption,
  head,
  rows,
  captionHidden,
}: {
  caption: string;
  head: string[];
  rows: ComponentChildren[][];
  captionHidden?: boolean;
}) {
  return (
    <table class="cm-table">
      <caption class={captionHidden ? 'cm-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {head.map((label) => (
            <th scope="col">{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells) => (
          <tr>
            {cells.map((cell, i) => (
              <td data-label={head[i]}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The name of a reason code, with the code itself (so it can be searched for). */
export function reasonName(s: Speech, code: string | null): string {
  if (!code) return DASH;
  const label = s.t.consoleModeration.reasonLabels[code];
  return label ? `${label} (${code})` : code;
}

export function statusName(s: Speech, status: string | null): string {
  if (!status) return s.t.consoleModeration.history.started;
  return s.t.consoleModeration.statuses[status] ?? status;
}

/** Who made a change: the kind of actor, and the account's name when there is one. */
export function actorName(
  s: Speech,
  event: { actor: string; actorId: string | null },
  names: Map<string, string>,
): string {
  const t = s.t.consoleModeration;
  const kind = t.actors[event.actor] ?? event.actor;
  if (!event.actorId) return kind;
  return `${kind}: ${names.get(event.actorId) ?? t.unknownAccount}`;
}

/** A signature's status changes, oldest first. */
export function EventsTable({
  s,
  events,
  names,
  caption,
}: {
  s: Speech;
  events: SignatureEventResponse[];
  names: Map<string, string>;
  caption: string;
}) {
  const t = s.t.consoleModeration;
  if (events.length === 0) return <p>{t.history.noEvents}</p>;
  return (
    <StackedTable
      caption={caption}
      captionHidden
      head={[t.history.at, t.history.from, t.history.to, t.history.by, t.reason, t.note]}
      rows={events.map((event) => [
        s.f.dateTime(event.at),
        statusName(s, event.from),
        statusName(s, event.to),
        actorName(s, event, names),
        reasonName(s, event.reasonCode),
        event.invalidationId ? (
          <>
            <a href={`/console/invalidations/${event.invalidationId}?lang=${s.lang}`}>
              {t.history.invalidation}
            </a>
            {event.note ? <span lang="en"> {event.note}</span> : null}
          </>
        ) : (
          (event.note ?? DASH)
        ),
      ])}
    />
  );
}

/** What the checks found, worst first: a moderator reads what raised doubt before what passed. */
const OUTCOME_ORDER: Record<string, number> = { fail: 0, review: 1, pass: 2 };

/** What each automated check found. Details are the checks' own words, in English. */
export function ChecksTable({
  s,
  checks,
  caption,
}: {
  s: Speech;
  checks: Array<{ name: string; outcome: string; detail: string; risk: number }>;
  caption: string;
}) {
  const t = s.t.consoleModeration;
  if (checks.length === 0) return <p>{t.review.noChecks}</p>;
  return (
    <StackedTable
      caption={caption}
      captionHidden
      head={[t.review.check, t.review.outcome, t.review.detail, t.review.points]}
      rows={[...checks]
        .sort((a, b) => (OUTCOME_ORDER[a.outcome] ?? 3) - (OUTCOME_ORDER[b.outcome] ?? 3))
        .map((check) => [
          t.checks[check.name] ?? check.name,
          <span class={`cm-outcome cm-outcome-${check.outcome}`}>
            {t.outcomes[check.outcome] ?? check.outcome}
          </span>,
          <span lang="en">{check.detail}</span>,
          s.f.number(check.risk),
        ])}
    />
  );
}

/** A console page that says why nothing was done, with the way back. */
export function ProblemPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  section: ConsoleSection;
  title: string;
  text: string;
  back: { href: string; text: string };
}) {
  return (
    <ConsoleLayout
      s={props.s}
      caller={props.caller}
      title={props.title}
      switchHref={props.switchHref}
      section={props.section}
    >
      <h1>{props.title}</h1>
      <p class="lead">{props.text}</p>
      <p>
        <a href={props.back.href}>{props.back.text}</a>
      </p>
    </ConsoleLayout>
  );
}
