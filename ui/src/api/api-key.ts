// The signed-in API key, kept in sessionStorage only: it lasts as long as the tab, is never sent
// as a cookie, and is not left behind in localStorage.

const storageKey = 'dataregistry.apiKey';

export function readApiKey(): string | undefined {
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function saveApiKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(storageKey);
}
