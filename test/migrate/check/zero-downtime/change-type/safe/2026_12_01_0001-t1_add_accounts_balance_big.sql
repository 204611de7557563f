-- add accounts balance big
--
-- Revision ID: t1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN balance_big bigint;

-- migrate:downgrade
ALTER TABLE accounts DROP COLUMN balance_big;

-- migrate:upgrade mysql
ALTER TABLE accounts ADD COLUMN balance_big bigint, ALGORITHM=INSTANT;
