-- add accounts nickname
--
-- Revision ID: a1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN nickname varchar(50);

-- migrate:downgrade
ALTER TABLE accounts DROP COLUMN nickname;

-- migrate:upgrade mysql
-- INSTANT: metadata only, no copy; the server refuses rather than copies.
ALTER TABLE accounts ADD COLUMN nickname varchar(50), ALGORITHM=INSTANT;
