-- rename accounts name at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts RENAME COLUMN name TO display_name;

-- migrate:downgrade
ALTER TABLE accounts RENAME COLUMN display_name TO name;
