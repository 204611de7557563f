// Loads data for a view: the answer, whether it is loading, and retries of a lost connection or a
// 503 with growing pauses, saying so in the alert region until it works.

import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api/api-client.js';
import { showError } from './alerts.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly isLoading: boolean;
  /** Loads again (after a change); keeps the data shown meanwhile. */
  reload(): void;
  /** Replaces the data shown (after a change answered with the new value). */
  set(data: T): void;
}

const retryPausesMs = [1000, 2000, 4000, 8000];

/**
 * Loads `load()` whenever `deps` change. `isExpected` marks failures the caller shows itself
 * (not in the alert region), such as the 401 that opens the sign-in form.
 */
export function useApi<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  isExpected: (error: unknown) => boolean = () => false,
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [isLoading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    let attempt = 0;
    let withdraw: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attemptLoad = () => {
      setLoading(true);
      load().then(
        (value) => {
          if (isCancelled) return;
          withdraw?.();
          setData(value);
          setError(undefined);
          setLoading(false);
        },
        (failure: unknown) => {
          if (isCancelled) return;
          withdraw?.();
          withdraw = isExpected(failure) ? undefined : showError(failure);
          setError(failure);
          if (failure instanceof ApiError && failure.isRetryWorthy) {
            timer = setTimeout(attemptLoad, retryPausesMs[Math.min(attempt++, 3)]);
          } else {
            setLoading(false);
          }
        },
      );
    };
    attemptLoad();
    return () => {
      isCancelled = true;
      clearTimeout(timer);
      withdraw?.();
    };
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, isLoading, reload, set: setData };
}
