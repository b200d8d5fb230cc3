"""Whose words: the writer's own part of a message body.

Someone else's words in a body are a forwarded or original message (a marker line such as
"-----Original Message-----", or the headers of a message shown inline), a quote ("> ..."
lines, with the attribution line above them: "On Wed, 4 Dec 2024, Alex wrote:") and the
signature below "-- ".  ``own_text`` keeps the body's length (the detector's offsets point
into the body); ``own_words`` is the same text compacted, as it is stored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from outreach.judge.vocabulary import Vocabulary

_BLANK_RUNS = re.compile(r"\n{3,}")


def own_words(text: str, vocab: Vocabulary) -> str:
    """The writer's own words as text to keep: ``own_text`` without its blanked lines, each line
    right-stripped, blank runs one paragraph break."""
    own = own_text(text.replace("\r", ""), vocab)
    return _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip() for line in own.split("\n"))).strip()


def own_text(text: str, vocab: Vocabulary) -> str:
    """The writer's own part of a body: up to the first forwarded or original-message line,
    the headers of a message shown inline ("From: ... Sent: ... Subject: ...") or the
    signature delimiter ("-- "), whichever comes first; in it, quoted lines ("> ...") and the
    attribution line above a quote ("On Wed, 4 Dec 2024, Alex wrote:") are blanked, so the
    writer's answers below or between quotes are read.  Blanked text keeps its length (offsets
    into the body stay valid) and ends a paragraph."""
    low = text.lower()
    cut = len(low)
    markers = vocab.own_text_ends
    if any(marker in low for marker in markers):  # a find each is cheaper than a line-by-line search
        opening = _lines_opening_with(markers).search(low)
        cut = opening.start() if opening else cut
    if any(low.find(name, 0, cut) != -1 for name in _SUBJECT) and _SUBJECT_LINE.search(low, 0, cut):
        cut = _headers_shown(low, cut)
    if low.startswith("--") or low.find("\n--", 0, cut) != -1:
        cut = _signature(low, cut)
    verbs = vocab.quote_attributions
    if any(verb in low for verb in verbs):  # an attribution with no "> " quote under it: the rest is quoted
        cut = _unmarked_quote(low, cut, verbs)
    if low.find(">", 0, cut) == -1:
        return text[:cut]
    return _unquoted(text, low, cut, verbs)


_QUOTED = re.compile(r"^[ \t]*>[^\n]*", re.M)


@lru_cache(maxsize=8)
def _lines_opening_with(markers: tuple[str, ...]) -> re.Pattern[str]:
    """A line that opens with one of these markers (after spaces, "> " or dashes), compiled
    once per vocabulary: the engine tries only at line starts."""
    return re.compile(r"^[ \t>-]*(?:" + "|".join(map(re.escape, markers)) + ")", re.M)


def _unmarked_quote(low: str, cut: int, verbs: tuple[str, ...]) -> int:
    """Where an attribution line that no "> " quote follows begins (the quoted message below it
    is unmarked, as HTML mail flattened to text leaves it), else ``cut``."""
    for colon in _LINE_END_COLON.finditer(low, 0, cut):
        line_start = low.rfind("\n", 0, colon.start()) + 1
        if not _says_who_wrote(low[line_start : colon.start()], verbs):
            continue
        below = low[colon.end() : colon.end() + 200].lstrip(" \t\n")
        if not below.startswith(">"):
            return min(cut, _attribution(low, colon.start() + 1, verbs))
    return cut


def _unquoted(text: str, low: str, cut: int, verbs: tuple[str, ...]) -> str:
    """``text[:cut]`` with each quoted line, and the attribution line above each quote, blanked."""
    spans: list[tuple[int, int]] = []
    for line in _QUOTED.finditer(low, 0, cut):
        start = line.start()
        if not spans or spans[-1][1] + 1 < start:  # the first line of a quote: attributed above?
            above = _attribution(low, start - 1, verbs) if start else len(low)
            if above < start:
                start = above
        spans.append((start, line.end()))
    if not spans:
        return text[:cut]
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(text[at:start])
        pieces.append("\n" + " " * (end - start - 1) if end > start else "")  # "\n": the paragraph ends here
        at = end
    pieces.append(text[at:cut])
    return "".join(pieces)


# The headers of a message shown inline, as mail clients write them in English, German,
# French, Italian, Spanish, Portuguese and Dutch.  A block of two or more header lines (a
# wrapped address list may run on over indented lines or lines of addresses) is another
# message when it has a subject and a date ("Sent:", "Date:") or a sender-and-date line runs
# into it (Lotus Notes: "Ann Lee@ENRON" / "03/30/2001 02:49 PM" above "To:"), and the writer's
# words come before it.  A memo's "To: / From: / Subject:", notes opening with "Date: /
# Subject:" and an itinerary's "From: Houston / To: Calgary" stay the writer's.
_FROM = ("from", "von", "de", "da", "van")
_TO = ("to", "cc", "bcc", "an", "à", "a", "para", "aan")
_SUBJECT = ("subject", "betreff", "objet", "oggetto", "asunto", "assunto", "onderwerp")
_DATED = ("sent", "date", "gesendet", "datum", "envoyé", "inviato", "data", "enviado", "fecha", "verzonden")


def _named(names: tuple[str, ...]) -> str:
    """A header line's start: one of these names and its colon ("Objet :" has a space before it)."""
    return rf"[ \t>]*(?:{'|'.join(names)})[ \t\xa0]?:"


_SUBJECT_LINE = re.compile("^" + _named(_SUBJECT), re.M)
_DATED_LINE = re.compile("^" + _named(_DATED), re.M)
_FROM_LINE = re.compile("^" + _named(_FROM), re.M)
_HEADER_LINE = _named(_FROM + _TO + _SUBJECT + _DATED) + r"[^\n]*\n"
# A continued line: indented, or unindented with an "@" before any ":" -- never both, so a
# failed match backtracks once per line, not once per way of splitting the lines.
_CONTINUED = r"(?:[ \t]+\S[^\n]*\n|[^ \t\n:][^\n:]*@[^\n]*\n)"
_HEADER_BLOCK = re.compile(rf"^(?:{_HEADER_LINE}{_CONTINUED}*(?:[ \t]*\n)*){{2,}}", re.M)  # blank lines: HTML mail
_SENDER_OR_DATE = re.compile(r"@|\d{1,2}[:/.]\d{2}")
_RUN_IN = 3  # the most sender-and-date lines directly above a header block
# RFC 3676's signature delimiter; "--" alone (HTML mail loses the space) only above a name,
# a short line that is no sentence (not a divider: "--" then "Could you review it?").
_SIGNATURE = re.compile(r"^--( ?)\r?\n(?:[ \t]*\r?\n)*([^\n]*)", re.M)
_NAME_WORDS = 6
_REACH = 1000  # an attribution, wrapped or not, is shorter than this
_LINE_END_COLON = re.compile(r"[:\uff1a][ \t]*(?:\n|$)")  # a line ending in a colon (or a full-width one)


def _signature(low: str, cut: int) -> int:
    """Where the signature delimiter is, else ``cut``."""
    for line in _SIGNATURE.finditer(low, 0, cut):
        spaced, below = line.group(1), line.group(2).strip()
        if spaced or (len(below.split()) <= _NAME_WORDS and not below.endswith((".", "?", "!"))):
            return line.start()
    return cut


def _headers_shown(low: str, cut: int) -> int:
    """Where the first header block of another message begins (before ``cut``), else ``cut``."""
    for block in _HEADER_BLOCK.finditer(low, 0, cut):
        headers = block.group()
        if not _SUBJECT_LINE.search(headers):
            continue
        start = _run_into(low, block.start())
        if start < block.start() or (_DATED_LINE.search(headers) and (start or _FROM_LINE.search(headers))):
            return start  # at the very start of a body, only a message's own headers (From and a date)
    return cut


def _run_into(low: str, at: int) -> int:
    """Where a header block at ``at`` begins with the sender and date lines directly above it
    (no blank line between, an "@" or a date or time in each, no sentence ending)."""
    for _ in range(_RUN_IN):
        if at == 0:
            break
        previous = low.rfind("\n", 0, at - 1) + 1
        line = low[previous : at - 1].strip()
        if not line or line.endswith((".", "?", "!", ",", ";")) or not _SENDER_OR_DATE.search(line):
            break
        at = previous
    return at


def _attribution(low: str, newline: int, verbs: tuple[str, ...]) -> int:
    """Where the attribution line of a quote begins, given the newline before its first "> "
    line: a line ending in ":" that says who wrote ("On Wed, 4 Dec 2024, Alex wrote:", "Am 6.
    Mai schrieb Ann <ann@example.org>:"), perhaps wrapped over two lines; ``len(low)`` if the
    quote has none.  Only the ``_REACH`` characters before it are read, so many quotes in one
    body cost no more than one each."""
    base = max(0, newline - _REACH)
    head = low[base:newline].rstrip().replace("\xa0", " ")
    if not head.endswith((":", "\uff1a")):  # the full-width colon of Chinese and Japanese clients
        return len(low)
    line = head.rfind("\n") + 1
    if not line and base:
        return len(low)  # a line longer than any attribution
    previous = head.rfind("\n", 0, line - 1) + 1 if line else 0
    if _says_who_wrote(head[line:], verbs):
        if line and (head.startswith("on ", previous) or head[previous:line].rstrip().endswith(("<", ","))):
            return base + previous  # wrapped: "On 4 Dec,\nAlex <a@x.org> wrote:", "Le 4 déc, Alex <\na@x.fr> a écrit :"
        return base + line
    if line and _says_who_wrote(head[previous:line], verbs):
        return base + previous  # the verb on the first of two lines ("... schrieb Alex Martin <\nalex@x.de>:")
    return len(low)


def _says_who_wrote(line: str, verbs: tuple[str, ...]) -> bool:
    """Whether the line holds a verb of writing as a word ("Alex wrote", not "I rewrote")."""
    spaced = " " + line
    return any((" " + verb) in spaced if verb.isascii() else verb in line for verb in verbs)
