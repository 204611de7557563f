-- add accounts display name
--
-- Revision ID: r1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN display_name varchar(50);

-- migrate:downgrade
ALTER TABLE accounts DROP COLUMN display_name;

-- migrate:upgrade mysql
ALTER TABLE accounts ADD COLUMN display_name varchar(50), ALGORITHM=INSTANT;
