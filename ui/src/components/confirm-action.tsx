// A destructive action behind a confirmation: its button opens a short question in place, with
// the confirming button focused and a "Cancel" beside it; nothing happens until confirmed.

import { useState } from 'preact/hooks';
import { showError } from '../alerts.js';

export interface ConfirmActionProps {
  /** The button's text, e.g. "Delete version". */
  readonly label: string;
  /** Its accessible name when the text alone is ambiguous (in a table of several). */
  readonly ariaLabel?: string;
  /** The question asked, e.g. "Delete version 2 of runs.csv?". */
  readonly question: string;
  /** The confirming button's text. */
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void>;
}

export function ConfirmAction(props: ConfirmActionProps) {
  const [isAsking, setAsking] = useState(false);
  const [isWorking, setWorking] = useState(false);
  if (!isAsking) {
    return (
      <button
        type="button"
        class="quiet danger-text"
        aria-label={props.ariaLabel}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  const confirm = async () => {
    setWorking(true);
    try {
      await props.onConfirm();
      setAsking(false);
    } catch (error) {
      showError(error);
    } finally {
      setWorking(false);
    }
  };
  return (
    <span class="confirm inline" role="alertdialog" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        class="danger"
        disabled={isWorking}
        onClick={() => void confirm()}
        autoFocus
      >
        {props.confirmLabel}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
