"""Thanks, introductions and offers told apart from their look-alikes.

A thanks that is a sign-off ("Thanks,\\nAlice") or a formula ("Thanks for your message")
is no evidence of a favour; "meet" introduces only at a sentence start or after a "Name,"
salutation; an offer that names an introduction ("happy to connect you with ...") is a
give of an introduction, and the capitalised name after the cue is its person.
"""

from __future__ import annotations

from outreach.judge.sentences import Sentence
from outreach.judge.vocabulary import Vocabulary

_INTRO_WORDS = ("introduc", "connect you", "put you in touch", "refer you", "intro ")
_TO_REACH = 8  # "thanks to" + up to six names and "and"s, then "for"
_EVERYONE = (["all"], ["everyone"], ["everybody"])
_CONDITIONAL = frozenset({"if", "whether"})  # "let me know if this is helpful, thanks": no praise given


def is_closing(vocab: Vocabulary, sentence: Sentence) -> bool:
    """A bare 'Thanks,' / 'Many thanks!' sign-off at the end of the message (maybe + a name)."""
    text, start, end = sentence.text, sentence.start, sentence.end
    if len(text[end : end + 200].split()) > 3:  # bounded look-ahead keeps long inputs linear
        return False
    words = [w.strip(",.!;:-") for w in text[start:end].split()]
    rest = [w for w in words if w and w.lower() not in vocab.closing_words]
    return len(rest) <= 2 and all(w[0].isupper() for w in rest)  # at most a name after it


def is_formula(vocab: Vocabulary, sentence: Sentence) -> bool:
    """'Thanks for your message', 'Thanks in advance': thanks that are a formula, not for a favour."""
    return any(hit.group == "formula" for hit in vocab.formula_thanks.find(sentence.texts))


def names_nothing(vocab: Vocabulary, sentence: Sentence, cue_start: int, cue_end: int) -> bool:
    """A bare thanks that says for nothing ("Jim - Thank you.", "Thanks, I hope we get there soon"):
    a formula, unless it is exclaimed or says what for ("for ...", "this is really helpful", or
    before it: "your notes were so helpful, thank you") or whom ("Thank you to Jim and Ann for
    ...", "to everyone who came")."""
    if sentence.low[cue_start:cue_end] not in vocab.bare_thanks:
        return False  # "grateful for", "appreciate your ...": the cue names its object
    if sentence.low[sentence.start : sentence.end].rstrip(" .").endswith("!"):  # "." of a paragraph break
        return False
    after = [w for w, at in zip(sentence.texts, sentence.starts, strict=True) if at >= cue_end]
    if "for" in after[:4] or (after[:1] == ["to"] and _thanks_someone(sentence, cue_end)):
        return False
    before = sentence.texts[: len(sentence.texts) - len(after)]
    praised = _CONDITIONAL.isdisjoint(before) and vocab.thanks_said_before.find(before)
    return not (vocab.thanks_specific.find(after) or praised)


def credits_a_cause(sentence: Sentence, cue_start: int, cue_end: int) -> bool:
    """"Thanks to the storm, the flight was late" says because of, not thank you: a bare
    "thanks to" that thanks no one (``_thanks_someone``)."""
    if sentence.low[cue_start:cue_end] != "thanks":
        return False
    return _clause(sentence, cue_end)[:1] == ["to"] and not _thanks_someone(sentence, cue_end)


def _thanks_someone(sentence: Sentence, cue_end: int) -> bool:
    """After a thanks cue and "to": whether it thanks someone for something in the same clause
    ("to Jim and Ann for the notes", "for" within _TO_REACH words) or everyone ("to all who came")."""
    clause = _clause(sentence, cue_end)
    return clause[1:2] in _EVERYONE or "for" in clause[:_TO_REACH]


def _clause(sentence: Sentence, at: int) -> list[str]:
    """The words from ``at`` to the next comma (or at most 120 characters on)."""
    return sentence.low[at : min(sentence.end, at + 120)].split(",")[0].split()


def offers_intro(sentence: Sentence) -> bool:
    """An offer about an introduction ("I can connect you with our head of sales")."""
    part = sentence.low[sentence.start : sentence.end]
    return any(w in part for w in _INTRO_WORDS)


def intro_cue_ok(sentence: Sentence, cue_start: int, cue_end: int) -> bool:
    """'meet' counts only at a sentence start or after a 'Name,' salutation."""
    if sentence.low[cue_start:cue_end] != "meet":
        return True
    before = sentence.text[sentence.start : cue_start].strip()
    if not before:
        return True
    return before.endswith(",") and len(before.split()) <= 3 and before[0].isupper()


def person(vocab: Vocabulary, sentence: Sentence, at: int) -> str | None:
    """The capitalised name following an introduction cue (ending at ``at``), as written, else None."""
    words = sentence.text[at : min(sentence.end, at + 120)].split()
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


def salutation(sentence: str) -> str:
    """'alex' for 'Alex, meet Marcus.', else a string no name starts with."""
    head, comma, _ = sentence.partition(",")
    return head.split()[0].lower() if comma and len(head.split()) == 1 else "\x00"
