-- add accounts nickname at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN nickname varchar(50) NOT NULL;

-- migrate:downgrade
ALTER TABLE accounts DROP COLUMN nickname;
