"""Fixture applications under fixtures/ are data for discovery, not tests to collect."""

collect_ignore_glob = ["fixtures/*"]
