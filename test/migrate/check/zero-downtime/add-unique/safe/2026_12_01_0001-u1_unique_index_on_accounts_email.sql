-- unique index on accounts email
--
-- Revision ID: u1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00
-- migrate:no-transaction

-- migrate:upgrade
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);

-- migrate:downgrade
DROP INDEX accounts_email_key;

-- migrate:upgrade postgresql
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);

-- migrate:downgrade postgresql
DROP INDEX CONCURRENTLY accounts_email_key;

-- migrate:upgrade mysql
CREATE UNIQUE INDEX accounts_email_key ON accounts (email) ALGORITHM=INPLACE LOCK=NONE;

-- migrate:downgrade mysql
DROP INDEX accounts_email_key ON accounts;
