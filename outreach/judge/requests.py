"""Requests recognised by their form, for sentences that hold no ask or offer cue.

A question to the reader ("What do you think?", "Are you in Thursday?"), a short question
proposing a time ("Dinner on Thursday?") or a command ("Send me the file.", "Hi Sara, put
it in the shared folder.") asks the reader for something even without "could you" or
"please".  What is asked is decided afterwards
(``outreach.judge.kinds``).
"""

from typing import NamedTuple

from outreach.judge.sentences import Sentence
from outreach.judge.vocabulary import Vocabulary
from outreach.judge.words import word_texts


class FormCue(NamedTuple):
    """Where a request by form is shown (its first word) and which form: "question" or "ask"."""

    start: int
    end: int
    group: str


def request_form(vocab: Vocabulary, sentence: Sentence) -> FormCue | None:
    """The form cue of a sentence that asks by its form, else None."""
    texts = sentence.texts
    if not texts:
        return None
    question = sentence.is_question
    if question and (vocab.reader_words.intersection(texts) or _proposes(vocab, texts)):
        return _at_first_word(sentence, "question")
    if question:
        return None
    head = texts[1:] if texts[0] in vocab.greeting_words and len(texts) > 2 else texts
    comma = sentence.low.find(", ", sentence.start, sentence.end)
    if comma != -1:
        before = len(word_texts(sentence.low, sentence.start, comma))
        if before <= 3:  # "Hi Sara, put it ..."
            head = texts[before:]
    if head and vocab.commands.at(head, 0) is not None:
        return _at_first_word(sentence, "ask")
    return None


def _proposes(vocab: Vocabulary, texts: list[str]) -> bool:
    """A short question that names a meal, a meeting or a day: a time proposed ("Lunch on Friday?")."""
    return len(texts) <= vocab.proposal_length and not vocab.proposal_words.isdisjoint(texts)


def _at_first_word(sentence: Sentence, form: str) -> FormCue:
    return FormCue(*sentence.span(0, 1), form)
