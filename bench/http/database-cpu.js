// CPU time of the PostgreSQL backends serving one database (the server's pool or the limit's),
// so that a request's cost can be counted whole: client + server + database. The backends are
// found in pg_stat_activity and read from /proc (they run on this machine, on loopback).
// SQLite runs inside the process that uses it, so it needs none of this.
import fs from 'node:fs';

// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS = 100;

/**
 * A reader of the CPU time (ms) used so far by the backends connected to `target`'s database,
 * other than its own connection; undefined for SQLite.
 * @param {import('../support/databases.js').Target} target
 */
export async function openDatabaseCpuReader(target) {
  if (target.dialect !== 'postgresql') return undefined;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...target.knex, connectionTimeoutMillis: 10_000 });
  await client.connect();
  return {
    /** @returns {Promise<Map<number, number>>} backend pid → CPU ms so far */
    async read() {
      const { rows } = await client.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      const times = new Map();
      for (const { pid } of rows) {
        const ms = backendCpuMs(pid);
        if (ms !== undefined) times.set(pid, ms);
      }
      return times;
    },
    close: () => client.end(),
  };
}

/**
 * CPU ms the backends used between two readings; a backend that appeared in between counts whole
 * (it was connected during the run). Undefined when either reading is missing.
 */
export function databaseCpuBetween(before, after) {
  if (before === undefined || after === undefined) return undefined;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

function backendCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
