"""Benchmarks of the job engine, each run side by side with a baseline in the same run.

The machine they run on is small and shared, so absolute numbers drift from run to run; the
ratio to a baseline measured in the same run is the number to compare (`make bench`).
"""
