"""Kind ``pattern``: bounded regular expressions over the normalised lower-case text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind
from outreach.lint.kinds.bounded import check_bounded
from outreach.lint.kinds.excuse import Excuse


class Pattern(Kind):
    """Each pattern must pass ``check_bounded``, so a scan stays linear in the draft."""

    name = "pattern"
    required = {"patterns": list}
    optional = {"unless": (list, None), "unless_scope": (str, "sentence")}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.compiled = []
        for source in self.patterns:
            check_bounded(source)
            self.compiled.append(re.compile(source))
        self.excuse = Excuse(self.unless, self.unless_scope)

    def run(self, draft: Draft) -> Iterator[Hit]:
        if self.excuse.whole_draft(draft):
            return
        for pattern in self.compiled:
            for match in pattern.finditer(draft.low):
                start = max(0, match.start() - 1)
                end = max(start, match.end() - 1)
                while start < end and draft.low[start + 1] == " ":  # report the words, not the spaces
                    start += 1
                if end > start and not self.excuse.near(draft, start):
                    yield Hit(start, end, {"match": " ".join(draft.text[start:end].split())})
