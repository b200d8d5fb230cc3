"""Patterns of real mail the detectors read: referrals, comments asked for, "please advise",
meetings proposed, bulk-mail instructions, a question before a paragraph break."""

from __future__ import annotations

import pytest

from outreach.ingest import acts
from outreach.judge import model as request_model


def kinds(text: str) -> list[tuple[str, str]]:
    return [(found.kind, found.subtype) for found in acts.read(text)]


@pytest.mark.parametrize("text, person", [
    ("You should talk to Dana Whitaker at the utility commission.", "Dana Whitaker"),
    ("Please, try Omar Haddad from the Rice energy program.", "Omar Haddad"),
    ("Lee, try Marta Quinn in our Denver office.", "Marta Quinn"),
    ("You might want to contact Priscilla Ng about the permit.", "Priscilla Ng"),
])  # fmt: skip
def test_a_referral_is_a_give_of_an_introduction_naming_the_person(text: str, person: str) -> None:
    [found] = acts.read(text)
    assert (found.kind, found.subtype, found.person) == ("give", "intro", person)


@pytest.mark.parametrize("text", [
    "Try again after the server restarts.",
    "Try not to schedule anything on Friday.",
])  # fmt: skip
def test_try_without_a_name_is_still_a_command(text: str) -> None:
    assert kinds(text) == [("ask", "task")]


def test_try_mid_sentence_refers_no_one() -> None:
    assert not any(kind == "give" for kind, _ in kinds("The plant manager wants to try Fernwood next spring."))


@pytest.mark.parametrize("text, subtype", [
    ("Please fax your comments on the tariff filing by Tuesday.", "review"),
    ("Any comments on the revised schedule would be appreciated.", "review"),
    ("If you can make the hearing on Monday, please advise.", "task"),
    ("Could you advise me on how to word the filing?", "advice"),
    ("Mark, you and I should talk before the board meeting.", "time"),
])  # fmt: skip
def test_what_is_asked(text: str, subtype: str) -> None:
    assert ("ask", subtype) in kinds(text)


@pytest.mark.parametrize("text", [
    "To keep getting our deals, please add offers@shop.example to your address book.",
    "Please click here to confirm your subscription.",
    "If you no longer wish to receive these emails, please update your preferences.",
    "These lamps are sure to please every guest.",
])  # fmt: skip
def test_bulk_mail_instructions_ask_nothing(text: str) -> None:
    assert acts.requests(text) == []


def test_a_question_before_a_paragraph_break_is_a_question() -> None:
    text = "My laptop died on the train.  Any thoughts on where to get a cheap refurbished one?\n\nRuth"
    assert ("ask", "advice") in kinds(text)


def test_the_model_does_not_guess_in_a_sentence_running_into_a_quoted_reply() -> None:
    text = "On Mon, 3 Mar 2025 at 09:10, Ann Lee <ann@example.org> wrote: > Great to see you at the dinner."
    request_model.use(request_model.always())
    try:
        assert acts.requests(text) == []
        assert acts.requests("Great to see you at the dinner.") != []  # the same words alone: the model is asked
    finally:
        request_model.use(None)


def test_a_quoted_reply_is_not_the_writers_act() -> None:
    text = ("Glad it helped.\n\nOn Tue, 4 Mar 2025 at 10:02, Ann Lee <ann@example.org> wrote:\n"
            "> Could you review my deck before Friday?\n> Thanks so much for the intro to Raj!\n")  # fmt: skip
    assert acts.read(text) == []
    wrapped = "Sure.\nOn Tue, 4 Mar 2025 at 10:02, Ann Lee\n<ann@example.org> wrote:\n> Could you review my deck?\n"
    assert acts.read(wrapped) == []
    inline = "> Could you review my deck?\nYes, could you send it to me tonight?\n"  # answers between quoted lines
    assert [(found.kind, found.subtype) for found in acts.read(inline)][-1] == ("ask", "task")
