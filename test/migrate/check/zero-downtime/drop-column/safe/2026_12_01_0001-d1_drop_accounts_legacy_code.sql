-- drop accounts legacy code
--
-- Revision ID: d1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- check:allow drop-column the code stopped reading and writing legacy_code in the release before this one
ALTER TABLE accounts DROP COLUMN legacy_code;

-- migrate:downgrade
ALTER TABLE accounts ADD COLUMN legacy_code varchar(20);
