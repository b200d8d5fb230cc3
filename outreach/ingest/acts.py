"""Act detection: what a message does between its writer and its reader.

``detect(text)`` reads a message body and returns the acts it performs, always from the
writer's side: the writer *asks* the reader for something (money, time, a review, an
introduction, a job lead, advice), *gives* something (an offer, an introduction, a
resource, congratulations), *thanks* the reader, or *introduces* the reader to a third
person.  Each act keeps the sentence that shows it.

How it works, so a result can be explained:

1. Only the writer's own text is read (up to a forwarded or original-message line), one
   sentence at a time, each tokenised once (``outreach.judge.sentences``); its words are
   looked up in the *cue* phrases ("could you", "happy to", "thanks", "introduce you to"
   ...) by word n-grams (``outreach.judge.words``).  A sentence with no ask or offer cue
   may still ask by its form: a question to the reader, or a command
   (``outreach.judge.requests``).  Disclaimer sentences are skipped.
2. A cue says what the writer is doing; the subtype vocabulary in the same sentence says
   about what (lend, review, intro ...); a stated amount ("$1.2M", "25k", "EUR 300") or
   duration ("half a day", "a couple of hours") gives the size (``outreach.judge.kinds``).
   An ask with none of them is a task: ``requests`` reports it, ``detect`` (the ledger's
   input) does not.
3. Look-alikes are told apart by the cue, not by the topic: "your team raised $50 million"
   has no ask cue; "I'm happy to spend half a day helping" has an offer cue, not an ask.
   Sign-off and formula thanks, and "meet" mid-sentence, are read in ``outreach.judge.gives``.

The vocabulary lives in ``rules/acts.toml``; nothing here is a word list.  Phrases are set
look-ups and the size patterns bounded sequences, so scanning stays linear in the input.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from outreach.judge import gives, kinds
from outreach.judge import model as request_model
from outreach.judge import vocabulary as vocabularies
from outreach.judge.kinds import TASK, Span
from outreach.judge.ownership import own_text
from outreach.judge.requests import request_form
from outreach.judge.sentences import Sentence, is_disclaimer, normalise, sentences
from outreach.judge.vocabulary import Vocabulary
from outreach.judge.words import PhrasePattern, Word, word_texts
from outreach.model import Act

VOCABULARY = vocabularies.VOCABULARY
FORMULA = "formula"  # a thanks that is a formula or a sign-off ("Thanks for your message."): no favour
__all__ = ["FORMULA", "TASK", "VOCABULARY", "Found", "cues", "detect", "is_favour", "load_vocabulary", "normalise",
           "phrase_pattern", "read", "requests", "scan"]  # fmt: skip
_NOT_FAVOURS = (TASK, FORMULA)
_POLITE_MARKERS = ("please", "pls", "kindly")
# After a "please", the words that only ask the reader to get in touch (a standing offer's "please").
_CONTACT = frozenset({"call", "contact", "email", "e-mail", "phone", "ring", "write", "let", "get", "reach", "give",
                      "feel", "do", "don't", "drop", "send", "advise", "notify", "inform", "tell", "forward"})
# Referrals only as the command, a capitalised name after them ("Try Frank Wolak", "Start with Ann Cole").
_BARE_REFERRALS = frozenset({"try", "start with", "check with", "get in touch with", "reach out to"})


class Found(NamedTuple):
    """An act and where the text shows it: its sentence's span and the words that decided it."""

    act: Act
    start: int  # sentence span in the text
    end: int
    focus_start: int  # the cue, amount or duration that decided it
    focus_end: int
    cue: str  # the cue phrase (lower-case); "" for an ask the request model alone recognised


class Cue(NamedTuple):
    """A cue phrase found in a sentence (offsets in " " + text) and its [cues] group."""

    start: int
    end: int
    group: str


def is_favour(act: Act) -> bool:
    """Whether the ledger counts this act: all but ordinary work (tasks) and formula thanks."""
    return act.subtype not in _NOT_FAVOURS


def detect(text: str) -> list[Act]:
    """The acts a message body performs, writer to reader, in text order (favours: no tasks)."""
    return [row.act for row in _scan(text) if is_favour(row.act)]


def scan(text: str) -> list[Found]:
    """Like ``detect`` but with spans, for the linter."""
    return [_shifted(row) for row in _scan(text) if is_favour(row.act)]


def requests(text: str) -> list[Found]:
    """Every sentence that asks the reader for something, favour or ordinary work (subtype "task")."""
    return [_shifted(row) for row in _scan(text) if row.act.kind == "ask"]


def read(text: str) -> list[Found]:
    """Every act with its span, tasks (ask "task") and formula thanks (thanks "formula") included."""
    return [_shifted(row) for row in _scan(text)]


def _shifted(row: Found) -> Found:
    return row._replace(start=row.start - 1, end=row.end - 1, focus_start=row.focus_start - 1,
                        focus_end=row.focus_end - 1)  # fmt: skip


def cues(found: list[Word]) -> list[tuple[int, int, str]]:
    """Every cue among the words of ``normalise(" " + text)`` (``words``), as (start, end, kind)
    in the text, kind one of the [cues] groups of acts.toml."""
    hits = _vocab().cues.find([w.text for w in found])
    return [(found[hit.first].start - 1, found[hit.stop - 1].end - 1, hit.group) for hit in hits
            if hit.group != "neutral"]  # fmt: skip


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


def _cues(vocab: Vocabulary, sentence: Sentence) -> list[Cue]:
    """Every cue phrase of the sentence but the neutral ones ("thanks in advance")."""
    hits = vocab.cues.find(sentence.texts)
    if not hits:
        return []  # most sentences: their words' offsets are never needed
    return [Cue(*sentence.span(hit.first, hit.stop), hit.group) for hit in hits if hit.group != "neutral"]


def _scan(text: str) -> list[Found]:
    if not text:
        return []
    vocab = _vocab()
    text = own_text(text, vocab)
    # Work on " " + text so every phrase, even the first, follows a space; offsets shift by one.
    src = " " + text
    low = normalise(src)
    found: list[Found] = []
    for sentence in sentences(src, low):
        kept = _cues(vocab, sentence)
        groups = {cue.group for cue in kept}
        if "ask" not in groups and "offer" not in groups:
            asked = request_form(vocab, sentence)
            if asked:
                kept.append(Cue(*asked))
                groups.add(asked.group)
        rows = _sentence_acts(vocab, sentence, kept) if kept else []
        seen = any(row.act.subtype != FORMULA for row in rows)  # a formula thanks hides no request
        if not seen and "ask" not in groups and _own(sentence) and request_model.asks(sentence):
            first = sentence.words[0]  # no act the rules can see, but the model says it asks
            rows = _sentence_acts(vocab, sentence, [*kept, Cue(first.start, first.end, kinds.GUESSED)])
        if rows and not is_disclaimer(vocab, sentence):
            found.extend(rows)
    return _one_per_message(found) if len(found) > 1 else found


def _own(sentence: Sentence) -> bool:
    """Not a sentence running into a quoted reply ("On Wed, ... Alex wrote: > Hi Nina, ..."):
    the rules read those as before, the model does not guess at them."""
    return sentence.low.find(" wrote: ", sentence.start, sentence.end) == -1


def _opens(sentence: Sentence, at: int) -> bool:
    """Whether a cue at ``at`` opens the sentence as its command: at most a "please" or a
    "Name," before it ("Please, try Frank Wolak"; not "she wants to try Fernwood")."""
    return len(word_texts(sentence.low, sentence.start, at)) <= 2


def _governs_work(low: str, please: Span, offer: Span) -> bool:
    """Whether a "please" before an offer asks for work of its own ("Please review the draft and
    let me know if you have questions"), not only for the reader to get in touch ("Please call
    Ann if you need anything", "Please, if you have questions, call me")."""
    if please.start > offer.start:
        return False
    between = word_texts(low, please.end, offer.start)
    return bool(between) and between[0] not in _CONTACT


def _one_per_message(rows: list[Found]) -> list[Found]:
    """Drop repeats that are one act, not two: a second thanks in the same message, and the
    mirror half of a double introduction ("Alex, meet Marcus. Marcus, meet Alex.")."""
    out: list[Found] = []
    thanked = False
    introduced: list[str] = []
    for row in rows:
        act = row.act
        if act.kind == "thanks" and act.subtype != FORMULA:
            if thanked:
                continue
            thanked = True
        elif act.kind == "introduction" and act.person:
            first = act.person.split()[0].lower()
            if any(first.startswith(p) or p.startswith(first) for p in introduced):
                continue  # names someone an earlier introduction already addressed
            introduced.append(gives.salutation(act.sentence))
        out.append(row)
    return out


def _sentence_acts(vocab: Vocabulary, whole: Sentence, cues: list[Cue]) -> list[Found]:
    first: dict[str, Span] = {}  # group -> its first cue
    for cue in cues:
        if cue.group not in first and (cue.group != "introduce" or gives.intro_cue_ok(whole, cue.start, cue.end)):
            first[cue.group] = Span(cue.start, cue.end)
    sentence = whole.trimmed()
    text, low, start, end = sentence.text, sentence.low, sentence.start, sentence.end
    written = " ".join(text[start:end].split())
    out: list[Found] = []

    def add(kind: str, subtype: str, focus: Span, amount: float | None = None,
            minutes: int | None = None, person: str | None = None, cue: str | None = None) -> None:
        out.append(Found(Act(kind, subtype, written, amount, minutes, person), start, end, focus.start, focus.end,
                         low[focus.start : focus.end] if cue is None else cue))

    if "thanks" in first and not gives.credits_a_cause(sentence, first["thanks"].start, first["thanks"].end):
        cue = first["thanks"]
        formula = gives.is_closing(vocab, sentence) or gives.is_formula(vocab, sentence) \
            or gives.names_nothing(vocab, sentence, cue.start, cue.end)  # fmt: skip
        add("thanks", FORMULA if formula else "", cue)
    if "congrats" in first:
        add("give", "congrats", first["congrats"])
    offer = first.get("offer")
    if "introduce" in first:
        cue = first["introduce"]
        person = gives.person(vocab, sentence, cue.end)
        if offer:
            add("give", "intro", offer, person=person)
        elif person or "you" in low[cue.start : cue.end]:
            add("introduction", "", cue, person=person)
        offer = None
    ask = first.get("ask")
    guessed = ask is None and kinds.GUESSED in first
    by_question = ask is None and ("question" in first or guessed)
    if by_question:
        ask = first.get("question") or first[kinds.GUESSED]
    if offer and ask and low[ask.start : ask.end] in _POLITE_MARKERS and not _governs_work(low, ask, offer):
        ask = None  # "please don't hesitate to call": the please softens an offer, it asks nothing
    refer = first.get("refer")
    if refer:
        person = gives.person(vocab, sentence, refer.end)
        if low[refer.start : refer.end] not in _BARE_REFERRALS or (person and _opens(sentence, refer.start)):
            add("give", "intro", refer, person=person)
            if ask and (ask.start <= refer.start or low[ask.start : ask.end] in _POLITE_MARKERS):
                ask = None  # "Please, try Frank Wolak at Stanford": a referral, not an ask
    if not (offer or ask):
        if "resource" in first:
            add("give", "resource", first["resource"])
        return out

    topics = kinds.topics(vocab, sentence, by_question, guessed)
    sizes = kinds.sizes(vocab, sentence, topics)
    if offer:
        amount, minutes = kinds.nearest(sizes.amounts, offer.end), kinds.nearest(sizes.durations, offer.end)
        intro = gives.offers_intro(sentence)
        add("give", "intro" if intro else "offer", offer, amount=amount.value if amount else None,
            minutes=int(minutes.value) if minutes else None,
            person=gives.person(vocab, sentence, offer.end) if intro else None)  # fmt: skip
    if ask:
        asked = kinds.ask_kind(vocab, topics, sizes, ask)
        person = gives.person(vocab, sentence, ask.end) if asked.wants_person else None
        add("ask", asked.subtype, asked.focus, amount=asked.amount, minutes=asked.minutes, person=person,
            cue="" if guessed else None)  # fmt: skip
    return out
