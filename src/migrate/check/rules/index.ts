// Every lint rule, in the order of docs/check.md. Adding a rule means adding it here.

import type { LintRule } from '../rule.js';
import { alterTypeRewrite } from './alter-type-rewrite.js';
import { backfillInDdlTransaction } from './backfill-in-ddl-transaction.js';
import { columnTypeChange } from './column-type-change.js';
import { concurrentlyInTransaction } from './concurrently-in-transaction.js';
import { constraintNotValid } from './constraint-not-valid.js';
import { dropColumn } from './drop-column.js';
import { dropTable } from './drop-table.js';
import { exclusiveLock } from './exclusive-lock.js';
import { indexNotConcurrent } from './index-not-concurrent.js';
import { mysqlBlockingAlter } from './mysql-blocking-alter.js';
import { mysqlCopyOrLock } from './mysql-copy-or-lock.js';
import { mysqlForeignKey } from './mysql-foreign-key.js';
import { mysqlMariadbSyntax } from './mysql-mariadb-syntax.js';
import { renameColumn } from './rename-column.js';
import { renameTable } from './rename-table.js';
import { requiredColumn } from './required-column.js';
import { setNotNull } from './set-not-null.js';
import { sqliteAddColumn } from './sqlite-add-column.js';
import { sqliteDropColumn } from './sqlite-drop-column.js';
import { sqliteTableRebuild } from './sqlite-table-rebuild.js';
import { uniqueConstraint } from './unique-constraint.js';
import { volatileDefault } from './volatile-default.js';

export const lintRules: readonly LintRule[] = [
  requiredColumn,
  dropTable,
  dropColumn,
  renameTable,
  renameColumn,
  columnTypeChange,
  backfillInDdlTransaction,
  indexNotConcurrent,
  concurrentlyInTransaction,
  constraintNotValid,
  setNotNull,
  volatileDefault,
  uniqueConstraint,
  exclusiveLock,
  alterTypeRewrite,
  mysqlMariadbSyntax,
  mysqlCopyOrLock,
  mysqlForeignKey,
  mysqlBlockingAlter,
  sqliteAddColumn,
  sqliteDropColumn,
  sqliteTableRebuild,
];
