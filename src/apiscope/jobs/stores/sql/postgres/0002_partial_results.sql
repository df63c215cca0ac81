-- Partial results a running job reports before its final result.
ALTER TABLE apiscope_jobs ADD COLUMN partial jsonb;
