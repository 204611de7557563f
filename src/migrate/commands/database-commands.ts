// The commands that need Kysely and the version-table code, gathered so that index.ts loads them
// with one import() on first use (and the bundle keeps them in one lazily loaded chunk).

export { downgrade, upgrade } from './upgrade-downgrade.js';
export { stamp } from './stamp.js';
export { current, currentHeads, readRecordedHeads } from './current.js';
export { renderMigrationSql } from './migration-sql.js';
