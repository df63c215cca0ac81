"""apiscope's PostgreSQL queue + workers shape beside Procrastinate, Celery and arq
(`bench.queues.run`), and the SSE watchers one API process holds (`bench.queues.sse`).

Run with the benchmark's own virtualenvs (`bash bench/queues/setup.sh`); see bench/README.md.
"""
