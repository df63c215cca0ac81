-- Named queries of the PostgreSQL store; `-- name: x` starts query x.

-- name: select_job
SELECT * FROM apiscope_jobs WHERE id = %s;

-- name: lock_job
SELECT * FROM apiscope_jobs WHERE id = %s FOR UPDATE;

-- name: is_expired
SELECT 1 FROM apiscope_expired_jobs WHERE id = %s;

-- name: select_idempotent
SELECT * FROM apiscope_jobs WHERE coalesce(owner, '') = %s AND idempotency_key = %s;

-- name: claim_due
-- `transitions.claimed` for the oldest due jobs as one statement, with its notifications. The
-- store checks each returned row against the Python transition, given the old_* values.
WITH due AS (
    SELECT id, status, attempts, lease_token, lease_expires_at, started_at, message, updated_at,
           version
    FROM apiscope_jobs
    WHERE status = 'pending' AND run_at <= %(now)s AND kind = ANY(%(kinds)s)
    ORDER BY run_at, created_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE apiscope_jobs AS j SET
    status = 'processing',
    attempts = due.attempts + 1,
    lease_token = %(token)s,
    lease_expires_at = %(lease_until)s,
    started_at = coalesce(due.started_at, %(now)s),
    message = CASE WHEN due.attempts = 0 THEN 'Started'
                   ELSE 'Started attempt ' || (due.attempts + 1) END,
    updated_at = %(now)s,
    version = due.version + 1
FROM due
WHERE j.id = due.id
RETURNING j.*,
    due.status AS old_status, due.attempts AS old_attempts, due.lease_token AS old_lease_token,
    due.lease_expires_at AS old_lease_expires_at, due.started_at AS old_started_at,
    due.message AS old_message, due.updated_at AS old_updated_at, due.version AS old_version,
    pg_notify(%(changes)s, j.id) AS notified;

-- name: lease_expired
SELECT * FROM apiscope_jobs
WHERE status = 'processing' AND lease_expires_at < %s
FOR UPDATE SKIP LOCKED;

-- name: save_checkpoint
INSERT INTO apiscope_job_checkpoints (job_id, step, output) VALUES (%s, %s, %s)
ON CONFLICT (job_id, step) DO UPDATE SET output = excluded.output;

-- name: load_checkpoints
SELECT step, output FROM apiscope_job_checkpoints WHERE job_id = %s;

-- name: count_by_status
SELECT status, count(*) AS n FROM apiscope_jobs GROUP BY status;

-- name: count_due
SELECT count(*) AS n FROM apiscope_jobs WHERE status = 'pending' AND run_at <= %s;

-- name: delete_expired
DELETE FROM apiscope_jobs
WHERE id IN (
    SELECT id FROM apiscope_jobs WHERE expires_at <= %s LIMIT %s FOR UPDATE SKIP LOCKED
)
RETURNING id;

-- name: insert_tombstone
INSERT INTO apiscope_expired_jobs (id, expired_at) VALUES (%s, %s) ON CONFLICT DO NOTHING;

-- name: forget_tombstones
DELETE FROM apiscope_expired_jobs WHERE expired_at <= %s;

-- name: schema_version
SELECT coalesce(max(version), 0) AS v FROM apiscope_migrations;

-- name: has_migrations
SELECT to_regclass('apiscope_migrations') IS NOT NULL AS present;

-- name: create_migrations
CREATE TABLE IF NOT EXISTS apiscope_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- name: record_migration
INSERT INTO apiscope_migrations (version) VALUES (%s);
