"""Findings and reports, and their two output formats: text and JSON.

JSON schema (``"schema": "outreach-lint/1"``; fields are only ever added within a version):

    {"schema": "outreach-lint/1",
     "drafts": [{"path": str, "to": str|null, "context": bool,
                 "findings": [{"code", "slug", "category", "severity", "line", "column",
                               "end_line", "end_column", "span", "message", "fix"}],
                 "metrics": {"words", "sentences", "questions", "reading_grade",
                             "politeness": {"score": float|null, "requests": int, "strategies": {name: n}},
                             "asks": [{"kind", "amount", "minutes", "sentence", "cue", "model"?}],
                             "gives": [{"kind", "subtype", "sentence", "cue"}],
                             "tasks": [{"sentence", "cue", "model"?}]}}],
     ("cue": the phrase that showed the act, or null when the request model alone did; then
      "model": its weightiest features, [[feature, weight], ...])
     "summary": {"drafts": int, "findings": int, "errors": int, "warnings": int, "infos": int}}
"""

from typing import NamedTuple

SCHEMA = "outreach-lint/1"
LEVELS = {"info": 0, "warning": 1, "error": 2}
_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m"}


class Finding(NamedTuple):
    code: str
    slug: str
    category: str
    severity: str
    line: int
    column: int
    end_line: int
    end_column: int
    span: str
    message: str
    fix: str


class Report:
    """The result of linting one draft; ``context`` says whether recipient context was used."""

    def __init__(
        self, path: str, findings: list[Finding], metrics: dict, to: str | None = None, context: bool = False
    ) -> None:
        self.path, self.findings, self.metrics, self.to, self.context = path, findings, metrics, to, context

    def __repr__(self) -> str:
        return f"Report({self.path!r}, {len(self.findings)} finding(s): {', '.join(self.codes) or '-'})"

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.findings}

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def failing(self, level: str = "error") -> list[Finding]:
        """Findings at or above ``level``."""
        threshold = LEVELS[level]
        return [f for f in self.findings if LEVELS[f.severity] >= threshold]

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "to": self.to,
            "context": self.context,
            "findings": [f._asdict() for f in self.findings],
            "metrics": self.metrics,
        }


def format_text(reports: list[Report], color: bool = False) -> str:
    """``path:line:col: CODE [severity] message`` then an indented fix hint, per finding."""
    lines: list[str] = []
    for report in reports:
        for f in report.findings:
            severity = f"[{f.severity}]"
            if color:
                severity = _COLORS.get(f.severity, "\x1b[36m") + severity + "\x1b[0m"
            lines.append(f"{report.path}:{f.line}:{f.column}: {f.code} {severity} {f.message}")
            if f.fix:
                lines.append(f"    fix: {f.fix}")
    counts = _summary(reports)
    if counts["findings"]:
        lines.append(
            f"{counts['findings']} finding(s) in {counts['drafts']} draft(s): "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s), {counts['infos']} info"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(reports: list[Report]) -> str:
    import json  # here: text output is the common case, and start-up counts

    document = {"schema": SCHEMA, "drafts": [r.to_dict() for r in reports], "summary": _summary(reports)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _summary(reports: list[Report]) -> dict:
    findings = [f for r in reports for f in r.findings]
    return {
        "drafts": len(reports),
        "findings": len(findings),
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "infos": sum(f.severity == "info" for f in findings),
    }
