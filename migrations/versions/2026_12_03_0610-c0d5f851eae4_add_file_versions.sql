-- add file versions
--
-- Revision ID: c0d5f851eae4
-- Revises: 26763e82fa5d
-- Create Date: 2026-12-03 06:10:02

-- Every upload to a name becomes a numbered version, and the earlier versions are kept. Expand
-- only: three nullable columns, so that a server of the release before (which names none of
-- them) keeps working while this is applied and while both releases run side by side.
--
-- The meaning of `deleted_at` is unchanged, and that is what keeps the older release right:
-- at most one row per name has `deleted_at IS NULL` (the live-name indexes still say so), and it
-- is the file's latest version. A newer server that keeps a version it supersedes sets that
-- row's `deleted_at` and `superseded_at` to the same instant: to an older server it is a
-- replaced version as before, and to a newer one a version still stored and readable.
--   version        1, 2, 3… per file name. NULL on rows written before this revision or by an
--                  older server; a newer server reads such a live row as the version after the
--                  highest numbered one of its name, and writes that number when it next
--                  changes the name.
--   superseded_at  when a newer version took this version's place and its object was kept.
--                  NULL with `deleted_at` set means deleted (an older server also removed the
--                  object of a version it replaced: such rows are never listed as versions).
--   created_by     the name of the API key that uploaded the version; NULL without keys.
-- While older servers still run: a file they replace or delete loses its object at once, as
-- before, and an older `purge` removes kept versions superseded before its cutoff (as the newer
-- one does without --keep-versions). Upgrade purge jobs with the servers.

-- migrate:upgrade
ALTER TABLE files ADD COLUMN version integer;
ALTER TABLE files ADD COLUMN superseded_at varchar(32);
ALTER TABLE files ADD COLUMN created_by varchar(100);

-- migrate:downgrade
ALTER TABLE files DROP COLUMN created_by;
ALTER TABLE files DROP COLUMN superseded_at;
ALTER TABLE files DROP COLUMN version;

-- migrate:upgrade mysql
-- INSTANT: metadata only, no copy of the table; the server refuses rather than copies.
ALTER TABLE files
  ADD COLUMN version integer,
  ADD COLUMN superseded_at varchar(32),
  ADD COLUMN created_by varchar(100),
  ALGORITHM=INSTANT;

-- migrate:downgrade mysql
ALTER TABLE files DROP COLUMN created_by, DROP COLUMN superseded_at, DROP COLUMN version;
