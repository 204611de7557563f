-- reference teams from accounts at once
--
-- Revision ID: x1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- SQLite cannot add a foreign key in place.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
ALTER TABLE accounts ADD CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id);

-- migrate:downgrade postgresql
ALTER TABLE accounts DROP CONSTRAINT accounts_team_fk;

-- migrate:upgrade mysql
ALTER TABLE accounts ADD CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id);

-- migrate:downgrade mysql
-- MySQL made an index for the key: drop it too.
ALTER TABLE accounts DROP FOREIGN KEY accounts_team_fk;
DROP INDEX accounts_team_fk ON accounts;
