// Managed API keys: create (the token is returned once, only its hash is stored), list, revoke,
// and look a token up. Never sees HTTP; `keys` commands and the verifier call it.

import { DataRegistryError } from '../../shared/errors.js';
import { RegistryService } from '../shared/registry-service.js';
import {
  apiKeyScopes,
  generateApiKeyToken,
  hashApiKeyToken,
  type ApiKey,
  type ApiKeyScope,
} from './api-key.js';
import {
  countApiKeys,
  insertApiKey,
  markApiKeyRevoked,
  markApiKeyUsed,
  selectApiKeyByHash,
  selectApiKeyByName,
  selectApiKeys,
  selectLiveTokenHash,
} from './api-key-queries.js';

export interface CreatedApiKey {
  readonly key: ApiKey;
  /** The token, to be shown once: it cannot be recovered from the database. */
  readonly token: string;
}

export interface RevokedApiKey {
  readonly key: ApiKey;
  /** False when the key was already revoked (its first revocation time is kept). */
  readonly wasRevokedNow: boolean;
}

const maxNameLength = 100;

/**
 * Every method throws DATABASE_UNAVAILABLE when the database cannot be reached. Names are unique
 * for ever: a revoked key keeps its name, so that `keys list` can show what it was.
 */
export class ApiKeyService extends RegistryService {
  /**
   * @throws DataRegistryError INVALID_ARGUMENT for an empty, too long or control-character name
   *   or an unknown scope; API_KEY_NAME_TAKEN when a key (even revoked) has the name.
   */
  async create(input: { readonly name: string; readonly scope: string }): Promise<CreatedApiKey> {
    const name = checkKeyName(input.name);
    const scope = checkScope(input.scope);
    const token = generateApiKeyToken();
    const row = {
      name,
      scope,
      tokenHash: hashApiKeyToken(token),
      now: this.now().toISOString(),
    };
    const key = await this.run(
      async () => {
        await insertApiKey(this.db, row);
        return selectApiKeyByName(this.db, name);
      },
      () => nameTaken(name),
    );
    if (key === undefined) throw new Error(`The API key ${name} vanished after insertion`);
    return { key, token };
  }

  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKey[]> {
    return this.run(() => selectApiKeys(this.db));
  }

  /** @throws DataRegistryError API_KEY_NOT_FOUND when no key has the name. */
  async revoke(name: string): Promise<RevokedApiKey> {
    const wasRevokedNow = await this.run(() =>
      markApiKeyRevoked(this.db, name, this.now().toISOString()),
    );
    const key = await this.run(() => selectApiKeyByName(this.db, name));
    if (key === undefined) {
      throw new DataRegistryError(
        'API_KEY_NOT_FOUND',
        `No API key is named \`${name}\`; \`dataregistry keys list\` shows the names.`,
        { name },
      );
    }
    return { key, wasRevokedNow };
  }

  /** The key a token belongs to, revoked or not; undefined when none. */
  findByToken(token: string): Promise<ApiKey | undefined> {
    return this.run(() => selectApiKeyByHash(this.db, hashApiKeyToken(token)));
  }

  /**
   * The stored hash of the token of the live key named `name` (what download links are signed
   * with, see files/download-token.ts); undefined when no key has the name or it is revoked.
   */
  findLiveTokenHash(name: string): Promise<string | undefined> {
    return this.run(() => selectLiveTokenHash(this.db, name));
  }

  /** Sets the key's last use to now. */
  async recordUse(key: ApiKey): Promise<void> {
    await this.run(() => markApiKeyUsed(this.db, key.id, this.now().toISOString()));
  }

  /** How many keys exist (revoked ones included) and how many are not revoked. */
  count(): Promise<{ readonly all: number; readonly active: number }> {
    return this.run(() => countApiKeys(this.db));
  }
}

function checkKeyName(name: string): string {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed === '' || trimmed.length > maxNameLength || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--name: give 1 to ${maxNameLength} printable characters, e.g. --name ci.`,
      { field: 'name' },
    );
  }
  return trimmed;
}

function checkScope(scope: string): ApiKeyScope {
  if ((apiKeyScopes as readonly string[]).includes(scope)) return scope as ApiKeyScope;
  throw new DataRegistryError(
    'INVALID_ARGUMENT',
    `--scope ${scope}: give one of ${apiKeyScopes.join(', ')}.`,
    { field: 'scope' },
  );
}

function nameTaken(name: string): DataRegistryError {
  return new DataRegistryError(
    'API_KEY_NAME_TAKEN',
    `An API key named \`${name}\` already exists (revoked keys keep their names); choose another name.`,
    { name },
  );
}
