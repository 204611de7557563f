-- make accounts email not null
--
-- Revision ID: n3
-- Revises: n2
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- SQLite cannot change a column's constraints in place: the table is rebuilt in the order of
-- https://www.sqlite.org/lang_altertable.html#otheralter. SQLite has one writer at a time, so
-- the rebuild holds the database for as long as the copy takes: keep it for small tables.
CREATE TABLE accounts_new (
  id integer PRIMARY KEY,
  email varchar(100) NOT NULL,
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

-- migrate:upgrade postgresql
-- VALIDATE scans without blocking writes; SET NOT NULL then trusts the valid CHECK (PostgreSQL 12+).
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;
-- check:allow set-not-null the valid CHECK accounts_email_not_null spares the scan
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_email_not_null;

-- migrate:downgrade postgresql
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;

-- migrate:upgrade mysql
-- In place and without a lock (strict SQL mode): the server refuses rather than copies.
ALTER TABLE accounts MODIFY email varchar(100) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;

-- migrate:downgrade mysql
ALTER TABLE accounts MODIFY email varchar(100) NULL, ALGORITHM=INPLACE, LOCK=NONE;
