-- index accounts email at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
CREATE INDEX accounts_email ON accounts (email);

-- migrate:downgrade
DROP INDEX accounts_email;

-- migrate:upgrade mysql
ALTER TABLE accounts ADD INDEX accounts_email (email), ALGORITHM=COPY;

-- migrate:downgrade mysql
DROP INDEX accounts_email ON accounts;
