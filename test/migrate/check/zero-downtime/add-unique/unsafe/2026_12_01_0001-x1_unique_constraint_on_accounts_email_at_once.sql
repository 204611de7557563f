-- unique constraint on accounts email at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);

-- migrate:downgrade
DROP INDEX accounts_email_key;

-- migrate:upgrade postgresql
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);

-- migrate:downgrade postgresql
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;

-- migrate:upgrade mysql
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email), LOCK=SHARED;

-- migrate:downgrade mysql
DROP INDEX accounts_email_key ON accounts;
