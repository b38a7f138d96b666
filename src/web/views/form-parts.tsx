import type { Speech } from '../i18n/messages.js';

/** One bad field, with its message already in the page's language. */
export interface PageFieldError {
  field: string;
  message: string;
}

/** At the top of a form shown again: every problem, each a link to its field (GOV.UK pattern). */
export function ErrorSummary({ s, errors }: { s: Speech; errors: PageFieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      autofocus
    >
      <h2 id="error-summary-title">{s.t.validation.summary}</h2>
      <ul>
        {errors.map((error) => (
          <li>{error.field ? <a href={`#${error.field}`}>{error.message}</a> : error.message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  s: Speech;
  name: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  optional?: boolean;
  type?: 'text' | 'email';
  autocomplete?: string;
  maxLength: number;
  multiline?: boolean;
}

/** A labelled field: label, hint, the message when it is wrong, then the input. */
export function TextField(props: TextFieldProps) {
  const { s, name, label, hint, value, error, optional, maxLength } = props;
  const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id: name,
    name,
    maxLength,
    'aria-describedby': described || undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
    required: !optional,
  };
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={name}>
        {label}
        {optional ? <span class="muted"> {s.t.sign.optional}</span> : null}
      </label>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="error-message" id={`${name}-error`}>
          {error}
        </span>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={4}>
          {value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type === 'email' ? 'email' : 'text'}
          list={undefined}
          value={value}
          autocomplete={props.autocomplete}
          spellcheck={props.type === 'email' ? false : undefined}
        />
      )}
    </div>
  );
}
