"""The act vocabulary (``rules/acts.toml``) as typed look-ups.

Cue and subtype groups, and the order in which subtypes are tried, are data: the file's
``[order]`` table names the groups the detector knows, and a group under ``[cues]`` or
``[subtypes]`` that it does not name is an error naming the file and line.
"""

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.errors import DataError
from outreach.judge.words import Phrases

VOCABULARY = resources.rule_file(resources.ACT_VOCABULARY)


class Vocabulary(NamedTuple):
    cues: Phrases  # groups: ask, offer, resource, congrats, thanks, introduce, neutral
    signals: Phrases  # words worth a closer look by a learned judge; they decide nothing alone
    topics: Phrases  # subtype groups
    subtype_order: tuple[str, ...]  # ask subtypes tried in this order when no size decides
    formula_thanks: Phrases  # "thanks for your message": a formula, not a favour ("named": one that names more)
    bare_thanks: frozenset[str]  # cues that say for nothing by themselves ("thanks", "thank you")
    thanks_specific: Phrases  # after a bare thanks, words that say what for ("this is really helpful")
    thanks_said_before: Phrases  # before a bare thanks, words that say what for ("... was so helpful, thanks")
    own_text_ends: tuple[str, ...]  # lines where forwarded or quoted text begins
    quote_attributions: tuple[str, ...]  # verbs of the line before a quoted reply ("wrote", "schrieb")
    disclaimer: Phrases  # sentences that are legal boilerplate
    reader_words: frozenset[str]  # a question holding one of these asks the reader
    writer_words: frozenset[str]  # the writer in the sentence: a call or meeting with them is their time
    greeting_words: frozenset[str]  # looked past before a command ("Hi, send me ...")
    proposal_words: frozenset[str]  # a short question holding one proposes a time ("Dinner on Thursday?")
    proposal_length: int  # the most words such a question has
    commands: Phrases  # verbs that make a sentence opening with them a command
    amount_re: re.Pattern[str]
    amount_gate: re.Pattern[str]
    duration_re: re.Pattern[str]
    unit_gate: re.Pattern[str]
    units: dict[str, float]
    quantities: dict[str, float]
    multipliers: dict[str, float]
    name_fillers: frozenset[str]
    closing_words: frozenset[str]
    not_names: frozenset[str]
    not_after: frozenset[str]
    not_before: tuple[str, ...]


def load(path: Path) -> Vocabulary:
    """Read a vocabulary file; any problem is a DataError (a ValueError) naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        _check_groups(text, data)
        return _build(data)
    except (OSError, KeyError, TypeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{path}: cannot load act vocabulary: {exc}") from exc


def _check_groups(text: str, data: dict) -> None:
    order = data["order"]
    for table, known in (("cues", order["cues"]), ("subtypes", order["subtypes"])):
        for group, phrases in data[table].items():
            if group not in known:
                raise ValueError(f"line {_line_of(text, table, group)}: unknown {table} group {group!r} "
                                 f"(known: {', '.join(known)}; add it to [order] and the detector)")  # fmt: skip
            if not isinstance(phrases, list):
                raise TypeError(f"line {_line_of(text, table, group)}: {group!r} must be a list of phrases")


def _line_of(text: str, table: str, key: str) -> int:
    """The line where ``key = ...`` is set inside ``[table]`` (1-based; 0 when not found)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{table}]"
        elif inside and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 0


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


def _build(data: dict) -> Vocabulary:
    durations, amounts, names = data["durations"], data["amounts"], data["names"]
    units = {k: float(v) for k, v in durations["units"].items()}
    stems = [u for u in units if not any(u != o and u.startswith(o) for o in units)]  # "min", not "mins"
    quantities = {k: float(v) for k, v in durations["quantities"].items()}
    multipliers = {k: float(v) for k, v in amounts["multipliers"].items()}
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?"
    words, mult = _alternation(quantities), _alternation(multipliers)
    quantity = rf"\d{{1,4}}(?:\.\d{{1,2}})?|{words}"
    currencies = "".join(c for c in amounts["before"] if len(c) == 1)
    writer = data["writer"]
    return Vocabulary(
        cues=Phrases({group: phrases for group, phrases in data["cues"].items() if group != "signal"}),
        signals=Phrases({"signal": data["cues"].get("signal", [])}),
        topics=Phrases(data["subtypes"]),
        subtype_order=tuple(data["order"]["ask_subtypes"]),
        formula_thanks=Phrases({"formula": data["thanks"]["formula"], "named": data["thanks"]["formula_named"]}),
        bare_thanks=frozenset(data["thanks"]["bare"]),
        thanks_specific=Phrases({"specific": data["thanks"]["specific"]}),
        thanks_said_before=Phrases({"said_before": data["thanks"]["said_before"]}),
        own_text_ends=tuple(line.lower() for line in writer["ends_at"]),
        quote_attributions=tuple(line.lower() for line in writer["wrote"]),
        disclaimer=Phrases({"disclaimer": writer["disclaimer"]}),
        reader_words=frozenset(data["requests"]["reader_words"]),
        writer_words=frozenset(data["requests"]["writer_words"]),
        greeting_words=frozenset(data["requests"]["greeting_words"]),
        proposal_words=frozenset(data["requests"]["proposal_words"]),
        proposal_length=int(data["requests"]["proposal_length"]),
        commands=Phrases({"command": data["requests"]["commands"]}),
        amount_re=re.compile(
            rf" (?:(?P<cur1>{_alternation(amounts['before'])})\s?)?"
            rf"(?:(?P<num>{number})|(?P<word>{words})(?=\s(?:{mult})\b))"
            rf"(?:\s?(?P<mult>{mult})\b)?"
            rf"(?:\s?(?P<cur2>{_alternation(amounts['after'])})\b)?"
        ),
        amount_gate=re.compile("[0-9" + re.escape(currencies) + "]|"
                               + _alternation(w for w in multipliers if len(w) > 2)),  # fmt: skip
        duration_re=re.compile(
            rf" (?P<q>{quantity})(?:\s?(?:-|\u2013|to|or)\s?(?P<q2>{quantity}))?"
            rf"(?:\s(?:{_alternation(durations['fillers'])}))?\s?-?\s?(?P<unit>{_alternation(units)})\b"
        ),
        unit_gate=re.compile(_alternation(stems)),
        units=units,
        quantities=quantities,
        multipliers=multipliers,
        name_fillers=frozenset(names["fillers"]),
        closing_words=frozenset(data["closing"]["words"]),
        not_names=frozenset(names["not_names"]),
        not_after=frozenset(durations["not_after"]),
        not_before=tuple(durations["not_before"]),
    )


_VOCABULARY: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = load(VOCABULARY)
    return _VOCABULARY
