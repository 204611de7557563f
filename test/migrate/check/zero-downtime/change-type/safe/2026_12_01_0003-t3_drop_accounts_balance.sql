-- drop accounts balance
--
-- Revision ID: t3
-- Revises: t2
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- check:allow drop-column the code reads and writes only balance_big since the release before this one
ALTER TABLE accounts DROP COLUMN balance;

-- migrate:downgrade
ALTER TABLE accounts ADD COLUMN balance integer;
UPDATE accounts SET balance = balance_big;
