-- make accounts email not null at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- SQLite cannot add NOT NULL in place.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;

-- migrate:downgrade postgresql
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;

-- migrate:upgrade mysql
ALTER TABLE accounts MODIFY email varchar(100) NOT NULL, ALGORITHM=COPY;

-- migrate:downgrade mysql
ALTER TABLE accounts MODIFY email varchar(100) NULL;
