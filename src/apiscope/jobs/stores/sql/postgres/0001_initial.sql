-- Jobs, their step checkpoints, and tombstones of jobs removed after their retention period.
CREATE TABLE apiscope_jobs (
    id               text PRIMARY KEY,
    kind             text NOT NULL,
    params           jsonb NOT NULL,
    status           text NOT NULL
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    progress         smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    message          text NOT NULL DEFAULT '',
    result           jsonb,
    error            text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    run_at           timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    expires_at       timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL,
    version          bigint NOT NULL DEFAULT 1,
    owner            text,
    idempotency_key  text,
    fingerprint      text,
    lease_token      text,
    lease_expires_at timestamptz,
    steps            jsonb NOT NULL DEFAULT '[]'
);

CREATE INDEX apiscope_jobs_due ON apiscope_jobs (run_at, created_at) WHERE status = 'pending';
CREATE INDEX apiscope_jobs_leases ON apiscope_jobs (lease_expires_at) WHERE status = 'processing';
CREATE INDEX apiscope_jobs_expiry ON apiscope_jobs (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX apiscope_jobs_newest ON apiscope_jobs (created_at DESC, id DESC);
CREATE INDEX apiscope_jobs_owner_newest ON apiscope_jobs (owner, created_at DESC, id DESC);
CREATE UNIQUE INDEX apiscope_jobs_idempotency
    ON apiscope_jobs ((coalesce(owner, '')), idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE apiscope_job_checkpoints (
    job_id text NOT NULL REFERENCES apiscope_jobs (id) ON DELETE CASCADE,
    step   text NOT NULL,
    output jsonb NOT NULL,
    PRIMARY KEY (job_id, step)
);

CREATE TABLE apiscope_expired_jobs (
    id         text PRIMARY KEY,
    expired_at timestamptz NOT NULL
);
CREATE INDEX apiscope_expired_jobs_age ON apiscope_expired_jobs (expired_at);
