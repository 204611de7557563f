-- drop accounts name
--
-- Revision ID: r3
-- Revises: r2
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- check:allow drop-column the code reads and writes only display_name since the release before this one
ALTER TABLE accounts DROP COLUMN name;

-- migrate:downgrade
ALTER TABLE accounts ADD COLUMN name varchar(50);
UPDATE accounts SET name = display_name;
