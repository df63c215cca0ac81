"""The fault suite: many short jobs while servers, workers and the database are killed or
restarted at random moments, then an account of every job (`python -m bench.faults --help`).

Loopback only, bounded in job count and time; it starts and stops its own processes.
"""
