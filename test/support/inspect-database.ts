// Looks into a test database: its tables and the rows of a query, through the project's own
// connection code.

import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect.js';

export async function listTables(url: string): Promise<string[]> {
  const handle = await openDatabase(url);
  try {
    const tables = await handle.db.introspection.getTables();
    return tables.map((table) => table.name).sort();
  } finally {
    await handle.close();
  }
}

export async function queryRows(url: string, query: string): Promise<Record<string, unknown>[]> {
  const handle = await openDatabase(url);
  try {
    const result = await sql.raw<Record<string, unknown>>(query).execute(handle.db);
    return result.rows;
  } finally {
    await handle.close();
  }
}
