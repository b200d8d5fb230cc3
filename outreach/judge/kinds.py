"""What an ask is for, and how much: the favour kind, the stated amount or duration.

A stated sum of money ("$1.2M", "25k", "EUR 300") in a money sentence makes an ask for
money; a stated duration ("half a day", "a couple of hours") one for time; otherwise the
first subtype of ``[order] ask_subtypes`` whose words the sentence holds.  An ask with none
of them is a task: ordinary work, recognised but never a favour.
"""

from typing import NamedTuple

from outreach.judge.sentences import Sentence
from outreach.judge.vocabulary import Vocabulary

TASK = "task"  # an ask for ordinary work ("please send me the file"): recognised, never a favour
GUESSED = "guessed"  # the cue of an ask only the request model recognised (outreach.judge.model)
# What such an ask can be beside a task.  The model says that something is asked, not what:
# a review, job or intro word in a sentence with no ask cue ("after he has had a chance to
# review it", "the role you referred me for") is too weak a sign of a favour for the ledger.
# A time proposed ("maybe dinner or drinks on Thurs?") and thoughts asked for ("any ideas on
# how we can improve") are the favours most often asked without a cue.
_GUESSABLE = frozenset({"time", "advice"})
_DURATION_REACH = 60  # a duration phrase ends within this many characters of its unit word


class Span(NamedTuple):
    start: int
    end: int


class Size(NamedTuple):
    """An amount of money or a duration in minutes, and where it is stated."""

    value: float
    start: int
    end: int


class Asked(NamedTuple):
    """What an ask is for: the subtype, the words that decided it, and its size."""

    subtype: str
    focus: Span
    amount: float | None = None
    minutes: int | None = None
    wants_person: bool = False  # an intro ask: the person is read after the cue


class Sizes(NamedTuple):
    """The amounts and durations a sentence states, for the cue that governs them."""

    amounts: list[Size]
    durations: list[Size]


def topics(vocab: Vocabulary, sentence: Sentence, by_question: bool, guessed: bool = False) -> set[str]:
    """The subtype groups whose words the sentence holds, as they bear on an ask.

    "Did you raise money?" asks about money, not for it; a call or a meeting is the reader's
    time only with the writer in it ("could we meet", "call me"), not "please call Shirley".
    ``guessed``: the ask is the request model's alone, so only ``_GUESSABLE`` kinds count.
    """
    found = vocab.topics.groups(sentence.texts)
    if guessed:
        found &= _GUESSABLE
    elif by_question:
        found -= {"money_strong", "money_weak"}
    if "time_weak" in found and not vocab.writer_words.isdisjoint(sentence.texts):
        found.add("time")
    return found


def sizes(vocab: Vocabulary, sentence: Sentence, topics: set[str]) -> Sizes:
    low, start, end = sentence.low, sentence.start, sentence.end
    money_topic = "money_strong" in topics
    amounts = _amounts(vocab, low, start, end, money_topic) if money_topic or "money_weak" in topics else []
    durations = _durations(vocab, low, start, end) if vocab.unit_gate.search(low, start, end) else []
    return Sizes(amounts, durations)


def ask_kind(vocab: Vocabulary, topics: set[str], found: Sizes, cue: Span) -> Asked:
    """An ask's subtype (a favour kind, or TASK), focus and size."""
    amount, minutes = nearest(found.amounts, cue.end), nearest(found.durations, cue.end)
    if "money_strong" in topics or amount is not None:  # amount is only read in money sentences
        return Asked("money", Span(amount.start, amount.end) if amount else cue,
                     amount=amount.value if amount else None,
                     minutes=int(minutes.value) if minutes else None)  # fmt: skip
    if minutes is not None:
        return Asked("time", Span(minutes.start, minutes.end), minutes=int(minutes.value))
    for subtype in vocab.subtype_order:
        if subtype in topics:
            return Asked(subtype, cue, wants_person=subtype == "intro")
    return Asked(TASK, cue)


def nearest(sizes: list[Size], cue_end: int) -> Size | None:
    """The size the cue governs: the first one after it, else the last one before it."""
    after = [s for s in sizes if s.start >= cue_end]
    if after:
        return min(after, key=lambda s: s.start)
    return max(sizes, key=lambda s: s.start) if sizes else None


def _amounts(vocab: Vocabulary, low: str, start: int, end: int, money_topic: bool) -> list[Size]:
    """Every sum of money stated in the span."""
    if not vocab.amount_gate.search(low, start, end):
        return []
    out = []
    for match in vocab.amount_re.finditer(low, start - 1, end):
        groups = match.groupdict()
        if not (groups["cur1"] or groups["cur2"]) and not (money_topic and groups["mult"]):
            continue  # a bare number is money only as "invest 25k" in a money sentence
        number = groups["num"]
        value = float(number.replace(",", "")) if number else vocab.quantities.get(groups["word"], 1.0)
        if groups["mult"]:
            value *= vocab.multipliers[groups["mult"]]
        out.append(Size(value, match.start() + 1, match.end()))
    return out


def _durations(vocab: Vocabulary, low: str, start: int, end: int) -> list[Size]:
    """Every duration in the span that says how long (not when), in minutes."""
    out: list[Size] = []
    for unit in vocab.unit_gate.finditer(low, start, end):
        # Read only just before each unit word: a duration phrase is shorter than _DURATION_REACH.
        window = max(start - 1, unit.start() - _DURATION_REACH)
        for match in vocab.duration_re.finditer(low, window, min(end, unit.end() + 12)):
            at = match.start() + 1
            if any(found.start == at for found in out):
                continue
            before = low[max(start, at - 12) : at].split()
            if before and before[-1] in vocab.not_after:
                continue
            if low[match.end() : match.end() + 12].lstrip(" 's").startswith(vocab.not_before):
                continue
            quantity = _quantity(vocab, match.group("q2") or match.group("q"))
            if quantity is not None:
                out.append(Size(round(quantity * vocab.units[match.group("unit")]), at, match.end()))
    return out


def _quantity(vocab: Vocabulary, word: str) -> float | None:
    word = " ".join(word.split())
    if word[0].isdigit():
        try:
            return float(word)
        except ValueError:
            return None
    return vocab.quantities.get(word)
