-- index accounts team id
--
-- Revision ID: f1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00
-- migrate:no-transaction

-- migrate:upgrade
CREATE INDEX accounts_team ON accounts (team_id);

-- migrate:downgrade
DROP INDEX accounts_team;

-- migrate:upgrade postgresql
CREATE INDEX CONCURRENTLY accounts_team ON accounts (team_id);

-- migrate:downgrade postgresql
DROP INDEX CONCURRENTLY accounts_team;

-- migrate:upgrade mysql
CREATE INDEX accounts_team ON accounts (team_id) ALGORITHM=INPLACE LOCK=NONE;

-- migrate:downgrade mysql
DROP INDEX accounts_team ON accounts;
