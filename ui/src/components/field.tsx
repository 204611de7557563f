// A labelled form control with its error beside it (role="alert", tied by aria-describedby), and
// the JSON editor of metadata, which checks the text as it is typed.

import type { TargetedEvent } from 'preact';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly error?: string | undefined;
  readonly multiline?: boolean;
  readonly required?: boolean;
  readonly rows?: number;
  readonly class?: string;
}

export function Field(props: FieldProps) {
  const errorId = `${props.id}-error`;
  const common = {
    id: props.id,
    value: props.value,
    required: props.required,
    'aria-invalid': props.error !== undefined,
    'aria-describedby': props.error === undefined ? undefined : errorId,
    class: props.class,
    onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onInput(event.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.multiline === true ? (
        <textarea {...common} rows={props.rows ?? 3} spellcheck={false} />
      ) : (
        <input {...common} type="text" autoComplete="off" />
      )}
      {props.error !== undefined && (
        <p id={errorId} class="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The metadata typed: the object, or why it is not one. */
export function parseMetadata(
  text: string,
): { metadata: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { metadata: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'Metadata must be a JSON object, such as {"key": "value"}.' };
  }
  return { metadata: value as Record<string, unknown> };
}

export function formatMetadata(metadata: Record<string, unknown>): string {
  return JSON.stringify(metadata, null, 2);
}
