-- create accounts and teams
--
-- Revision ID: accounts0
-- Revises: 
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
CREATE TABLE teams (id integer PRIMARY KEY);
CREATE TABLE accounts (
  id integer PRIMARY KEY,
  email varchar(100),
  name varchar(50),
  legacy_code varchar(20),
  balance integer,
  team_id integer
);

-- migrate:downgrade
DROP TABLE accounts;
DROP TABLE teams;
