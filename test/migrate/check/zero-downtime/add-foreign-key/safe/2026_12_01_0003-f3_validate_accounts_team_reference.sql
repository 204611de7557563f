-- validate accounts team reference
--
-- Revision ID: f3
-- Revises: f2
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- Only PostgreSQL has a constraint to validate.
SELECT 1;

-- migrate:downgrade
SELECT 1;

-- migrate:upgrade postgresql
-- VALIDATE scans without blocking writes.
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_team_fk;

-- migrate:downgrade postgresql
-- A NOT VALID constraint again: dropped and added back as the revision before added it.
ALTER TABLE accounts DROP CONSTRAINT accounts_team_fk;
ALTER TABLE accounts ADD CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID;
