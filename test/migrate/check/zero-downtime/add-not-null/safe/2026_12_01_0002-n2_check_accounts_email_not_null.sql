-- check accounts email not null
--
-- Revision ID: n2
-- Revises: n1
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- The other databases make the column NOT NULL in the next revision.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
-- NOT VALID: checks new rows only, no scan under the lock.
ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;

-- migrate:downgrade postgresql
ALTER TABLE accounts DROP CONSTRAINT accounts_email_not_null;
