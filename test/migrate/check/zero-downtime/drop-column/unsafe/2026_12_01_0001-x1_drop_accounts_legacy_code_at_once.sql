-- drop accounts legacy code at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts DROP COLUMN legacy_code;

-- migrate:downgrade
ALTER TABLE accounts ADD COLUMN legacy_code varchar(20);
