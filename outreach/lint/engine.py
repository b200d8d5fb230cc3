"""Load the rules (rules/*.toml), run them on a draft, filter and sort the findings.

A rule file holds one family: ``family = "name"`` and ``[[rule]]`` tables with code, slug,
category (the family's name), kind, severity, message, why, fix, bad, good, and the fields of
its kind (see kinds/).  A new family is a new file; no code names the families.  Loading
validates everything and fails with the file, line and rule at fault.  Codes are unique across
files and never reused; selecting by a code prefix (``OUT1``) selects a family.
"""

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from outreach import resources
from outreach.errors import OutreachError
from outreach.lint.draft import Draft
from outreach.lint.kinds import KINDS, Kind
from outreach.lint.report import LEVELS, Finding, Report

if TYPE_CHECKING:  # built only for examples and by the store lookup: start-up stays free of the model
    from outreach.model import RecipientContext

# Vocabulary files that live beside the rules but hold no rules.
VOCABULARY_FILES = frozenset({"acts.toml", "politeness.toml"})
_CODE = re.compile(r"^OUT\d{3}$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,60}$")
_COMMON = ("code", "slug", "category", "kind", "severity", "message", "why", "fix", "bad", "good")


class RuleError(OutreachError):
    """A rule file is broken; the message starts with its path."""


class Rule(NamedTuple):
    """One rule as loaded from its file; ``check`` is its kind, built from ``params``."""

    code: str
    slug: str
    category: str
    kind: str
    severity: str
    message: str
    why: str
    fix: str
    bad: tuple[str, ...]
    good: tuple[str, ...]
    params: dict[str, Any]
    source: str
    check: Kind
    examples_context: dict[str, Any] | None = None  # the recipient the examples are written to

    def example_recipient(self) -> "RecipientContext | None":
        """``examples_context`` as the RecipientContext the examples are linted with, or None."""
        if self.examples_context is None:
            return None
        from outreach.model import RecipientContext

        try:
            return RecipientContext(address="example@example.com", **self.examples_context)
        except TypeError as exc:
            raise RuleError(f"{self.source}: {self.code}: examples_context: {exc}") from None

    def matches(self, selector: str) -> bool:
        """``selector`` is a code prefix (OUT1, OUT101), a category, a slug, or 'all'."""
        selector = selector.strip()
        return (
            selector.lower() == "all"
            or self.code.startswith(selector.upper())
            or selector.lower() in (self.category, self.slug)
        )


_CACHE: dict[Path, list[Rule]] = {}


def load_rules(directory: Path | None = None) -> list[Rule]:
    """All rules in ``directory`` (default: the bundled rules/), validated, in code order."""
    directory = Path(directory or resources.rules_dir())
    if directory not in _CACHE:
        _CACHE[directory] = _load(directory)
    return _CACHE[directory]


def categories(rules: list[Rule]) -> list[str]:
    """The families (categories) of these rules, in code order."""
    return list(dict.fromkeys(rule.category for rule in rules))


def _load(directory: Path) -> list[Rule]:
    files = sorted(p for p in directory.glob("*.toml") if p.name not in VOCABULARY_FILES)
    if not files:
        raise RuleError(f"{directory}: no rule files (*.toml) found")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        for rule in load_file(path):
            for key in (rule.code, rule.slug):
                if key in seen:
                    raise RuleError(f"{path}: {rule.code}: {key!r} is already used in {seen[key]}")
                seen[key] = str(path)
            rules.append(rule)
    return sorted(rules, key=lambda r: r.code)


def load_file(path: Path) -> list[Rule]:
    """The rules of one family file; RuleError names the file (and line, for TOML errors)."""
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RuleError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:  # its message has the line and column
        raise RuleError(f"{path}: not valid TOML: {exc}") from None
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{path}: no [[rule]] tables")
    extra = set(data) - {"rule", "family"}
    if extra:
        raise RuleError(f"{path}: unknown top-level key(s): {', '.join(sorted(extra))}")
    family = data.get("family")
    if not isinstance(family, str) or not _SLUG.match(family):
        raise RuleError(f"{path}: needs a top-level family = \"name\" (lower-case words joined by '-')")
    return [_rule(path, source, family, index, entry) for index, entry in enumerate(entries, 1)]


def _line(source: str, index: int, key: str) -> int:
    """The line of ``key`` in the index-th ``[[rule]]`` table of a file (of its header if absent)."""
    lines = source.splitlines()
    headers = [n for n, line in enumerate(lines) if line.strip() == "[[rule]]"]
    if index > len(headers):
        return 1
    start = headers[index - 1]
    stop = headers[index] if index < len(headers) else len(lines)
    for n in range(start, stop):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[n]):
            return n + 1
    return start + 1


def _rule(path: Path, source: str, family: str, index: int, entry: dict[str, Any]) -> Rule:
    def where(key: str) -> str:
        code = f" ({entry['code']})" if isinstance(entry.get("code"), str) else ""
        return f"{path}:{_line(source, index, key)}: rule #{index}{code}"

    missing = [key for key in _COMMON if key not in entry]
    if missing:
        raise RuleError(f"{where('[[rule]]')}: missing {', '.join(missing)}")
    text_fields = ("code", "slug", "category", "kind", "severity", "message", "why", "fix")
    for key in text_fields:
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise RuleError(f"{where(key)}: {key!r} must be a non-empty string")
    for key in ("bad", "good"):
        if not isinstance(entry[key], list) or not all(isinstance(x, str) for x in entry[key]):
            raise RuleError(f"{where(key)}: {key!r} must be a list of example texts")
    if not _CODE.match(entry["code"]):
        raise RuleError(f"{where('code')}: code must look like OUT123")
    if not _SLUG.match(entry["slug"]):
        raise RuleError(f"{where('slug')}: slug must be lower-case words joined by '-'")
    if entry["category"] != family:
        raise RuleError(f"{where('category')}: category {entry['category']!r} is not this file's family {family!r}")
    if entry["severity"] not in LEVELS:
        raise RuleError(f"{where('severity')}: severity must be info, warning or error")
    kind = KINDS.get(entry["kind"])
    if kind is None:
        raise RuleError(f"{where('kind')}: unknown kind {entry['kind']!r} (kinds: {', '.join(KINDS)})")
    params = {k: v for k, v in entry.items() if k not in _COMMON and k != "examples_context"}
    examples_context = entry.get("examples_context")
    plain = (str, int, float, bool)
    if examples_context is not None and not (
        isinstance(examples_context, dict) and all(isinstance(v, plain) for v in examples_context.values())
    ):
        raise RuleError(
            f"{where('examples_context')}: examples_context must be a table of plain values (RecipientContext fields)"
        )
    try:
        check = kind(params)
    except ValueError as exc:  # the kind names the field; point at the rule's kind line
        raise RuleError(f"{where(_field(exc, params))}: {exc}") from None
    return Rule(
        code=entry["code"], slug=entry["slug"], category=entry["category"], kind=entry["kind"],
        severity=entry["severity"], message=entry["message"].strip(), why=" ".join(entry["why"].split()),
        fix=" ".join(entry["fix"].split()), bad=tuple(entry["bad"]), good=tuple(entry["good"]),
        params=params, source=str(path), check=check, examples_context=examples_context,
    )


def _field(exc: ValueError, params: dict[str, Any]) -> str:
    """The rule field a kind's error is about, when its message names one."""
    return next((key for key in params if repr(key) in str(exc) or f"{key} " in str(exc)), "kind")


def selected(rules: list[Rule], select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """Rules matching any of ``select`` (all when empty) and none of ``ignore``."""
    out = [r for r in rules if not select or any(r.matches(s) for s in select)]
    return [r for r in out if not ignore or not any(r.matches(s) for s in ignore)]


def run(draft: Draft, rules: list[Rule], path: str = "<text>") -> Report:
    """Run the rules on a prepared draft; honours the draft's own suppressions."""
    findings: list[Finding] = []
    active = selected(rules, ignore=draft.ignored) if draft.ignored else rules
    for rule in active:
        for hit in rule.check.run(draft):
            line, column = draft.position(hit.start)
            end_line, end_column = draft.position(hit.end)
            span = " ".join(draft.text[hit.start : hit.end].split())
            values = {**hit.values, "span": span}
            findings.append(
                Finding(
                    code=rule.code, slug=rule.slug, category=rule.category, severity=rule.severity,
                    line=line, column=column, end_line=end_line, end_column=end_column,
                    span=span[:200], message=_format(rule.message, values), fix=rule.fix,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return Report(path=path, findings=findings, metrics=draft.metrics(), to=draft.to, context=draft.context is not None)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(message: str, values: dict[str, Any]) -> str:
    try:
        return message.format_map(_Blank(values))
    except (ValueError, IndexError):  # stray braces in a message: show it as written
        return message


def lint(
    text: str,
    to: str | None = None,
    *,
    context: "RecipientContext | None" = None,
    subject: str = "",
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    rules_dir: Path | None = None,
    db: str | Path | None = None,
    path: str = "<text>",
) -> Report:
    """Lint one draft body.

    ``context`` is what the store knows about the recipient; when it is not given but ``to``
    and ``db`` (a store file) are, it is looked up there.  Without either, the relationship
    rules are skipped.
    """
    if context is None and to and db:
        context = recipient_context(db, to)
    rules = selected(load_rules(rules_dir), select, ignore)
    draft = Draft(text=text, to=to, subject=subject, context=context)
    return run(draft, rules, path)


def recipient_context(db: str | Path, address: str) -> "RecipientContext | None":
    """What the store at ``db`` knows about ``address``; None when there is no store to ask.

    Reads only an existing store file (never creates one).  The network modules are
    imported lazily: the linter works, without context, where it is missing.
    """
    path = Path(db).expanduser()
    if not path.is_file():
        return None
    try:
        from outreach.network.contacts import recipient_context as lookup
        from outreach.store.db import Store
    except ImportError:
        return None
    with Store.open(path, readonly=True) as store:
        return lookup(store, address)
