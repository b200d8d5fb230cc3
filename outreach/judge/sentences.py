"""The writer's own sentences of a message body, each tokenised once.

A body is cut to the writer's own words (``outreach.judge.ownership.own_text``), normalised (lower
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
