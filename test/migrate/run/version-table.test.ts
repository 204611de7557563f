// The bookkeeping of a step: one statement where the dialect allows it, and the compiled-once
// template giving exactly the queries a fresh build gives, for every shape of version change.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDialectAdapter } from '../../../src/db/connect.js';
import { parseDatabaseUrl } from '../../../src/db/database-url.js';
import { createRecordingDatabase } from '../../../src/db/recording-database.js';
import {
  compileStepBookkeeping,
  stepBookkeepingQueries,
  versionTableNames,
  type HistoryEntry,
  type VersionChange,
} from '../../../src/migrate/run/version-table.js';

const urls = {
  postgresql: 'postgresql://u:p@db.example/app',
  mysql: 'mysql://u:p@db.example/app',
  sqlite: 'sqlite:data/app.db',
} as const;

const names = versionTableNames();

const changes: VersionChange[] = [
  { delete: ['aa01'], insert: ['bb02'] },
  { delete: ['bb02'], insert: ['aa01'] },
  { delete: [], insert: ['aa01'] },
  { delete: ['aa01'], insert: [] },
  { delete: ['bb02', 'cc03'], insert: ['dd04'] },
  { delete: ['aa01'], insert: ['bb02', 'cc03'] },
];

const entries: HistoryEntry[] = [
  { revision: 'bb02', direction: 'upgrade', durationMs: 12, checksum: 'f'.repeat(64) },
  { revision: 'bb02', direction: 'downgrade', durationMs: 0, checksum: null },
  { revision: "it's", direction: 'upgrade', durationMs: null, checksum: '\u0000odd' },
];

for (const [dialectName, url] of Object.entries(urls)) {
  const dialect = createDialectAdapter(parseDatabaseUrl(url));
  const { db } = createRecordingDatabase(dialect);

  test(`${dialectName}: the compiled-once bookkeeping equals a fresh build for every change`, () => {
    const bookkeeping = compileStepBookkeeping(db, dialect, names);
    for (const change of changes) {
      for (const entry of entries) {
        const strip = (queries: { sql: string; parameters: readonly unknown[] }[]) =>
          queries.map(({ sql, parameters }) => ({ sql, parameters: [...parameters] }));
        assert.deepEqual(
          strip(bookkeeping(change, entry)),
          strip(stepBookkeepingQueries(db, dialect, names, change, entry)),
          JSON.stringify({ change, entry }),
        );
      }
    }
  });

  test(`${dialectName}: a linear step writes its version change and history row in ${dialect.supportsDataModifyingWith ? 'one statement' : 'two statements'}`, () => {
    const queries = stepBookkeepingQueries(
      db,
      dialect,
      names,
      { delete: ['aa01'], insert: ['bb02'] },
      entries[0]!,
    );
    if (dialect.supportsDataModifyingWith) {
      assert.equal(queries.length, 1);
      assert.match(queries[0]!.sql, /^with "version_change" as \(update "dataregistry_version"/);
      assert.match(queries[0]!.sql, /insert into "dataregistry_version_history"/);
    } else {
      assert.deepEqual(
        queries.map((query) => query.sql.split(' ')[0]),
        ['update', 'insert'],
      );
    }
  });
}
