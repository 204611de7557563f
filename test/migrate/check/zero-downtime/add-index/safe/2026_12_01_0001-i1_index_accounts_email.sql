-- index accounts email
--
-- Revision ID: i1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00
-- migrate:no-transaction

-- migrate:upgrade
CREATE INDEX accounts_email ON accounts (email);

-- migrate:downgrade
DROP INDEX accounts_email;

-- migrate:upgrade postgresql
-- CONCURRENTLY: writes go on while the index builds (hence no transaction).
CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);

-- migrate:downgrade postgresql
DROP INDEX CONCURRENTLY accounts_email;

-- migrate:upgrade mysql
CREATE INDEX accounts_email ON accounts (email) ALGORITHM=INPLACE LOCK=NONE;

-- migrate:downgrade mysql
DROP INDEX accounts_email ON accounts;
