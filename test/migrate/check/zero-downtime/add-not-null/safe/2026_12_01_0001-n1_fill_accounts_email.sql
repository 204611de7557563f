-- fill accounts email
--
-- Revision ID: n1
-- Revises: accounts0
-- Create Date: 2026-12-01 10:00:00

-- migrate:upgrade
-- The code now always writes email; this fills the rows written before it.
UPDATE accounts SET email = '' WHERE email IS NULL;

-- migrate:downgrade
-- The rows filled cannot be told from others; nothing to undo.
UPDATE accounts SET email = email WHERE email IS NULL;
