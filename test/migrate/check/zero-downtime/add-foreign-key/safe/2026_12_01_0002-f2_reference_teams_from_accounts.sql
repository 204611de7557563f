-- reference teams from accounts
--
-- Revision ID: f2
-- Revises: f1
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- SQLite cannot change a column's constraints in place: the table is rebuilt in the order of
-- https://www.sqlite.org/lang_altertable.html#otheralter. SQLite has one writer at a time, so
-- the rebuild holds the database for as long as the copy takes: keep it for small tables.
CREATE TABLE accounts_new (
  id integer PRIMARY KEY,
  email varchar(100),
  name varchar(50),
  legacy_code varchar(20),
  balance integer,
  team_id integer,
  CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id)
);
INSERT INTO accounts_new (id, email, name, legacy_code, balance, team_id)
  SELECT id, email, name, legacy_code, balance, team_id FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
PRAGMA foreign_key_check;
CREATE INDEX accounts_team ON accounts (team_id);

-- migrate:downgrade
-- SQLite cannot change a column's constraints in place: the table is rebuilt in the order of
-- https://www.sqlite.org/lang_altertable.html#otheralter. SQLite has one writer at a time, so
-- the rebuild holds the database for as long as the copy takes: keep it for small tables.
CREATE TABLE accounts_new (
  id integer PRIMARY KEY,
  email varchar(100),
  name varchar(50),
  legacy_code varchar(20),
  balance integer,
  team_id integer
);
INSERT INTO accounts_new (id, email, name, legacy_code, balance, team_id)
  SELECT id, email, name, legacy_code, balance, team_id FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
PRAGMA foreign_key_check;
CREATE INDEX accounts_team ON accounts (team_id);

-- migrate:upgrade postgresql
-- NOT VALID: new rows are checked at once, existing ones by the next revision.
ALTER TABLE accounts ADD CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID;

-- migrate:downgrade postgresql
ALTER TABLE accounts DROP CONSTRAINT accounts_team_fk;

-- migrate:upgrade mysql
-- Run first: SELECT a.id FROM accounts a LEFT JOIN teams t ON t.id = a.team_id
--   WHERE a.team_id IS NOT NULL AND t.id IS NULL  (it must return no row).
SET foreign_key_checks = 0;
-- check:allow mysql-foreign-key with foreign_key_checks off InnoDB adds the key in place, on the index of the revision before
ALTER TABLE accounts ADD CONSTRAINT accounts_team_fk FOREIGN KEY (team_id) REFERENCES teams (id), ALGORITHM=INPLACE, LOCK=NONE;
SET foreign_key_checks = 1;

-- migrate:downgrade mysql
ALTER TABLE accounts DROP FOREIGN KEY accounts_team_fk;
