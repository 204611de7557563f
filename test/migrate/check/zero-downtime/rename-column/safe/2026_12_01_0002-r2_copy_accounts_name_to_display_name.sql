-- copy accounts name to display name
--
-- Revision ID: r2
-- Revises: r1
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- The code now writes both columns; this copies the rows written before it.
UPDATE accounts SET display_name = name WHERE display_name IS NULL;

-- migrate:downgrade
-- Nothing to undo: display_name is dropped by the downgrade of the revision before.
UPDATE accounts SET display_name = NULL WHERE display_name = name;
