-- change accounts balance type at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- SQLite has no ALTER COLUMN TYPE.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;

-- migrate:downgrade postgresql
ALTER TABLE accounts ALTER COLUMN balance TYPE integer;

-- migrate:upgrade mysql
ALTER TABLE accounts MODIFY balance bigint;

-- migrate:downgrade mysql
ALTER TABLE accounts MODIFY balance integer;
