"""The rule kinds: the only lint code.  Every rule in rules/*.toml names one of these.

A kind is a class built once per rule from the rule's own fields (``params``) and run on a
prepared ``Draft``; it yields ``Hit(start, end, values)``: the span of text to report and the
values its message may use ({amount}, {minutes}, {limit}, {score} ...).  Building a kind
validates the rule's fields, so a bad rule file fails at load, naming the rule.

Kinds: phrase, pattern, money_ask, time_ask, metric, balance, politeness, context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from outreach.ingest import acts
from outreach.lint.draft import Draft

_MAX_REPEAT = 100  # the largest {m,n} a rule pattern may use


class Hit(NamedTuple):
    start: int
    end: int
    values: dict[str, Any]


class Kind:
    """Base: declares the fields a rule of this kind takes and checks their types."""

    required: dict[str, type] = {}
    optional: dict[str, tuple[type, Any]] = {}

    def __init__(self, params: dict[str, Any]) -> None:
        unknown = set(params) - set(self.required) - set(self.optional)
        if unknown:
            raise ValueError(f"unknown field(s) for kind {self.name!r}: {', '.join(sorted(unknown))}")
        for key, typ in self.required.items():
            if key not in params:
                raise ValueError(f"kind {self.name!r} needs field {key!r}")
            setattr(self, key, _typed(key, params[key], typ))
        for key, (typ, default) in self.optional.items():
            setattr(self, key, _typed(key, params[key], typ) if key in params else default)

    name = ""

    def run(self, draft: Draft) -> Iterator[Hit]:
        raise NotImplementedError


def _typed(key: str, value: Any, typ: type) -> Any:
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if typ is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise ValueError(f"field {key!r} must be a non-empty list of strings")
        return value
    if not isinstance(value, typ) or (typ is not bool and isinstance(value, bool)):
        raise ValueError(f"field {key!r} must be {typ.__name__}, got {value!r}")
    return value


def _excused(draft: Draft, start: int, unless: re.Pattern[str] | None, scope: str) -> bool:
    """True when an 'unless' phrase appears in the hit's sentence (or the whole draft)."""
    if unless is None:
        return False
    if scope == "draft":
        return unless.search(draft.low) is not None
    sentence = draft.sentence_at(start)
    if sentence is None:
        return False
    return unless.search(draft.low, sentence.start, sentence.end + 1) is not None


class Phrase(Kind):
    """Any of a list of phrases (lower-case, "*" = prefix), unless an excusing phrase is near."""

    name = "phrase"
    required = {"phrases": list}
    optional = {"unless": (list, None), "unless_scope": (str, "sentence")}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.matcher = acts.phrase_pattern(p.lower() for p in self.phrases)
        self.excuse = acts.phrase_pattern(p.lower() for p in self.unless) if self.unless else None
        if self.unless_scope not in ("sentence", "draft"):
            raise ValueError("unless_scope must be 'sentence' or 'draft'")

    def run(self, draft: Draft) -> Iterator[Hit]:
        if self.unless_scope == "draft" and _excused(draft, 0, self.excuse, "draft"):
            return
        for match in self.matcher.finditer(draft.low):
            start, end = match.start(), match.end() - 1  # " " + text: the phrase starts one later
            if self.unless_scope == "draft" or not _excused(draft, start, self.excuse, "sentence"):
                yield Hit(start, end, {"match": " ".join(draft.text[start:end].split())})


class Pattern(Kind):
    """Bounded regular expressions over the normalised lower-case text (see ``check_bounded``)."""

    name = "pattern"
    required = {"patterns": list}
    optional = {"unless": (list, None), "unless_scope": (str, "sentence")}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        from outreach import compiled

        self.compiled = [compiled.regex(source, validate=check_bounded) for source in self.patterns]
        self.excuse = acts.phrase_pattern(p.lower() for p in self.unless) if self.unless else None
        if self.unless_scope not in ("sentence", "draft"):
            raise ValueError("unless_scope must be 'sentence' or 'draft'")

    def run(self, draft: Draft) -> Iterator[Hit]:
        if self.unless_scope == "draft" and _excused(draft, 0, self.excuse, "draft"):
            return  # checked once, not once per hit: long drafts stay linear
        for pattern in self.compiled:
            for match in pattern.finditer(draft.low):
                start = max(0, match.start() - 1)
                end = max(start, match.end() - 1)
                while start < end and draft.low[start + 1] == " ":  # report the words, not the spaces
                    start += 1
                excused = self.unless_scope == "sentence" and _excused(draft, start, self.excuse, "sentence")
                if end > start and not excused:
                    yield Hit(start, end, {"match": " ".join(draft.text[start:end].split())})


class MoneyAsk(Kind):
    """The writer asks the reader for money: at or above ``min_amount``, or with no sum stated.

    With relationship context the limit grows with tie strength, up to ``strong_tie_factor``
    times ``min_amount`` for the user's strongest tie.
    """

    name = "money_ask"
    optional = {"min_amount": (float, 0.0), "unsized": (bool, False), "strong_tie_factor": (float, 1.0)}

    def run(self, draft: Draft) -> Iterator[Hit]:
        limit = _scaled(self.min_amount, self.strong_tie_factor, draft)
        for found in draft.asks:
            if found.subtype != "money":
                continue
            if self.unsized and found.amount is None:
                yield Hit(found.focus_start, found.focus_end, {"limit": _money(limit), "amount": "an unstated sum"})
            elif not self.unsized and found.amount is not None and found.amount >= limit:
                yield Hit(found.focus_start, found.focus_end, {"amount": _money(found.amount), "limit": _money(limit)})


class TimeAsk(Kind):
    """The writer asks for more than ``above`` minutes of the reader's time (and less than ``below``)."""

    name = "time_ask"
    required = {"above": int}
    optional = {"below": (int, None), "strong_tie_factor": (float, 1.0)}

    def run(self, draft: Draft) -> Iterator[Hit]:
        above = _scaled(self.above, self.strong_tie_factor, draft)
        for found in draft.asks:
            minutes = found.minutes
            if found.subtype != "time" or minutes is None or minutes <= above:
                continue
            if self.below is not None and minutes >= self.below:
                continue
            yield Hit(found.focus_start, found.focus_end,
                      {"minutes": minutes, "duration": _duration(minutes), "limit": _duration(int(above))})


def _scaled(base: float, factor: float, draft: Draft) -> float:
    context = draft.context
    if context is None or not context.known or factor == 1.0:
        return base
    return base * (1.0 + (factor - 1.0) * max(0.0, min(1.0, context.strength)))


_METRICS = ("words", "sentences", "questions", "grade", "asks", "sentence_words")


class Metric(Kind):
    """A per-draft figure above ``max`` (or below ``min``); ``sentence_words`` is per sentence.

    ``min_words``: skip drafts shorter than this; ``only_with_asks``: apply only to drafts that
    ask for one of these subtypes (e.g. a request for advice with no question in it).
    """

    name = "metric"
    required = {"metric": str}
    optional = {"max": (float, None), "min": (float, None), "min_words": (int, 0), "only_with_asks": (list, None)}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        if self.metric not in _METRICS:
            raise ValueError(f"metric must be one of {', '.join(_METRICS)}")
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")

    def _bad(self, value: float) -> bool:
        return value > self.max if self.max is not None else value < self.min

    def run(self, draft: Draft) -> Iterator[Hit]:
        if len(draft.words) < self.min_words:
            return
        if self.only_with_asks and not any(f.subtype in self.only_with_asks for f in draft.asks):
            return
        limit = self.max if self.max is not None else self.min
        if self.metric == "sentence_words":
            for sentence in draft.sentences:
                count = len(sentence.text.split())
                if self._bad(count):
                    yield Hit(sentence.start, sentence.end, {"value": count, "limit": _num(limit)})
            return
        value = {
            "words": lambda: len(draft.words),
            "sentences": lambda: len(draft.sentences),
            "questions": lambda: draft.questions,
            "grade": lambda: round(draft.grade, 1),
            "asks": lambda: len(draft.asks),
        }[self.metric]()
        if self._bad(value):
            first = draft.sentences[0] if draft.sentences else None
            start, end = (first.start, first.end) if first else (0, 0)
            yield Hit(start, end, {"value": _num(value), "limit": _num(limit)})


class Balance(Kind):
    """Asks with nothing given: no thanks, no offer, no reason for the reader to care."""

    name = "balance"
    required = {"gives": list}
    optional = {"min_asks": (int, 1), "not_gives": (list, [])}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        # One matcher for both lists: the longest phrase wins, so "thanks in advance" hides "thanks".
        self.not_gives_set = {p.lower() for p in self.not_gives}
        self.give_phrases = acts.phrase_pattern([p.lower() for p in self.gives] + sorted(self.not_gives_set))

    def _gives_something(self, draft: Draft) -> bool:
        return any(m.group()[1:] not in self.not_gives_set for m in self.give_phrases.finditer(draft.low))

    def run(self, draft: Draft) -> Iterator[Hit]:
        asks = draft.asks
        if len(asks) < self.min_asks or draft.gives or self._gives_something(draft):
            return
        first = asks[0]
        yield Hit(first.start, first.end, {"asks": len(asks)})


class Politeness(Kind):
    """Request sentences whose politeness score (see politeness.py) is below ``below``."""

    name = "politeness"
    required = {"below": float}

    def run(self, draft: Draft) -> Iterator[Hit]:
        for request in draft.politeness.requests:
            if request.score < self.below:
                missing = "no please, thanks, hedge or 'could you'"
                used = ", ".join(s.replace("_", " ") for s in request.strategies) or "none"
                yield Hit(request.start, request.end,
                          {"score": f"{request.score:+.1f}", "strategies": used, "missing": missing})


_TESTS = ("big_ask", "ask_before_give", "missing_referrer")


class Context(Kind):
    """Rules that need what the store knows about the recipient (skipped without it).

    test = "big_ask": a money ask, a time ask over ``minutes``, or an ask of a listed subtype,
    to a stranger, a cold tie or a tie weaker than ``max_strength``.
    test = "ask_before_give": another ask while ``asks_since_give`` asks are still unreturned.
    test = "missing_referrer": the recipient was introduced by someone a first note to them never names.
    """

    name = "context"
    required = {"test": str}
    optional = {
        "max_strength": (float, 0.3),
        "minutes": (int, 30),
        "subtypes": (list, ["money", "job", "intro"]),
        "asks_since_give": (int, 1),
    }

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        if self.test not in _TESTS:
            raise ValueError(f"test must be one of {', '.join(_TESTS)}")

    def run(self, draft: Draft) -> Iterator[Hit]:
        context = draft.context
        if context is None:
            return
        if self.test == "big_ask":
            yield from self._big_ask(draft, context)
        elif self.test == "ask_before_give":
            if context.known and draft.asks and context.asks_since_last_give >= self.asks_since_give:
                first = draft.asks[0]
                yield Hit(first.start, first.end, {"asks": context.asks_since_last_give, "given": context.given})
        elif context.referrer_name and not context.wrote_since_introduction and draft.sentences:
            # Only a first note leans on the introduction: once the user has written to them,
            # the tie stands on its own (a check-in need not name who introduced them).
            first_name = context.referrer_name.split()[0].lower()
            if not re.search(rf"\b{re.escape(first_name)}\b", draft.low):
                first = draft.sentences[0]
                yield Hit(first.start, first.end, {"referrer": context.referrer_name})

    def _big_ask(self, draft: Draft, context) -> Iterator[Hit]:
        if context.known and not context.cold and context.strength >= self.max_strength:
            return
        tie = "a stranger" if not context.known else ("a cold tie" if context.cold else "a weak tie")
        for ask in draft.asks:
            big = ask.subtype in self.subtypes or (ask.subtype == "time" and (ask.minutes or 0) > self.minutes)
            if big:
                size = _money(ask.amount) if ask.amount else (_duration(ask.minutes) if ask.minutes else ask.subtype)
                yield Hit(ask.start, ask.end, {"tie": tie, "ask": size, "strength": f"{context.strength:.2f}"})


KINDS: dict[str, type[Kind]] = {
    k.name: k for k in (Phrase, Pattern, MoneyAsk, TimeAsk, Metric, Balance, Politeness, Context)
}


# --- helpers -------------------------------------------------------------------------------------


def check_bounded(source: str) -> None:
    """Refuse a pattern that could backtrack badly: only bounded repeats, never nested.

    Every ``*``, ``+`` or ``{n,}`` is refused (write ``{0,40}``), as are repeats inside a
    repeated group and back-references.  Each match attempt then costs at most a constant
    that depends on the pattern alone, so a scan is linear in the text.
    """
    from re import _constants as c
    from re import _parser as parser

    try:
        tree = parser.parse(source)
    except re.error as exc:
        raise ValueError(f"pattern {source!r}: {exc}") from None

    def has_repeat(items) -> bool:
        return any(_walk(items, lambda op, av: op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)))

    def visit(op, av) -> bool:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _low, high, sub = av
            if high == c.MAXREPEAT or high > _MAX_REPEAT:
                raise ValueError(f"pattern {source!r}: unbounded repeat; write {{0,{_MAX_REPEAT}}} at most")
            if high > 1 and has_repeat(sub):
                raise ValueError(f"pattern {source!r}: a repeat inside a repeat can backtrack badly")
        elif op in (c.GROUPREF, c.GROUPREF_EXISTS):
            raise ValueError(f"pattern {source!r}: back-references are not allowed")
        return False

    any(_walk(tree, visit))


def _walk(items, visit):
    """Yield visit(op, av) for every node of a parsed pattern."""
    for op, av in items:
        yield visit(op, av)
        for child in _children(op, av):
            yield from _walk(child, visit)


def _children(op, av):
    from re import _constants as c

    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return [av[2]]
    if op == c.SUBPATTERN:
        return [av[3]]
    if op == c.BRANCH:
        return list(av[1])
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [av[1]]
    if op == c.ATOMIC_GROUP:
        return [av]
    if op == c.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    return []


def _money(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _duration(minutes: int) -> str:
    if minutes % 2400 == 0:
        weeks = minutes // 2400
        return f"{weeks} working week{'s' if weeks > 1 else ''}"
    if minutes >= 480 and minutes % 240 == 0:
        return f"{minutes / 480:g} working day{'s' if minutes > 480 else ''}"
    if minutes >= 60:
        return f"{minutes / 60:g} hour{'s' if minutes > 60 else ''}"
    return f"{minutes} minutes"


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
