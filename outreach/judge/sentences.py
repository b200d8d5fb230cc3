"""The writer's own sentences of a message body, each tokenised once.

A body is cut where forwarded or quoted mail begins (``own_text``), normalised (lower
case, same length, separators as spaces: ``normalise``) and split at terminal punctuation
(``sentences``).  Each ``Sentence`` carries its words, so every later look-up (cues,
request forms, subtypes, formula thanks, disclaimers) reads the same token list.
"""

from __future__ import annotations

import re
from functools import cached_property

from outreach.judge.vocabulary import Vocabulary
from outreach.judge.words import Word, word_texts

# Where sentences end: terminal punctuation before a space (periods inside "$1.2M" or
# "example.com" are not).  Paragraph breaks and list items are turned into ". " in the
# normalised text.  Quotes are spaces there, so '." ' is ". " too.  A sentence is read at
# most REACH characters either side of its first word, which bounds the work per sentence.
_END_RE = re.compile(r"[.?!] ")
_BREAKS = (("\n\r\n", ".  "), ("\n\n", ". "), ("\n- ", ".  "), ("\n* ", ".  "))
REACH = 400
# Characters that separate words like a space does; mapped to spaces (same length, so
# offsets stay valid); curly apostrophes become straight ones.
_SEPARATORS = "\n\t\r(\"/[*_"
_ASCII_SPACES = bytes.maketrans(_SEPARATORS.encode(), b" " * len(_SEPARATORS))
_ALL_SEPARATORS = re.compile("[" + re.escape(_SEPARATORS) + "\u201c\u201d\u2014\u2013\u00a0]")
_UNICODE_APOSTROPHE = re.compile("\u2019")


class Sentence:
    """One sentence of a body: its span in the text and its words.

    Every sentence's word texts are read once, for the phrase look-ups; where the words are
    only when a cue was found there (most sentences have none).
    """

    def __init__(self, text: str, low: str, start: int, end: int, texts: list[str]) -> None:
        self.text = text  # the whole " " + body, as written
        self.low = low  # normalise(text): same length, so offsets are shared
        self.start = start
        self.end = end
        self.texts = texts  # the words, lower case

    @cached_property
    def starts(self) -> list[int]:
        """Where each word starts in the text.  Only non-word characters stand between two
        words, so each word is the first occurrence of its text after the one before
        (str.find, much cheaper than a match object per word)."""
        out = []
        at, low = self.start, self.low
        for word in self.texts:
            at = low.find(word, at)
            out.append(at)
            at += len(word)
        return out

    def span(self, first: int, stop: int) -> tuple[int, int]:
        """Start and end in the text of the words first .. stop - 1."""
        return self.starts[first], self.starts[stop - 1] + len(self.texts[stop - 1])

    @property
    def words(self) -> list[Word]:
        """The words with their offsets in the text."""
        return [Word(text, at, at + len(text)) for text, at in zip(self.texts, self.starts, strict=True)]

    @property
    def is_question(self) -> bool:
        return self.low[self.start : self.end].rstrip(" .").endswith("?")  # "?" then a paragraph break: "?. "

    def trimmed(self) -> Sentence:
        """The sentence without leading spaces, dashes, bullets or quote marks and trailing spaces
        (the same words: none of those is part of one)."""
        text, low, start, end = self.text, self.low, self.start, self.end
        while start < end and (low[start] == " " or text[start] in "-\u2022>"):
            start += 1
        while end > start and low[end - 1] == " ":
            end -= 1
        return Sentence(text, low, start, end, self.texts)


def normalise(text: str) -> str:
    """Lower-cased, same length (offsets stay valid), separators as spaces, straight apostrophes."""
    low = text.lower()
    if len(low) != len(text):  # a few characters (e.g. 'İ') grow when lower-cased
        low = "".join(ch.lower()[0] for ch in text)
    for brk, mark in _BREAKS:
        low = low.replace(brk, mark)
    if low.isascii():  # the common case: bytes.translate is several times faster
        return low.encode("ascii").translate(_ASCII_SPACES).decode("ascii")
    # str.translate visits every character through a dict (~60 ns each); a regex
    # only touches the few characters that change.
    return _UNICODE_APOSTROPHE.sub("'", _ALL_SEPARATORS.sub(" ", low))


def own_text(text: str, vocab: Vocabulary) -> str:
    """The writer's own part of a body: up to the first forwarded or original-message line,
    the headers of a message shown inline ("From: ... Sent: ... Subject: ...") or the
    signature delimiter ("-- "), whichever comes first; in it, quoted lines ("> ...") and the
    attribution line above a quote ("On Wed, 4 Dec 2024, Alex wrote:") are blanked, so the
    writer's answers below or between quotes are read.  Blanked text keeps its length (offsets
    into the body stay valid) and ends a paragraph."""
    low = text.lower()
    cut = len(text)
    for marker in vocab.own_text_ends:
        at = low.find(marker)
        while at != -1 and at < cut:
            line_start = low.rfind("\n", 0, at) + 1
            if not low[line_start:at].strip(" \t>-"):
                cut = line_start
                break
            next_line = low.find("\n", at)  # not at a line start: look again from the next line
            at = low.find(marker, next_line) if next_line != -1 else -1
    if any(low.find(name, 0, cut) != -1 for name in _SUBJECTS):  # most bodies have none: skip the search
        cut = _headers_shown(low, cut)
    if low.startswith("-- ") or low.find("\n-- ", 0, cut) != -1:
        signature = _SIGNATURE.search(low, 0, cut)
        if signature:
            cut = signature.start()
    if low.find(">", 0, cut) == -1:
        return text[:cut]
    return _unquoted(text, low, cut, vocab.quote_attributions)


_QUOTED = re.compile(r"^[ \t]*>[^\n]*", re.M)


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
_SUBJECTS = ("subject:", "betreff:", "objet", "oggetto:", "asunto:", "assunto:", "onderwerp:")
_DATED = ("sent", "date", "gesendet", "datum", "envoyé", "inviato", "data", "enviado", "fecha", "verzonden")
_NAMES = ("from", "to", "cc", "bcc", "subject", "von", "an", "betreff", "de", "à", "objet", "da", "a", "oggetto",
          "para", "asunto", "assunto", "van", "aan", "onderwerp", *_DATED)  # fmt: skip
_HEADER_LINE = rf"[ \t>]*(?:{'|'.join(_NAMES)})[ \t\xa0]?:[^\n]*\n"
# A continued line: indented, or unindented with an "@" before any ":" -- never both, so a
# failed match backtracks once per line, not once per way of splitting the lines.
_CONTINUED = r"(?:[ \t]+\S[^\n]*\n|[^ \t\n:][^\n:]*@[^\n]*\n)"
_HEADER_BLOCK = re.compile(rf"^(?:{_HEADER_LINE}{_CONTINUED}*){{2,}}", re.M)
_DATED_LINE = re.compile(rf"^[ \t>]*(?:{'|'.join(_DATED)})[ \t\xa0]?:", re.M)
_SENDER_OR_DATE = re.compile(r"@|\d{1,2}[:/.]\d{2}")
_RUN_IN = 3  # the most sender-and-date lines directly above a header block
_SIGNATURE = re.compile(r"^-- \r?$", re.M)  # RFC 3676's signature delimiter


def _headers_shown(low: str, cut: int) -> int:
    """Where the first header block of another message begins (before ``cut``), else ``cut``."""
    for block in _HEADER_BLOCK.finditer(low, 0, cut):
        headers = block.group()
        if not any(name in headers for name in _SUBJECTS):
            continue
        start = _run_into(low, block.start())
        if start and (start < block.start() or _DATED_LINE.search(headers)):
            return start  # at the very start of a body, headers are the writer's memo or notes
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
    quote has none."""
    head = low[:newline].rstrip().replace("\xa0", " ")
    if not head.endswith((":", "\uff1a")):  # the full-width colon of Chinese and Japanese clients
        return len(low)
    line = head.rfind("\n") + 1
    previous = head.rfind("\n", 0, line - 1) + 1 if line else 0
    if _says_who_wrote(head[line:], verbs):
        if line and (head.startswith("on ", previous) or head[previous:line].rstrip().endswith(("<", ","))):
            return previous  # wrapped: "On Wed, 4 Dec,\nAlex <a@x.org> wrote:", "Le 4 déc, Alex <\na@x.fr> a écrit :"
        return line
    if line and _says_who_wrote(head[previous:line], verbs):
        return previous  # the verb on the first of two lines ("... schrieb Alex Martin <\nalex@x.de>:")
    return len(low)


def _says_who_wrote(line: str, verbs: tuple[str, ...]) -> bool:
    """Whether the line holds a verb of writing as a word ("Alex wrote", not "I rewrote")."""
    spaced = " " + line
    return any((" " + verb) in spaced if verb.isascii() else verb in line for verb in verbs)


def sentences(text: str, low: str) -> list[Sentence]:
    """The sentences of " " + body and its normalised form (at most 2 x REACH characters each)."""
    out = []
    start = 1
    for match in _END_RE.finditer(low):
        out.extend(_bounded(text, low, start, match.start() + 1))
        start = match.end()
    out.extend(_bounded(text, low, start, len(low)))
    return out


def _bounded(text: str, low: str, start: int, end: int) -> list[Sentence]:
    out = []
    for at in range(start, end, 2 * REACH):
        stop = min(end, at + 2 * REACH)
        out.append(Sentence(text, low, at, stop, word_texts(low, at, stop)))
    return out


def is_disclaimer(vocab: Vocabulary, sentence: Sentence) -> bool:
    """Legal boilerplate ("intended only for the named recipient"): not the writer's act.

    A phrase written in capitals in a sentence that is not all capitals is a banner
    ("CONFIDENTIAL AND PRIVILEGED Ann, many thanks for ..."): the words after it are the
    writer's own, so it does not make the sentence boilerplate."""
    hits = vocab.disclaimer.find(sentence.texts)
    if not hits:
        return False
    text = sentence.text
    if text[sentence.start : sentence.end].isupper():
        return True
    return any(not text[start:end].isupper() for start, end in (sentence.span(h.first, h.stop) for h in hits))
