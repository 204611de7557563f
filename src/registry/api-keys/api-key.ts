// API keys: what a key is, how its token is drawn and how it is stored (only a SHA-256 hash).
// Pure apart from drawing random bytes: no database here.

import { createHash, randomBytes } from 'node:crypto';

/** What a key may do: `read` reads; `write` also creates, changes and deletes; `admin` everything. */
export type ApiKeyScope = 'read' | 'write' | 'admin';

export const apiKeyScopes: readonly ApiKeyScope[] = ['read', 'write', 'admin'];

/** A managed key as `keys list` shows it; the token is never kept. Timestamps are ISO-8601 UTC. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly scope: ApiKeyScope;
  readonly createdAt: string;
  /** Within a minute or so: the verifier records use at most once a minute per key. */
  readonly lastUsedAt: string | undefined;
  readonly revokedAt: string | undefined;
}

/** Every token starts so, to be recognisable in logs and by secret scanners. */
export const apiKeyTokenPrefix = 'drk_';

/** A new token: `drk_` and 32 random bytes in base64url (43 characters). */
export function generateApiKeyToken(): string {
  return `${apiKeyTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

/** The hex SHA-256 of a token (64 characters): what the database stores and looks keys up by. */
export function hashApiKeyToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
