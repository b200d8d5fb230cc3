"""What every rule kind shares: the field declarations, the hit it yields, number wording.

A kind is a class built once per rule from the rule's own fields (``params``) and run on a
prepared ``Draft``; it yields ``Hit(start, end, values)``: the span of text to report and the
values its message may use ({amount}, {minutes}, {limit}, {score} ...).  Building a kind
validates the rule's fields, so a bad rule file fails at load, naming the rule.
"""

from collections.abc import Iterator
from typing import Any, NamedTuple

from outreach.lint.draft import Draft


class Hit(NamedTuple):
    start: int
    end: int
    values: dict[str, Any]


class Kind:
    """Base: declares the fields a rule of this kind takes and checks their types."""

    name = ""
    required: dict[str, type] = {}
    optional: dict[str, tuple[type, Any]] = {}

    def __init__(self, params: dict[str, Any]) -> None:
        unknown = set(params) - set(self.required) - set(self.optional)
        if unknown:
            raise ValueError(f"unknown field(s) for kind {self.name!r}: {', '.join(sorted(unknown))}")
        for key, typ in self.required.items():
            if key not in params:
                raise ValueError(f"kind {self.name!r} needs field {key!r}")
            setattr(self, key, typed(key, params[key], typ))
        for key, (typ, default) in self.optional.items():
            setattr(self, key, typed(key, params[key], typ) if key in params else default)

    def run(self, draft: Draft) -> Iterator[Hit]:
        raise NotImplementedError


def typed(key: str, value: Any, typ: type) -> Any:
    """``value`` checked against the declared type (an int is accepted as a float)."""
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if typ is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise ValueError(f"field {key!r} must be a non-empty list of strings")
        return value
    if not isinstance(value, typ) or (typ is not bool and isinstance(value, bool)):
        raise ValueError(f"field {key!r} must be {typ.__name__}, got {value!r}")
    return value


def scaled(base: float, factor: float, draft: Draft) -> float:
    """A limit that grows with tie strength, up to ``factor`` times ``base`` for the strongest tie."""
    context = draft.context
    if context is None or not context.known or factor == 1.0:
        return base
    return base * (1.0 + (factor - 1.0) * max(0.0, min(1.0, context.strength)))


def money(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def duration(minutes: int) -> str:
    if minutes % 2400 == 0:
        weeks = minutes // 2400
        return f"{weeks} working week{'s' if weeks > 1 else ''}"
    if minutes >= 480 and minutes % 240 == 0:
        return f"{minutes / 480:g} working day{'s' if minutes > 480 else ''}"
    if minutes >= 60:
        return f"{minutes / 60:g} hour{'s' if minutes > 60 else ''}"
    return f"{minutes} minutes"


def number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
