#!/usr/bin/env node
// The Node.js floor of a migration run: the limit's script, statement by statement, through the
// driver ours uses (better-sqlite3, pg, mysql2) from one bare Node.js process: no engine, no
// Kysely, no revision files, no bookkeeping beyond the script's version-row UPDATE. Between the
// limit and this floor lie Node.js and the driver; between this floor and ours, our engine.
// Usage: node driver-floor.js <sqlite:PATH | postgresql://… | mysql://…> <script.sql>
import fs from 'node:fs';

const [url, script] = process.argv.slice(2);
// The bench's scripts hold one statement per line, each ending in `;`, none with one inside.
const statements = fs
  .readFileSync(script, 'utf8')
  .split(/;\n/)
  .map((statement) => statement.trim())
  .filter((statement) => statement !== '');

if (url.startsWith('sqlite:')) {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(url.slice('sqlite:'.length));
  // As the limit's sqlite3 and better-sqlite3's own default in WAL mode.
  db.pragma('synchronous = NORMAL');
  for (const statement of statements) db.exec(statement);
  db.close();
} else if (url.startsWith('postgresql:')) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const statement of statements) await client.query(statement);
  await client.end();
} else if (url.startsWith('mysql:')) {
  const mysql = (await import('mysql2/promise')).default;
  const connection = await mysql.createConnection(url);
  for (const statement of statements) await connection.query(statement);
  await connection.end();
} else {
  throw new Error(`driver-floor: unknown database URL ${url}`);
}
