"""A draft as read (``DraftInput``: its text parts, recipients, subject) and as prepared once for
every rule (``Draft``: masked text, sentences, acts, metrics).

Rules never see raw input.  Quoted reply lines (``> ...``) and suppression directives are
blanked out with spaces, so offsets, lines and columns still point into the original text.
Everything derived (sentences, words, acts, politeness, readability) is computed once, on
first use, and shared by all rules.
"""

import re
from bisect import bisect_right
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from outreach.ingest import acts
from outreach.judge import model as request_model
from outreach.judge.words import Word
from outreach.judge.words import words as read_words

if TYPE_CHECKING:  # only the store's lookup builds one: the linter need not import the model
    from outreach.lint.politeness import Politeness
    from outreach.model import RecipientContext

# "outreach: ignore OUT201, money" on a line of its own (optionally behind #, // or <!--).
DIRECTIVE = re.compile(r"(?im)^[ \t]{0,20}(?:#|//|<!--)?[ \t]{0,5}outreach:[ \t]{0,5}ignore\b([^\n]{0,300})$")
_QUOTED = re.compile(r"(?m)^[ \t]{0,10}>[^\n]{0,100000}$")
# Sentence ends: terminal punctuation before white space or the end, or a blank line.
_SENTENCE_END = re.compile(r"[.!?]{1,20}(?=\s|\Z)|\n[ \t]{0,50}\n")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]{1,100}(?:['\u2019][A-Za-z]{1,10})?")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


class Sentence(NamedTuple):
    start: int
    end: int
    text: str  # as written, white space collapsed

    @property
    def is_question(self) -> bool:
        return self.text.endswith("?")


class TextPart(NamedTuple):
    """One text a recipient reads: ``kind`` 'plain' or 'html' (as text); where it starts in the file."""

    kind: str
    text: str
    line_offset: int = 0  # lines before this text in the file (0 when it is encoded)
    ignored: tuple[str, ...] = ()  # suppressions written in HTML comments (lost when tags go)


class DraftInput(NamedTuple):
    """A draft as read: its texts, recipients (To and Cc, lower-case), subject and suppressions."""

    path: str
    parts: tuple[TextPart, ...]
    to: tuple[str, ...] = ()
    subject: str = ""
    ignored: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()  # why some text could not be read, one reason each
    is_message: bool = False

    @property
    def text(self) -> str:
        return self.parts[0].text if self.parts else ""

class Draft:
    """One draft to lint.  ``text`` is the body as given; ``to`` the recipient if known.

    ``ignored``: codes, prefixes or categories suppressed for this draft (directives found in
    the text are added); ``line_offset``: lines before the body in its file (.eml headers).
    """

    def __init__(
        self,
        text: str,
        to: str | None = None,
        subject: str = "",
        context: "RecipientContext | None" = None,
        ignored: list[str] | None = None,
        line_offset: int = 0,
    ) -> None:
        self.text, self.to, self.subject, self.context = text, to, subject, context
        self.ignored = list(ignored or [])
        self.line_offset = line_offset
        for match in DIRECTIVE.finditer(self.text):
            words = match.group(1).replace(",", " ").replace("-->", " ").split()
            self.ignored.extend(words or ["all"])
        masked = DIRECTIVE.sub(_blank, self.text)
        self.masked = _QUOTED.sub(_blank, masked) if ">" in masked else masked

    # --- shared views --------------------------------------------------------------------------

    @cached_property
    def low(self) -> str:
        """' ' + normalised lower-case masked text: phrases match after a single space."""
        return acts.normalise(" " + self.masked)

    @cached_property
    def tokens(self) -> list[Word]:
        """The words of ``low`` with their offsets, read once for every phrase rule."""
        return read_words(self.low)

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        start = 0
        text = self.masked
        for match in _SENTENCE_END.finditer(text):
            self._add_sentence(out, start, match.end())
            start = match.end()
        self._add_sentence(out, start, len(text))
        return out

    def _add_sentence(self, out: list[Sentence], start: int, end: int) -> None:
        text = self.masked
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end, " ".join(text[start:end].split())))

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence | None:
        sentences = self.sentences
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and sentences[index].start <= offset < sentences[index].end:
            return sentences[index]
        return None

    @cached_property
    def read(self) -> list[acts.Found]:
        """Every act the draft performs, ordinary work (tasks) and formula thanks included."""
        return acts.read(self.masked)

    @cached_property
    def found(self) -> list[acts.Found]:
        """The acts the ledger would count (what ``acts.scan`` gives)."""
        return [f for f in self.read if acts.is_favour(f.act)]

    @cached_property
    def tasks(self) -> list[acts.Found]:
        """Requests for ordinary work ("please send me the file"): asks, but no favour."""
        return [f for f in self.read if f.act.kind == "ask" and f.act.subtype == acts.TASK]

    @cached_property
    def cues(self) -> list[tuple[int, int, str]]:
        return acts.cues(self.tokens)

    @cached_property
    def asks(self) -> list[acts.Found]:
        return [f for f in self.found if f.act.kind == "ask"]

    @cached_property
    def gives(self) -> list[acts.Found]:
        return [f for f in self.found if f.act.kind in ("give", "thanks", "introduction")]

    @cached_property
    def words(self) -> list[str]:
        return _WORD.findall(self.masked)

    @cached_property
    def questions(self) -> int:
        return sum(1 for s in self.sentences if s.is_question)

    @cached_property
    def politeness(self) -> "Politeness":
        from outreach.lint.politeness import score

        return score(self)

    @cached_property
    def grade(self) -> float:
        from outreach.lint.readability import grade

        return grade(self.words, len(self.sentences))

    # --- positions ------------------------------------------------------------------------------

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        at = find("\n")
        while at != -1:
            starts.append(at + 1)
            at = find("\n", at + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset in ``text``."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self._line_starts[index] + 1

    def metrics(self) -> dict:
        """Per-draft figures for reports (JSON) and for metric rules."""
        polite = self.politeness
        return {
            "words": len(self.words),
            "sentences": len(self.sentences),
            "questions": self.questions,
            "reading_grade": round(self.grade, 1),
            "politeness": polite.as_dict(),
            "asks": [{"kind": f.act.subtype, "amount": f.act.amount, "minutes": f.act.minutes,
                      "sentence": f.act.sentence, **_why(f)} for f in self.asks],
            "gives": [{"kind": f.act.kind, "subtype": f.act.subtype, "sentence": f.act.sentence, **_why(f)}
                      for f in self.gives],
            "tasks": [{"sentence": f.act.sentence, **_why(f)} for f in self.tasks],
        }  # fmt: skip


def _why(found: acts.Found) -> dict:
    """What showed an act: its cue phrase, or for an ask only the request model recognised, the
    model's weightiest features."""
    if found.cue:
        return {"cue": found.cue}
    return {"cue": None, "model": [[c.feature, c.weight] for c in request_model.reasons(found.act.sentence)]}
