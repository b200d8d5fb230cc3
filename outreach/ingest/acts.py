"""Act detection: what a message does between its writer and its reader.

``detect(text)`` reads a message body and returns the acts it performs, always from the
writer's side: the writer *asks* the reader for something (money, time, a review, an
introduction, a job lead, advice), *gives* something (an offer, an introduction, a
resource, congratulations), *thanks* the reader, or *introduces* the reader to a third
person.  Each act keeps the sentence that shows it.

How it works, so a result can be explained:

1. Only the writer's own text is read (up to a forwarded or original-message line), one
   sentence at a time; its words are looked up in the *cue* phrases ("could you", "happy
   to", "thanks", "introduce you to" ...) by word n-grams (``outreach.judge.words``).  A
   sentence with no cue may still ask by its form: a question to the reader, or a command.
2. A cue says what the writer is doing; the subtype vocabulary in the same sentence says
   about what (lend, review, intro ...); a stated amount ("$1.2M", "25k", "EUR 300") or
   duration ("half a day", "a couple of hours") gives the size.  An ask with none of them
   is a task: ``requests`` reports it, ``detect`` (the ledger's input) does not.
3. Look-alikes are told apart by the cue, not by the topic: "your team raised $50 million"
   has no ask cue; "I'm happy to spend half a day helping" has an offer cue, not an ask.

The vocabulary lives in ``rules/acts.toml``; nothing here is a word list.  Phrases are set
look-ups and the size patterns bounded sequences, so scanning stays linear in the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from outreach.judge import vocabulary as vocabularies
from outreach.judge.vocabulary import Vocabulary
from outreach.judge.words import PhrasePattern, word_texts, words
from outreach.model import Act

VOCABULARY = vocabularies.VOCABULARY
TASK = "task"  # an ask for ordinary work ("please send me the file"): recognised, never a favour

# Where sentences end: terminal punctuation before a space (periods inside "$1.2M" or
# "example.com" are not).  Paragraph breaks and list items are turned into ". " in the
# normalised text.  Quotes are spaces there, so '." ' is ". " too.  A sentence is read at
# most _REACH characters either side of its first word, which bounds the work per sentence.
_END_RE = re.compile(r"[.?!] ")
_BREAKS = (("\n\r\n", ".  "), ("\n\n", ". "), ("\n- ", ".  "), ("\n* ", ".  "))
_REACH = 400
_POLITE_MARKERS = ("please", "pls", "kindly")
_DURATION_REACH = 60
# Characters that separate words like a space does; mapped to spaces (same length, so
# offsets stay valid); curly apostrophes become straight ones.
_SEPARATORS = "\n\t\r(\"/[*_"
_ASCII_SPACES = bytes.maketrans(_SEPARATORS.encode(), b" " * len(_SEPARATORS))
_ALL_SEPARATORS = re.compile("[" + re.escape(_SEPARATORS) + "\u201c\u201d\u2014\u2013\u00a0]")
_UNICODE_APOSTROPHE = re.compile("\u2019")


class Found(NamedTuple):
    """An act (the fields of model.Act) and where it is: the sentence span and the words that show it."""

    kind: str
    subtype: str
    sentence: str
    amount: float | None
    minutes: int | None
    person: str | None
    start: int  # sentence span in the text
    end: int
    focus_start: int  # the cue, amount or duration that decided it
    focus_end: int
    cue: str  # the cue phrase (lower-case)

    @property
    def act(self) -> Act:
        return Act(self.kind, self.subtype, self.sentence, self.amount, self.minutes, self.person)


def detect(text: str) -> list[Act]:
    """The acts a message body performs, writer to reader, in text order (favours: no tasks)."""
    return [Act(*row[:6]) for row in _scan(text) if row.subtype != TASK]


def scan(text: str) -> list[Found]:
    """Like ``detect`` but with spans, for the linter."""
    return [_shifted(row) for row in _scan(text) if row.subtype != TASK]


def requests(text: str) -> list[Found]:
    """Every sentence that asks the reader for something, favour or ordinary work (subtype "task")."""
    return [_shifted(row) for row in _scan(text) if row.kind == "ask"]


def _shifted(row: Found) -> Found:
    return row._replace(start=row.start - 1, end=row.end - 1, focus_start=row.focus_start - 1,
                        focus_end=row.focus_end - 1)  # fmt: skip


def cues(text: str) -> list[tuple[int, int, str]]:
    """Every cue in the text as (start, end, kind), kind one of the [cues] groups of acts.toml."""
    low = normalise(" " + text)
    return [(at - 1, stop - 1, kind) for at, stop, kind, _ in _cues(_vocab(), low, 0, len(low))
            if kind not in ("neutral", "signal")]  # fmt: skip


def phrase_pattern(phrases: Iterable[str]) -> PhrasePattern:
    """A matcher for lower-case phrases ("x*" = prefix x) in ``normalise(" " + text)``.

    Its ``finditer``/``search`` give matches whose ``group()`` is " " + the phrase.
    """
    return PhrasePattern(phrases)


def load_vocabulary(path: Path) -> Vocabulary:
    """Read a vocabulary file; raises ValueError naming the file."""
    return vocabularies.load(path)


def _vocab() -> Vocabulary:
    return vocabularies.vocabulary()


_Row = Found  # with offsets in " " + text
_Size = tuple[float, int, int]  # value (amount or minutes), start, end


def _cues(vocab: Vocabulary, low: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, group, phrase) of every cue phrase in low[start:end]."""
    found = words(low[start:end])
    texts = [w.text for w in found]
    out = []
    for hit in vocab.cues.find(texts):
        first, last = found[hit.first], found[hit.stop - 1]
        out.append((start + first.start, start + last.end, hit.group, hit.phrase))
    return out


def _sentences(low: str) -> list[tuple[int, int]]:
    """Sentence spans of the normalised text (at most 2 x _REACH characters each)."""
    out = []
    start = 1
    for match in _END_RE.finditer(low):
        out.extend(_bounded(start, match.start() + 1))
        start = match.end()
    out.extend(_bounded(start, len(low)))
    return out


def _bounded(start: int, end: int) -> list[tuple[int, int]]:
    step = 2 * _REACH
    return [(at, min(end, at + step)) for at in range(start, end, step)] if end > start else []


def own_text(text: str) -> str:
    """The writer's own part of a body: up to the first forwarded or original-message line."""
    low = text.lower()
    vocab = _vocab()
    cut = len(text)
    for marker in vocab.own_text_ends:
        at = low.find(marker)
        while at != -1 and at < cut:
            line_start = low.rfind("\n", 0, at) + 1
            if not low[line_start:at].strip(" \t>-"):
                cut = line_start
                break
            at = low.find(marker, at + 1)
    return text[:cut]


def _scan(text: str) -> list[_Row]:
    if not text:
        return []
    vocab = _vocab()
    text = own_text(text)
    # Work on " " + text so every phrase, even the first, follows a space; offsets shift by one.
    src = " " + text
    low = normalise(src)
    found: list[_Row] = []
    for start, end in _sentences(low):
        cues = [(at, stop, kind) for at, stop, kind, _ in _cues(vocab, low, start, end) if kind != "signal"]
        kept = [cue for cue in cues if cue[2] != "neutral"]
        if not any(cue[2] in ("ask", "offer") for cue in kept):
            asked = _request_form(vocab, low, start, end)
            if asked:
                kept.append(asked)
        if kept and not vocab.disclaimer.find(words_of(low[start:end])):
            found.extend(_sentence_acts(vocab, src, low, start, end, kept))
    return _one_per_message(found) if len(found) > 1 else found


def _one_per_message(rows: list[_Row]) -> list[_Row]:
    """Drop repeats that are one act, not two: a second thanks in the same message, and the
    mirror half of a double introduction ("Alex, meet Marcus. Marcus, meet Alex.")."""
    out: list[_Row] = []
    thanked = False
    introduced: list[str] = []
    for row in rows:
        if row.kind == "thanks":
            if thanked:
                continue
            thanked = True
        elif row.kind == "introduction" and row.person:
            first = row.person.split()[0].lower()
            if any(first.startswith(p) or p.startswith(first) for p in introduced):
                continue  # names someone an earlier introduction already addressed
            introduced.append(_salutation(row.sentence))
        out.append(row)
    return out


def _salutation(sentence: str) -> str:
    """'Alex' for 'Alex, meet Marcus.' (lower-case), else ''."""
    head, comma, _ = sentence.partition(",")
    return head.split()[0].lower() if comma and len(head.split()) == 1 else "\x00"


# --- one sentence -------------------------------------------------------------------------------


def _request_form(vocab: Vocabulary, low: str, start: int, end: int) -> tuple[int, int, str] | None:
    """An ask cue for a sentence that asks by its form: a question to the reader ("What do you
    think?", "Are you in Thursday?") or a command ("Send me the file.")."""
    texts = words_of(low[start:end])
    if not texts:
        return None
    first = _first_word(low, start, end)
    if low[start:end].rstrip().endswith("?") and vocab.reader_words.intersection(texts):
        return (first[0], first[1], "question")
    head = texts[1:] if texts[0] in vocab.greeting_words and len(texts) > 2 else texts
    comma = low.find(", ", start, end)
    if comma != -1 and len(words_of(low[start:comma])) <= 3:  # "Hi Sara, put it ..."
        head = words_of(low[comma:end])
    if head and vocab.commands.at(head, 0) is not None and not low[start:end].rstrip().endswith("?"):
        return (first[0], first[1], "ask")
    return None


def _first_word(low: str, start: int, end: int) -> tuple[int, int]:
    found = words(low[start:end])
    return (start + found[0].start, start + found[0].end) if found else (start, start)


def words_of(low: str) -> list[str]:
    """The words of normalised text, for phrase look-ups."""
    return word_texts(low)


def _sentence_acts(
    vocab: Vocabulary, text: str, low: str, start: int, end: int, cues: list[tuple[int, int, str]]
) -> list[_Row]:
    kinds: dict[str, tuple[int, int]] = {}
    for cue_start, cue_end, kind in cues:
        if kind not in kinds and (kind != "introduce" or _intro_cue_ok(text, low, start, cue_start, cue_end)):
            kinds[kind] = (cue_start, cue_end)
    # Trim the span to the sentence's words.
    while start < end and (low[start] == " " or text[start] in "-\u2022>"):
        start += 1
    while end > start and low[end - 1] == " ":
        end -= 1
    sentence = " ".join(text[start:end].split())
    out: list[_Row] = []

    def add(kind: str, subtype: str, focus: tuple[int, int], amount: float | None = None,
            minutes: int | None = None, person: str | None = None) -> None:
        out.append(Found(kind, subtype, sentence, amount, minutes, person, start, end, focus[0], focus[1],
                         low[focus[0] : focus[1]]))

    if "thanks" in kinds and not _is_closing(text, low, start, end) and not _formula(vocab, low, start, end):
        add("thanks", "", kinds["thanks"])
    if "congrats" in kinds:
        add("give", "congrats", kinds["congrats"])
    offer = kinds.get("offer")
    if "introduce" in kinds:
        cue_start, cue_end = kinds["introduce"]
        person = _person(text, cue_end, end)
        if offer:
            add("give", "intro", offer, person=person)
        elif person or "you" in low[cue_start:cue_end]:
            add("introduction", "", kinds["introduce"], person=person)
        offer = None
    ask = kinds.get("ask")
    by_question = ask is None and "question" in kinds
    if by_question:
        ask = kinds["question"]
    if offer and ask and low[ask[0] : ask[1]] in _POLITE_MARKERS:
        ask = None  # "please don't hesitate to call": the please softens an offer, it asks nothing
    if not (offer or ask):
        if "resource" in kinds:
            add("give", "resource", kinds["resource"])
        return out

    topics = vocab.topics.groups([w.text for w in words(low[start:end])])
    if by_question:  # "Did you raise money?" asks about money, not for it
        topics -= {"money_strong", "money_weak"}
    money_topic = "money_strong" in topics
    amounts = _amounts(vocab, low, start, end, money_topic) if money_topic or "money_weak" in topics else []
    durations = _durations(vocab, low, start, end) if vocab.unit_gate.search(low, start, end) else []
    if offer:
        amount, minutes = _nearest(amounts, offer[1]), _nearest(durations, offer[1])
        intro = _offers_intro(low, start, end)
        add("give", "intro" if intro else "offer", offer, amount=amount[0] if amount else None,
            minutes=int(minutes[0]) if minutes else None, person=_person(text, offer[1], end) if intro else None)
    if ask:
        found = _ask(text, end, topics, _nearest(amounts, ask[1]), _nearest(durations, ask[1]), ask)
        if found:
            subtype, focus, sizes = found
            add("ask", subtype, focus, **sizes)
    return out


def _ask(
    text: str,
    end: int,
    topics: set[str],
    amount: _Size | None,
    minutes: _Size | None,
    cue: tuple[int, int],
) -> tuple[str, tuple[int, int], dict] | None:
    """An ask's subtype, focus and size (amount, minutes, person), or None when the sentence asks
    for nothing we track."""
    if "money_strong" in topics or amount is not None:  # amount is only read in money sentences
        return "money", (amount[1], amount[2]) if amount else cue, {
            "amount": amount[0] if amount else None, "minutes": int(minutes[0]) if minutes else None}
    if minutes is not None:
        return "time", (minutes[1], minutes[2]), {"minutes": int(minutes[0])}
    for subtype in _vocab().subtype_order:
        if subtype in topics:
            return subtype, cue, {"person": _person(text, cue[1], end) if subtype == "intro" else None}
    return TASK, cue, {}


def _formula(vocab: Vocabulary, low: str, start: int, end: int) -> bool:
    """'Thanks for your message', 'Thanks in advance': thanks that are a formula, not for a favour."""
    return bool(vocab.formula_thanks.find(words_of(low[start:end])))


def _offers_intro(low: str, start: int, end: int) -> bool:
    part = low[start:end]
    return any(w in part for w in ("introduc", "connect you", "put you in touch", "refer you", "intro "))


def _intro_cue_ok(text: str, low: str, start: int, cue_start: int, cue_end: int) -> bool:
    """'meet' counts only at a sentence start or after a 'Name,' salutation."""
    if low[cue_start:cue_end] != "meet":
        return True
    before = text[start:cue_start].strip()
    if not before:
        return True
    return before.endswith(",") and len(before.split()) <= 3 and before[0].isupper()


def _person(text: str, at: int, end: int) -> str | None:
    """The capitalised name following an introduction cue, as written, else None."""
    vocab = _vocab()
    words = text[at:min(end, at + 120)].split()
    name: list[str] = []
    for raw in words[:10]:
        word = raw.strip(",.;:!?()\"'\u2014\u2013")
        if not word:
            if name:
                break
            continue
        lowered = word.lower()
        if word[0].isupper() and lowered not in vocab.not_names:
            name.append(word.removesuffix("'s").removesuffix("\u2019s"))
            if len(name) == 3 or raw[-1] in ",.;:!?)\u2014":
                break
            continue
        if name or lowered not in vocab.name_fillers:
            break
    return " ".join(name) or None


def _is_closing(text: str, low: str, start: int, end: int) -> bool:
    """A bare 'Thanks,' / 'Many thanks!' sign-off at the end of the message (maybe + a name)."""
    if len(text[end : end + 200].split()) > 3:  # bounded look-ahead keeps long inputs linear
        return False
    closing = _vocab().closing_words
    words = [w.strip(",.!;:-") for w in text[start:end].split()]
    rest = [w for w in words if w and w.lower() not in closing]
    return len(rest) <= 2 and all(w[0].isupper() for w in rest)  # at most a name after it


# --- sizes ---------------------------------------------------------------------------------------


def _amounts(vocab: Vocabulary, low: str, start: int, end: int, money_topic: bool) -> list[_Size]:
    """Every sum of money stated in the span: (value, start, end)."""
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
        out.append((value, match.start() + 1, match.end()))
    return out


def _durations(vocab: Vocabulary, low: str, start: int, end: int) -> list[_Size]:
    """Every duration in the span that says how long (not when): (minutes, start, end)."""
    out: list[_Size] = []
    for unit in vocab.unit_gate.finditer(low, start, end):
        # Read only just before each unit word: a duration phrase is shorter than _DURATION_REACH.
        window = max(start - 1, unit.start() - _DURATION_REACH)
        for match in vocab.duration_re.finditer(low, window, min(end, unit.end() + 12)):
            at = match.start() + 1
            if any(found[1] == at for found in out):
                continue
            before = low[max(start, at - 12) : at].split()
            if before and before[-1] in vocab.not_after:
                continue
            if low[match.end() : match.end() + 12].lstrip(" 's").startswith(vocab.not_before):
                continue
            quantity = _quantity(vocab, match.group("q2") or match.group("q"))
            if quantity is not None:
                out.append((round(quantity * vocab.units[match.group("unit")]), at, match.end()))
    return out


def _nearest(sizes: list[_Size], cue_end: int) -> _Size | None:
    """The size the cue governs: the first one after it, else the last one before it."""
    after = [s for s in sizes if s[1] >= cue_end]
    if after:
        return min(after, key=lambda s: s[1])
    return max(sizes, key=lambda s: s[1]) if sizes else None


def _quantity(vocab: Vocabulary, word: str) -> float | None:
    word = " ".join(word.split())
    if word[0].isdigit():
        try:
            return float(word)
        except ValueError:
            return None
    return vocab.quantities.get(word)


# --- vocabulary ----------------------------------------------------------------------------------


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
