// Who is signed in: asks /api/session with the stored key (if any), shows the sign-in form when
// the API needs a key, and gives every view the key's scope so that it offers only what the key
// may do.

import { createContext, type ComponentChildren } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { ApiError, requestJson } from './api/api-client.js';
import { forgetApiKey, readApiKey, saveApiKey } from './api/api-key.js';
import type { Scope, SessionJson } from './api/api-types.js';
import { clearAlerts } from './alerts.js';
import { useApi } from './use-api.js';

interface Session {
  readonly scope: Scope;
  readonly isAuthRequired: boolean;
  readonly canWrite: boolean;
  readonly signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside <SessionGate>');
  return session;
}

/** Renders `children` once the API answers /api/session; the sign-in form while it needs a key. */
export function SessionGate(props: { children: ComponentChildren }) {
  const [attempt, setAttempt] = useState(0);
  // Asked for a key before one was given: the sign-in form says so; a refused key is an alert.
  const isFirstAsk = (error: unknown) =>
    error instanceof ApiError && error.status === 401 && readApiKey() === undefined;
  const loaded = useApi(
    () => requestJson<SessionJson>('GET', '/api/session'),
    [attempt],
    isFirstAsk,
  );
  const retry = () => setAttempt((n) => n + 1);
  const needsKey = loaded.error instanceof ApiError && loaded.error.status === 401;
  if (needsKey) return <SignIn onSignedIn={retry} />;
  if (loaded.data === undefined) return <p class="loading">Loading…</p>;
  const signOut = () => {
    forgetApiKey();
    clearAlerts();
    retry();
  };
  const { scope, is_auth_required } = loaded.data;
  const session: Session = {
    scope,
    isAuthRequired: is_auth_required,
    canWrite: scope !== 'read',
    signOut,
  };
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

function SignIn(props: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const hadKey = readApiKey() !== undefined;
  const submit = (event: Event) => {
    event.preventDefault();
    if (key.trim() === '') return;
    saveApiKey(key.trim());
    clearAlerts();
    props.onSignedIn();
  };
  return (
    <main class="narrow">
      <h1>Sign in</h1>
      <p>
        This registry needs an API key. It is kept in this tab only, until you sign out or close it.
      </p>
      {hadKey && <p class="field-error">That key was not accepted; check it and try again.</p>}
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          required
        />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
