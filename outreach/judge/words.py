"""Words of a sentence and phrase look-up by word n-grams.

A phrase list (from a rules file) becomes a dict of word tuples; finding the phrases of a
sentence is one pass over its words with a set test per word, so there is nothing to
compile at start-up and the cost is linear in the words.  A phrase whose last word ends in
``*`` is a prefix there ("congrat*" matches "congrats" and "congratulations").  Where
phrases overlap, the longest at the leftmost position wins, so "thanks in advance" (listed
as neutral) hides the "thanks" inside it.
"""

import re
from collections.abc import Iterable
from typing import NamedTuple

# A word: letters and digits with inner apostrophes ("i'd", "cc'ing"), or a currency mark.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[$\u20ac\u00a3\u00a5\u20b9]")


class Word(NamedTuple):
    text: str  # lower case, straight apostrophes
    start: int  # offsets in the text given to ``words``
    end: int


def words(low: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of lower-cased text (apostrophes already straight) in low[start:end], with
    offsets in ``low``."""
    found = _WORD.finditer(low, start) if end is None else _WORD.finditer(low, start, end)
    return [Word(m.group(), m.start(), m.end()) for m in found]


def word_texts(low: str, start: int = 0, end: int | None = None) -> list[str]:
    """Only the words of low[start:end], for features and look-ups that need no offsets (faster)."""
    return _WORD.findall(low, start) if end is None else _WORD.findall(low, start, end)


def _parts(phrase: str) -> tuple[str, ...]:
    """The words of a listed phrase (lower case), as ``word_texts`` reads them."""
    if phrase.replace(" ", "").isalnum():  # only letters, digits and spaces: str.split reads the same
        return tuple(phrase.split())
    return tuple(_WORD.findall(phrase.replace("\u2019", "'")))


class Hit(NamedTuple):
    first: int  # index of the first word
    stop: int  # index after the last word
    group: str
    phrase: str  # as listed, without "*"


class Phrases:
    """Lower-case phrases, each in a named group, found by word n-grams."""

    def __init__(self, groups: dict[str, Iterable[str]]) -> None:
        self.exact: dict[tuple[str, ...], tuple[str, str]] = {}
        self.prefixed: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}  # head -> (stem, group, phrase)
        lengths: dict[str, set[int]] = {}  # first word -> the lengths of the phrases starting with it
        # Where a phrase of two or more words may start: its first two words (most positions
        # whose word begins some phrase are ruled out by the next word), or, for "x y*", x.
        self.pairs: set[tuple[str, str]] = set()
        self.loose: set[str] = set()
        stems: set[str] = set()
        # One loop over every phrase of every group (a start-up cost: ~1,700 phrases per lint).
        exact, pairs = self.exact, self.pairs
        for group, phrases in groups.items():
            for listed in phrases:
                phrase = listed.lower()
                name = phrase.rstrip("*")
                parts = _parts(name)
                if not parts:
                    raise ValueError(f"phrase {phrase!r} has no words")
                if phrase.endswith("*"):  # "x y*": a prefix phrase
                    self._add_prefixed(group, name, parts, stems)
                    if len(parts) == 1:
                        continue  # found by str.startswith, not by its first word
                elif parts not in exact:  # listed twice: the first group keeps it
                    exact[parts] = (group, name)
                if len(parts) > 1:
                    pairs.add((parts[0], parts[1]))
                sizes = lengths.get(parts[0])
                if sizes is None:
                    lengths[parts[0]] = {len(parts)}
                else:
                    sizes.add(len(parts))
        # Longest first: at a position the longest phrase wins.
        self.lengths = {first: tuple(sorted(sizes, reverse=True)) for first, sizes in lengths.items()}
        self.single = frozenset(first for first, sizes in lengths.items() if 1 in sizes)  # one-word phrases
        self.stems = tuple(sorted(stems))  # one-word prefixes, for str.startswith
        self.stem_entries = self.prefixed.get((), [])

    def _add_prefixed(self, group: str, name: str, parts: tuple[str, ...], stems: set[str]) -> None:
        head, stem = parts[:-1], parts[-1]
        entries = self.prefixed.setdefault(head, [])
        if all(e[0] != stem for e in entries):
            entries.append((stem, group, name))
            entries.sort(key=lambda e: -len(e[0]))
        if not head:
            stems.add(stem)
        elif len(head) == 1:
            self.loose.add(head[0])

    def at(self, texts: list[str], i: int) -> Hit | None:
        """The longest phrase starting at word ``i``, if any (of equal length, a prefix phrase)."""
        first = texts[i]
        room = len(texts) - i
        sizes = self.lengths.get(first, ())
        if sizes and room > 1 and first not in self.loose and (first, texts[i + 1]) not in self.pairs:
            sizes = (1,) if first in self.single else ()  # the next word starts none of the longer ones
        for size in sizes:
            if size > room:
                continue
            if size > 1:
                hit = self._prefixed(texts, i, size)
                if hit is not None:
                    return hit
            found = self.exact.get(tuple(texts[i : i + size]))
            if found is not None:
                if size == 1 and self.stems:
                    return self._stemmed(texts[i], i) or Hit(i, i + 1, found[0], found[1])
                return Hit(i, i + size, found[0], found[1])
        return self._stemmed(first, i) if self.stems else None

    def _prefixed(self, texts: list[str], i: int, size: int) -> Hit | None:
        entries = self.prefixed.get(tuple(texts[i : i + size - 1])) if self.prefixed else None
        if not entries:
            return None
        last = texts[i + size - 1]
        for stem, group, phrase in entries:
            if last.startswith(stem):
                return Hit(i, i + size, group, phrase)
        return None

    def _stemmed(self, word: str, i: int) -> Hit | None:
        """A one-word prefix phrase ("congrat*") at word ``i``."""
        if not word.startswith(self.stems):
            return None
        for stem, group, phrase in self.stem_entries:
            if word.startswith(stem):
                return Hit(i, i + 1, group, phrase)
        return None

    def find(self, texts: list[str]) -> list[Hit]:
        """Every phrase in the words, leftmost-longest, not overlapping."""
        lengths, stems = self.lengths, self.stems
        if stems:
            starts = [i for i, word in enumerate(texts) if word in lengths or word.startswith(stems)]
        else:
            starts = [i for i, word in enumerate(texts) if word in lengths]
        single, pairs, loose = self.single, self.pairs, self.loose
        last = len(texts) - 1
        out: list[Hit] = []
        stop = 0
        for i in starts:
            if i < stop:
                continue  # inside the phrase found before
            word = texts[i]
            # The test of ``at``, inline: most words that start some phrase start none here.
            if not (word in single or word in loose or (i < last and (word, texts[i + 1]) in pairs)
                    or (stems and word.startswith(stems))):  # fmt: skip
                continue
            hit = self.at(texts, i)
            if hit is not None:
                out.append(hit)
                stop = hit.stop
        return out

    def groups(self, texts: list[str]) -> set[str]:
        """The groups whose phrases occur in the words."""
        return {hit.group for hit in self.find(texts)}


class PhraseMatch(NamedTuple):
    """A phrase found in ' ' + text, shaped like a regex match: group() is ' ' + the phrase."""

    at: int  # the space before the first word
    stop: int  # after the last word (or the matched prefix)
    phrase: str

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.stop

    def group(self) -> str:
        return " " + self.phrase


class PhrasePattern:
    """Phrases found in normalised ' ' + text, with the regex-like finditer/search the linter uses."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = Phrases({"phrase": list(phrases)})

    def finditer(self, low: str, pos: int = 0, endpos: int | None = None) -> list[PhraseMatch]:
        return self.matches(words(low, pos, endpos))

    def matches(self, found: list[Word]) -> list[PhraseMatch]:
        """The phrases among words already read from the text (``words``): a text read once
        serves every pattern."""
        out = []
        for hit in self.phrases.find([w.text for w in found]):
            first, last = found[hit.first], found[hit.stop - 1]
            stop = last.end if hit.phrase.endswith(last.text) else last.start + len(hit.phrase.split()[-1])
            out.append(PhraseMatch(first.start - 1, stop, hit.phrase))
        return out

    def search(self, low: str, pos: int = 0, endpos: int | None = None) -> PhraseMatch | None:
        found = self.finditer(low, pos, endpos)
        return found[0] if found else None
