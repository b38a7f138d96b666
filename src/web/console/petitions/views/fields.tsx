import type { ComponentChildren } from 'preact';
import type { Speech } from '../../../i18n/messages.js';

/** The ids a field's input is described by: its hint and its message, when it has them. */
export function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return (
    [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') ||
    undefined
  );
}

/** Hint and message under a label or legend, in the GOV.UK order: hint, message, then input. */
function HintAndError({ name, hint, error }: { name: string; hint?: string; error?: string }) {
  return (
    <>
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
    </>
  );
}

/** A labelled field around an input the caller writes (a number, a date, a select, a file). */
export function Field(props: {
  s: Speech;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>
        {props.label}
        {props.optional ? <span class="muted"> {props.s.t.sign.optional}</span> : null}
      </label>
      <HintAndError name={props.name} hint={props.hint} error={props.error} />
      {props.children}
    </div>
  );
}

/** One choice among a few, as radios in a fieldset whose legend asks the question. */
export function RadioGroup(props: {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  value: string;
  options: Array<{ value: string; label: string }>;
}) {
  const { name } = props;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <fieldset class="choices" aria-describedby={describedBy(name, props.hint, props.error)}>
        <legend>{props.legend}</legend>
        <HintAndError name={name} hint={props.hint} error={props.error} />
        {/* The first choice takes the field's id, so the error summary's link lands on it. */}
        {props.options.map((option, i) => (
          <div class="check">
            <input
              type="radio"
              id={i === 0 ? name : `${name}-${i}`}
              name={name}
              value={option.value}
              checked={option.value === props.value}
            />
            <label for={i === 0 ? name : `${name}-${i}`}>{option.label}</label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}

/** A yes-or-no question as one checkbox, with its hint under it. */
export function Checkbox(props: { name: string; label: string; hint?: string; checked: boolean }) {
  const { name } = props;
  return (
    <div class="field">
      <div class="check">
        <input
          type="checkbox"
          id={name}
          name={name}
          value="true"
          checked={props.checked}
          aria-describedby={props.hint ? `${name}-hint` : undefined}
        />
        <label for={name}>{props.label}</label>
      </div>
      {props.hint ? (
        <span class="hint check-hint" id={`${name}-hint`}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
