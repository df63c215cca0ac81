-- Jobs, their step checkpoints, and tombstones of jobs removed after their retention period.
-- Times are UNIX seconds (REAL); JSON columns hold text.
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    params           TEXT NOT NULL,
    status           TEXT NOT NULL
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    progress         INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    message          TEXT NOT NULL DEFAULT '',
    result           TEXT,
    error            TEXT,
    created_at       REAL NOT NULL,
    updated_at       REAL NOT NULL,
    run_at           REAL NOT NULL,
    started_at       REAL,
    finished_at      REAL,
    expires_at       REAL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    owner            TEXT,
    idempotency_key  TEXT,
    fingerprint      TEXT,
    lease_token      TEXT,
    lease_expires_at REAL,
    steps            TEXT NOT NULL DEFAULT '[]'
);

CREATE INDEX jobs_due ON jobs (run_at, created_at) WHERE status = 'pending';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'processing';
CREATE INDEX jobs_expiry ON jobs (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX jobs_newest ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_owner_newest ON jobs (owner, created_at DESC, id DESC);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (coalesce(owner, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE job_checkpoints (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step   TEXT NOT NULL,
    output TEXT NOT NULL,
    PRIMARY KEY (job_id, step)
);

CREATE TABLE expired_jobs (
    id         TEXT PRIMARY KEY,
    expired_at REAL NOT NULL
);
CREATE INDEX expired_jobs_age ON expired_jobs (expired_at);
