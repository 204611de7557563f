-- unique constraint on accounts email
--
-- Revision ID: u2
-- Revises: u1
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- On SQLite and MySQL the unique index is the constraint.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
-- USING INDEX: the index built concurrently becomes the constraint, without a scan.
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_key;

-- migrate:downgrade postgresql
-- Dropping the constraint drops its index: build it again, as the revision before left it.
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
