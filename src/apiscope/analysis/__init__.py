"""apiscope.analysis: the worst-APIs analysis (sources, discovery, traffic, matching, analysers).

It builds on `apiscope.jobs`; `apiscope.jobs` never imports it.
"""
