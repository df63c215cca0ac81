-- Partial results a running job reports before its final result.
ALTER TABLE jobs ADD COLUMN partial TEXT;
