-- index files by name and version
--
-- Revision ID: b99e028ac8f3
-- Revises: c0d5f851eae4
-- Create Date: 2026-12-03 06:10:02
-- migrate:no-transaction

-- The versions of one file, newest first, and the highest version of a name when the next one
-- is written: a range of this index, however many versions the file has and however many
-- files its record has. Not unique: the owner's row lock already serialises the writes of its
-- files, and rows written by an older server have no version. Its own revision, since
-- PostgreSQL builds it concurrently, outside a transaction.

-- migrate:upgrade
CREATE INDEX files_name_version_idx ON files (record_id, dataset_id, name, version);

-- migrate:downgrade
DROP INDEX files_name_version_idx;

-- migrate:upgrade postgresql
-- CONCURRENTLY: uploads go on while the index builds (hence no transaction).
CREATE INDEX CONCURRENTLY files_name_version_idx ON files (record_id, dataset_id, name, version);

-- migrate:downgrade postgresql
DROP INDEX CONCURRENTLY files_name_version_idx;

-- migrate:upgrade mysql
CREATE INDEX files_name_version_idx ON files (record_id, dataset_id, name, version) ALGORITHM=INPLACE LOCK=NONE;

-- migrate:downgrade mysql
DROP INDEX files_name_version_idx ON files;
