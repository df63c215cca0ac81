"""apiscope: trace worst-performing API endpoints to code and explain them, as async jobs."""

__version__ = "0.1.0"
