"""`SELECT *` in SQL the endpoint runs: every column is read, sent and decoded, wide text and
blob columns included, and no covering index can answer the query."""

from __future__ import annotations

from collections.abc import Iterator

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.rules.base import ALL_LANGUAGES, ApiCode, Hit
from apiscope.analysis.analysers.rules.code import UnitCode
from apiscope.analysis.analysers.rules.sql import select_strings, selects_star


class SelectStar:
    """A `SELECT *` query."""

    id = "select-star"
    severity: Severity = "low"
    label = "SELECT * queries"
    languages = ALL_LANGUAGES

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Every string literal holding a `SELECT *`."""
        for node, sql in select_strings(code):
            if selects_star(sql):
                yield Hit(
                    spots=(code.spot(node),),
                    title=f"SELECT * in {code.name}",
                    explanation=(
                        "The query reads every column of the table: unused wide columns are "
                        "read, transferred and decoded, and no covering index can serve it."
                    ),
                    recommendation="Name the columns the endpoint actually uses.",
                )
