"""Prometheus metrics of the engine, in a registry of its own (never the global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from apiscope.jobs.model import Job, StoreStats

DURATION_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, float("inf"))


class JobMetrics:
    """Counters and histograms observed by this process, gauges read from the store at scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.submitted = Counter(
            "apiscope_jobs_submitted", "Jobs submitted", ["kind"], registry=self.registry
        )
        self.finished = Counter(
            "apiscope_jobs_finished",
            "Jobs that reached a final state in this process",
            ["kind", "status"],
            registry=self.registry,
        )
        self.retried = Counter(
            "apiscope_jobs_retried", "Attempts that failed and were retried", ["kind"],
            registry=self.registry,
        )  # fmt: skip
        self.duration = Histogram(
            "apiscope_job_duration_seconds",
            "Time from a job's first start to its final state",
            ["kind", "status"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.jobs = Gauge("apiscope_jobs", "Jobs in the store by status", ["status"],
                          registry=self.registry)  # fmt: skip
        self.queue_depth = Gauge(
            "apiscope_jobs_queue_depth", "Pending jobs already due to run", registry=self.registry
        )

    def observe_finished(self, job: Job) -> None:
        """Count a job that reached a final state, with its duration."""
        self.finished.labels(job.kind, job.status.value).inc()
        if job.started_at and job.finished_at:
            seconds = (job.finished_at - job.started_at).total_seconds()
            self.duration.labels(job.kind, job.status.value).observe(seconds)

    def render(self, stats: StoreStats) -> bytes:
        """The Prometheus text exposition, with the store's current counts."""
        for status, count in stats.by_status.items():
            self.jobs.labels(status.value).set(count)
        self.queue_depth.set(stats.due)
        return generate_latest(self.registry)
