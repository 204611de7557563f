// The Kysely queries of API keys. No decisions here: the service checks input and translates errors.

import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import type { ApiKey } from './api-key.js';

type Db = Kysely<RegistryDatabase>;

const apiKeyColumns = ['id', 'name', 'scope', 'created_at', 'last_used_at', 'revoked_at'] as const;

export interface ApiKeyRow {
  readonly name: string;
  readonly scope: ApiKey['scope'];
  readonly tokenHash: string;
  readonly now: string;
}

export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      name: row.name,
      scope: row.scope,
      token_hash: row.tokenHash,
      created_at: row.now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function selectApiKeyByName(db: Db, name: string): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(apiKeyColumns)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toApiKey(row);
}

/** The key whose token hashes to `tokenHash`, revoked or not. */
export async function selectApiKeyByHash(db: Db, tokenHash: string): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(apiKeyColumns)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && toApiKey(row);
}

/** The token hash of the key named `name`, unless it is revoked; undefined when none is live. */
export async function selectLiveTokenHash(db: Db, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select('token_hash')
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.token_hash;
}

/** Every key, oldest first. */
export async function selectApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').select(apiKeyColumns).orderBy('id').execute();
  return rows.map(toApiKey);
}

/** How many keys exist, revoked ones included, and how many of them are not revoked. */
export async function countApiKeys(db: Db): Promise<{ all: number; active: number }> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => [
      eb.fn.countAll<number | string | bigint>().as('all'),
      eb.fn.count<number | string | bigint>('revoked_at').as('revoked'),
    ])
    .executeTakeFirstOrThrow();
  const all = Number(row.all);
  return { all, active: all - Number(row.revoked) };
}

/** Marks the key revoked unless it already is; true when this call revoked it. */
export async function markApiKeyRevoked(db: Db, name: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markApiKeyUsed(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', idParameter(id))
    .execute();
}

function toApiKey(row: Pick<Selectable<ApiKeysTable>, (typeof apiKeyColumns)[number]>): ApiKey {
  return {
    id: idFromRow(row.id),
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  };
}
