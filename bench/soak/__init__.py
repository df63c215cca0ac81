"""A sustained load run against `apiscope serve`: many clients submitting jobs and following them
to the end for minutes, with the server's memory sampled throughout (`python -m bench.soak`)."""
