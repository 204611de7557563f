// RECORD on the command line: a record's id or its exact name, resolved to the record.

import { DataRegistryError } from '../shared/errors.js';
import type { PageJson, RecordJson } from './api-types.js';
import type { RegistryClient } from './registry-client.js';

/** Ids are 64-bit integers written in decimal (see docs/api.md). */
const idPattern = /^[1-9][0-9]{0,18}$/;

/**
 * The live record whose id is `idOrName` or, failing that, whose name is exactly `idOrName`
 * (case-sensitive). An id wins over a record named like one.
 *
 * @throws DataRegistryError RECORD_NOT_FOUND naming the input; the client's errors otherwise.
 */
export async function findRecord(client: RegistryClient, idOrName: string): Promise<RecordJson> {
  if (idPattern.test(idOrName)) {
    try {
      return await client.json<RecordJson>('GET', `/api/records/${idOrName}`);
    } catch (error) {
      if (!(error instanceof DataRegistryError) || error.code !== 'RECORD_NOT_FOUND') throw error;
    }
  }
  const found = await findRecordByName(client, idOrName);
  if (found !== undefined) return found;
  throw new DataRegistryError(
    'RECORD_NOT_FOUND',
    `No live record has the ${idPattern.test(idOrName) ? 'id or name' : 'name'} \`${idOrName}\`; give a record's id or its exact name (GET /api/records?q=… lists them).`,
    { record: idOrName },
  );
}

async function findRecordByName(
  client: RegistryClient,
  name: string,
): Promise<RecordJson | undefined> {
  // `q` finds the text anywhere in the name or description, case-insensitively: page through
  // the matches for the one whose name is exactly it.
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ q: name.slice(0, 200), limit: '100' });
    if (cursor !== null) query.set('cursor', cursor);
    const page: PageJson<RecordJson> = await client.json('GET', `/api/records?${query.toString()}`);
    const match = page.items.find((record) => record.name === name);
    if (match !== undefined) return match;
    cursor = page.next_cursor;
  } while (cursor !== null);
  return undefined;
}
