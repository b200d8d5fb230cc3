"""Refuse rule patterns that could backtrack badly, by reading the pattern's own text.

Only bounded repeats are allowed, never a repeat of something that itself repeats, and no
back-references.  Each match attempt then costs at most a constant that depends on the
pattern alone, so a scan is linear in the draft however hostile the draft is.
"""

from __future__ import annotations

import re

MAX_REPEAT = 100  # the largest {m,n} a rule pattern may use
_BRACES = re.compile(r"\{(\d*)(,?)(\d*)\}")
_GROUP_HEAD = re.compile(r"\(\?(?::|=|!|<=|<!|>|P<\w+>|[aiLmsux-]+:)|\(")
_INLINE = re.compile(r"\(\?(?:[aiLmsux]+\)|#[^)]*\))")  # global flags, comments: no group
_OCTAL = re.compile(r"\\[0-7]{3}")


def check_bounded(source: str) -> None:
    """Raise ValueError, naming the pattern, unless it is valid and bounded (see module doc)."""
    try:
        re.compile(source)
    except re.error as exc:
        raise ValueError(f"pattern {source!r}: {exc}") from None

    def refuse(why: str) -> ValueError:
        return ValueError(f"pattern {source!r}: {why}")

    repeats = [False]  # per open group: does anything inside it repeat?
    last: bool | None = None  # the atom a quantifier would apply to: does it repeat inside?
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            if source[i + 1] in "123456789" and not _OCTAL.match(source, i):
                raise refuse("back-references are not allowed")
            i, last = i + 2, False
        elif ch == "[":
            i, last = _class_end(source, i), False
        elif source.startswith(("(?P=", "(?("), i):
            raise refuse("back-references are not allowed")
        elif ch == "(" and (inline := _INLINE.match(source, i)):
            i = inline.end()
        elif ch == "(":
            head = _GROUP_HEAD.match(source, i)
            assert head is not None  # "(" alone always matches
            repeats.append(False)
            i, last = head.end(), None
        elif ch == ")":
            inner = repeats.pop()
            repeats[-1] = repeats[-1] or inner
            i, last = i + 1, inner
        elif ch == "|":
            i, last = i + 1, None
        elif ch in "*+?" or (ch == "{" and _quantifier(source, i)):
            high, i = _repeat(source, i)
            if high is None or high > MAX_REPEAT:
                raise refuse(f"unbounded repeat; write {{0,{MAX_REPEAT}}} at most")
            if high > 1 and last:
                raise refuse("a repeat inside a repeat can backtrack badly")
            repeats[-1] = True
            if i < len(source) and source[i] in "?+":  # lazy or possessive: the same repeat
                i += 1
            last = None
        else:
            i, last = i + 1, False


def _class_end(source: str, i: int) -> int:
    """The index after the character class opening at ``i``."""
    j = i + 1
    if source.startswith("^", j):
        j += 1
    if source.startswith("]", j):  # a leading "]" is a literal
        j += 1
    while source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _quantifier(source: str, i: int) -> bool:
    """A "{" starts a quantifier as {m}, {m,}, {,n}, {m,n} or {,}; "{}" and the rest are literals."""
    match = _BRACES.match(source, i)
    return match is not None and match.group() != "{}"


def _repeat(source: str, i: int) -> tuple[int | None, int]:
    """The most times the quantifier at ``i`` repeats (None: unbounded) and the index after it."""
    ch = source[i]
    if ch == "?":
        return 1, i + 1
    if ch in "*+":
        return None, i + 1
    match = _BRACES.match(source, i)
    assert match is not None
    low, comma, high = match.groups()
    if not comma:
        return int(low), match.end()
    return (int(high) if high else None), match.end()
