// The page's alert region: every error the interface meets is listed here, with its message, in
// a role="alert" element that screen readers announce. Errors about one form field are also shown
// by that field (components/field.tsx).

import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './api/api-client.js';

interface Alert {
  readonly id: number;
  readonly message: string;
}

let alerts: readonly Alert[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: readonly Alert[]): void {
  alerts = next;
  listeners.forEach((listener) => listener());
}

/** Shows `error`'s message; returns a function that withdraws it (e.g. once a retry works). */
export function showError(error: unknown): () => void {
  const alert = { id: nextId++, message: messageOf(error) };
  // The same message twice (a retry that failed again) is shown once.
  publish([...alerts.filter((a) => a.message !== alert.message), alert]);
  return () => dismiss(alert.id);
}

function dismiss(id: number): void {
  publish(alerts.filter((alert) => alert.id !== id));
}

export function clearAlerts(): void {
  publish([]);
}

export function AlertRegion() {
  const [shown, setShown] = useState(alerts);
  useEffect(() => {
    const listener = () => setShown(alerts);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return (
    <div class="alerts" role="alert" aria-live="assertive">
      {shown.map((alert) => (
        <p key={alert.id} class="alert">
          <span>{alert.message}</span>
          <button
            type="button"
            class="quiet"
            onClick={() => dismiss(alert.id)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
