"""`python -m apiscope`: the same as the `apiscope` command."""

from apiscope.cli import main

main()
