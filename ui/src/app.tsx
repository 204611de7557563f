// The interface's frame: header, the alert region, sign-out, and the page of the current path.

import { AlertRegion } from './alerts.js';
import { DatasetPage } from './pages/dataset-page.js';
import { RecordPage } from './pages/record-page.js';
import { RecordsPage } from './pages/records-page.js';
import { Link, useRoute } from './router.js';
import { SessionGate, useSession } from './session.js';

export function App() {
  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          dataregistry
        </Link>
        <nav aria-label="Main">
          <Link href="/">Records</Link>
          <a href="/docs">API</a>
        </nav>
      </header>
      <AlertRegion />
      <div id="content">
        <SessionGate>
          <SignOut />
          <Page />
        </SessionGate>
      </div>
    </>
  );
}

function SignOut() {
  const session = useSession();
  if (!session.isAuthRequired) return null;
  return (
    <div class="session">
      <span>Signed in ({session.scope})</span>
      <button type="button" class="secondary" onClick={session.signOut}>
        Sign out
      </button>
    </div>
  );
}

function Page() {
  const route = useRoute();
  switch (route.page) {
    case 'records':
      return <RecordsPage />;
    case 'record':
      return <RecordPage key={route.id} id={route.id} />;
    case 'dataset':
      return <DatasetPage key={route.id} id={route.id} />;
    case 'not-found':
      return (
        <main>
          <h1>Not found</h1>
          <p>
            Nothing lives at this address. <Link href="/">Back to the records</Link>
          </p>
        </main>
      );
  }
}
