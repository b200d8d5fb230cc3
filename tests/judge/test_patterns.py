"""Patterns of real mail the detectors read: referrals, comments asked for, "please advise",
meetings proposed, bulk-mail instructions, a question before a paragraph break."""

from __future__ import annotations

import pytest

from outreach.ingest import acts
from outreach.judge import model as request_model


def kinds(text: str) -> list[tuple[str, str]]:
    return [(found.act.kind, found.act.subtype) for found in acts.read(text)]


@pytest.mark.parametrize("text, person", [
    ("You should talk to Dana Whitaker at the utility commission.", "Dana Whitaker"),
    ("Please, try Omar Haddad from the Rice energy program.", "Omar Haddad"),
    ("Lee, try Marta Quinn in our Denver office.", "Marta Quinn"),
    ("You might want to contact Priscilla Ng about the permit.", "Priscilla Ng"),
])  # fmt: skip
def test_a_referral_is_a_give_of_an_introduction_naming_the_person(text: str, person: str) -> None:
    [found] = acts.read(text)
    assert (found.act.kind, found.act.subtype, found.act.person) == ("give", "intro", person)


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
    assert [(found.act.kind, found.act.subtype) for found in acts.read(inline)][-1] == ("ask", "task")


@pytest.mark.parametrize("text", [
    "PRIVILEGED AND CONFIDENTIAL Dana, many thanks for your help with the permit yesterday.",
    "Thanks to Priya and Omar for the site visit notes.",
    "Thank you to the whole crew at the depot for staying late.",
    "I wanted to thank everyone who stayed late for the audit.",
    "Thanks to everyone who stayed for the walkthrough.",
])  # fmt: skip
def test_genuine_thanks_in_other_forms(text: str) -> None:
    assert kinds(text) == [("thanks", "")]


@pytest.mark.parametrize("text", [
    "Thanks to the storm, the flight was delayed for hours.",
    "Thank you to our sponsors.",
    "If you have received this message in error, thank you for deleting it.",
    "IF YOU RECEIVED THIS IN ERROR, THANK YOU FOR TELLING THE SENDER.",
])  # fmt: skip
def test_thanks_to_a_cause_for_nothing_or_in_boilerplate_are_no_favour(text: str) -> None:
    assert ("thanks", "") not in kinds(text)


@pytest.mark.parametrize("text", ["Thank you for your order.", "Thanks for subscribing to the bulletin.",
                                  "Thanks in advance for your help.", "Thanks for your help in this matter."])
def test_what_a_business_thanks_every_customer_for_is_a_formula(text: str) -> None:
    assert kinds(text) == [("thanks", acts.FORMULA)]


@pytest.mark.parametrize("text, person", [
    ("Start with Hannah Ortiz at the county office.", "Hannah Ortiz"),
    ("I mentioned your pilot study to the review panel.", None),
    ("You might want to try Luis Peralta in procurement.", "Luis Peralta"),
    ("Greta Holm on the grid desk is a good person to ask.", None),
])  # fmt: skip
def test_referrals_made_for_the_reader(text: str, person: str | None) -> None:
    assert [(f.act.kind, f.act.subtype, f.act.person) for f in acts.read(text)] == [("give", "intro", person)]


@pytest.mark.parametrize("text", ["Start with the budget tables.", "As I mentioned your draft is due Friday."])
def test_look_alikes_of_referrals_refer_no_one(text: str) -> None:
    assert not any(kind == "give" for kind, _ in kinds(text))


def test_work_done_for_the_reader_is_a_resource() -> None:
    assert kinds("I've put together the shipping figures you wanted.") == [("give", "resource")]


@pytest.mark.parametrize("text, subtype", [
    ("You are required to sign the new travel policy by Monday.", "task"),
    ("Could you keep my CV on file for the spring?", "job"),
    ("Would you consider him for the trading desk?", "job"),
    ("I think Rosa would be a great addition to your analytics group.", "job"),
    ("Please check that you are comfortable with the revised terms.", "review"),
])  # fmt: skip
def test_obligations_are_tasks_and_job_asks_are_jobs(text: str, subtype: str) -> None:
    assert ("ask", subtype) in kinds(text)


@pytest.mark.parametrize("text", [
    "Lets talk after the board call.",
    "We should discuss the vendor terms on Monday.",
    "Maybe we can meet when you are in Austin.",
    "I would like to discuss the lease with you.",
    "I am writing to request a short meeting in March.",
])  # fmt: skip
def test_a_meeting_or_discussion_proposed_is_the_readers_time(text: str) -> None:
    assert kinds(text) == [("ask", "time")]


def test_discussing_without_the_writer_is_ordinary_work() -> None:
    assert kinds("Could you discuss the invoice with Maria?") == [("ask", "task")]


@pytest.mark.parametrize("text, subtype", [
    ("Lets grab lunch on Thursday.", "time"),
    ("Visit the portal to update your address.", "task"),
    ("Be sure to bring your badge on Monday.", "task"),
    ("Come by the office whenever you like.", "task"),
])  # fmt: skip
def test_commands_people_open_with(text: str, subtype: str) -> None:
    assert kinds(text) == [("ask", subtype)]


def test_lets_mid_sentence_is_not_a_command() -> None:
    assert kinds("The new tool lets you export the ledger.") == []


@pytest.mark.parametrize("text, subtype", [
    ("Please call when you get a minute.", "time"),
    ("Please call Rhea to book the room.", "task"),
    ("Could you send me the draft of his opening statement?", "task"),
    ("Is there an opening on your analytics team?", "job"),
])  # fmt: skip
def test_a_call_to_the_writer_and_an_opening_that_is_a_job(text: str, subtype: str) -> None:
    assert kinds(text) == [("ask", subtype)]


@pytest.mark.parametrize("text, subtype", [
    ("Any comments would be greatly appreciated.", "review"),
    ("Your help would be much appreciated.", "task"),
])  # fmt: skip
def test_appreciation_hoped_for_is_an_ask_not_thanks(text: str, subtype: str) -> None:
    assert kinds(text) == [("ask", subtype)]


@pytest.mark.parametrize("text", ["Thanks for forwarding the memo.", "Thanks for sharing the deck with me."])
def test_what_the_reader_is_thanked_for_sharing_is_not_the_writers_give(text: str) -> None:
    assert kinds(text) == [("thanks", "")]


@pytest.mark.parametrize("text, person", [
    ("You should get in touch with Marco Diaz at the utility.", "Marco Diaz"),
    ("I'd suggest talking to Lena Fisk in our Boston office.", "Lena Fisk"),
    ("I recommend you contact Ravi Shah about the permit.", "Ravi Shah"),
    ("Check with Paula Grant in legal.", "Paula Grant"),
    ("Reach out to Omar Said, he runs the program.", "Omar Said"),
    ("I gave your name to the recruiter at the co-op.", None),
])  # fmt: skip
def test_more_referrals_made_for_the_reader(text: str, person: str | None) -> None:
    assert [(f.act.kind, f.act.subtype, f.act.person) for f in acts.read(text)] == [("give", "intro", person)]


@pytest.mark.parametrize("text, subtype", [
    ("Check with the desk before you sign.", "task"),
    ("Please reach out to the vendor for a quote.", "task"),
    ("Do you have time to meet on Tuesday?", "time"),
    ("I would be interested in any opportunities in your group.", "job"),
])  # fmt: skip
def test_bare_referral_commands_without_a_name_time_asked_and_job_interest(text: str, subtype: str) -> None:
    assert kinds(text) == [("ask", subtype)]


def test_a_please_that_asks_for_work_before_a_standing_offer_still_asks() -> None:
    assert ("ask", "review") in kinds("Please review the draft and let me know if you have any changes.")
    assert kinds("Please call Ann Lee if you need anything.") == [("give", "offer")]
    assert kinds("If you have questions, please call me.") == [("give", "offer")]


def test_copying_someone_in_introduces_them() -> None:
    [found] = acts.read("I copied Maria on this so she can follow up.")
    assert (found.act.kind, found.act.person) == ("introduction", "Maria")


@pytest.mark.parametrize("text, subtype", [
    ("I'll get you the numbers by Friday.", "offer"),
    ("If it helps, I can walk you through the model.", "offer"),
    ("We'd be delighted to host you in Houston.", "offer"),
    ("I'll keep an eye out for openings on our side.", "offer"),
    ("You can find the slides on the shared drive.", "resource"),
    ("You will find the agenda below.", "resource"),
])  # fmt: skip
def test_offers_and_resources_in_other_words(text: str, subtype: str) -> None:
    assert kinds(text) == [("give", subtype)]


def test_an_announcement_or_an_opinion_gives_nothing() -> None:
    assert kinds("We are delighted to announce our new office.") == []
    assert kinds("I think you will find this approach more effective.") == []


@pytest.mark.parametrize("text", [
    "I'd like to apply for the analyst position.",
    "I'm writing to express my interest in the trading position.",
    "I'm hoping to find a role in energy trading and would value any leads.",
])  # fmt: skip
def test_applying_for_a_job_is_a_job_ask(text: str) -> None:
    assert kinds(text) == [("ask", "job")]


@pytest.mark.parametrize("text, subtype", [
    ("I would also like to discuss the staffing plan.", "time"),
    ("I really think we need to get together before Friday.", "time"),
    ("I wanted to know whether the filing went out.", "task"),
    ("I look forward to receiving your signed copy.", "task"),
])  # fmt: skip
def test_wants_stated_to_the_reader_are_requests(text: str, subtype: str) -> None:
    assert kinds(text) == [("ask", subtype)]


@pytest.mark.parametrize("text", [
    "Breakfast on Tuesday?",
    "Coffee next Friday?",
    "Maybe lunch or drinks on Wed?",
])  # fmt: skip
def test_a_short_question_proposing_a_meal_is_an_ask_for_time(text: str) -> None:
    assert kinds(text) == [("ask", "time")]


def test_a_short_question_proposing_a_day_asks_though_it_names_no_reader() -> None:
    assert kinds("Monday at 10?") == [("ask", "task")]
    assert kinds("Who would have guessed the vote would pass on Monday?") == []  # longer: rhetorical


def test_i_was_wondering_whether_is_a_hedged_ask() -> None:
    assert kinds("I was wondering whether you could look over my cover letter.") == [("ask", "review")]


def test_putting_something_on_the_writers_calendar_is_ordinary_work() -> None:
    assert kinds("Please put the offsite on my calendar.") == [("ask", "task")]
    assert kinds("Could I get twenty minutes on your calendar?") == [("ask", "time")]


def test_taking_part_costs_the_reader_time() -> None:
    assert kinds("Would you like to participate in our alumni panel this spring?") == [("ask", "time")]


@pytest.mark.parametrize("text, subtype", [
    ("The checklist you sent was really useful, thank you.", ""),
    ("Your referral was a huge help, thanks.", ""),
    ("Got it, thanks.", "formula"),
    ("Tell me if the summary is useful, thanks.", "formula"),
])  # fmt: skip
def test_a_bare_thanks_after_saying_what_helped_is_genuine(text: str, subtype: str) -> None:
    assert [k for k in kinds(text) if k[0] == "thanks"] == [("thanks", subtype)]


@pytest.mark.parametrize("text, subtype", [
    # A review, job or intro word where only the model sees an ask is no favour.
    ("Marisol will look at the numbers once she has had a chance to review them.", "task"),
    ("The role Devon took last spring keeps him on the road.", "task"),
    ("The introduction to the report runs long.", "task"),
    # A time proposed and thoughts sought are favours even without an ask cue.
    ("Maybe a quick coffee near the station after the hearing.", "time"),
    ("Any thoughts on how the rollout went for your group.", "advice"),
])  # fmt: skip
def test_an_ask_only_the_model_sees_is_a_favour_only_for_time_or_advice(text: str, subtype: str) -> None:
    request_model.use(request_model.always())
    try:
        assert kinds(text) == [("ask", subtype)]
    finally:
        request_model.use(None)


@pytest.mark.parametrize("text, subtype", [
    ("I would suggest we meet on Monday; could you confirm?", "time"),
    ("We recommend you renew the permit early, can you file it this week?", "task"),
    ("Could you suggest a good venue for the offsite?", "advice"),
])  # fmt: skip
def test_the_writers_own_suggestion_is_not_advice_asked_for(text: str, subtype: str) -> None:
    assert ("ask", subtype) in kinds(text)


@pytest.mark.parametrize("text, subtype", [
    ("When would be a good time to catch up on the audit?", "time"),
    ("What day works for you to meet with Dana and me?", "time"),
    ("When would be a good time to send you the invoice?", "task"),  # logistics, not the reader's time
    ("Would you be on the panel at our spring forum?", "time"),
    ("We'd be delighted if you could join us at the Rotary breakfast.", "time"),
    ("Could you help me think through the staffing plan?", "advice"),
    ("Would you mind reading my draft of the op-ed?", "review"),
])  # fmt: skip
def test_scheduling_questions_events_and_thinking_aloud_are_favours(text: str, subtype: str) -> None:
    assert ("ask", subtype) in kinds(text)


def test_join_us_in_welcoming_is_an_announcement_not_the_readers_time() -> None:
    assert ("ask", "time") not in kinds("Please join us in welcoming Ana Ruiz to the trading desk.")
    assert ("ask", "time") in kinds("Could you join us in Denver on the 14th?")


@pytest.mark.parametrize("text, subtype", [
    ("I'll be around on Friday afternoon if you want to go over the bid.", "offer"),
    ("You may want to reach out to Lena Park, who ran the Ohio pilot.", "intro"),
])  # fmt: skip
def test_time_held_open_and_a_contact_to_reach_are_gives(text: str, subtype: str) -> None:
    assert ("give", subtype) in kinds(text)


@pytest.mark.parametrize("text", [
    "She would be perfect for your structuring group.",
    "Tomas is sharp and he'd be ideal for the role on your Calgary desk.",
])  # fmt: skip
def test_a_candidate_put_forward_is_a_job_ask(text: str) -> None:
    assert kinds(text) == [("ask", "job")]


@pytest.mark.parametrize("text", [
    "He would be perfect for the keynote at our spring forum.",
    "I'm around 80% done with the pricing model.",
    "I'll be around the Tulsa office next week for the audit.",
])  # fmt: skip
def test_praise_and_whereabouts_are_neither_job_asks_nor_offers(text: str) -> None:
    assert [kind for kind in kinds(text) if kind[0] != "ask" or kind[1] != "task"] == []


@pytest.mark.parametrize("text, genuine", [
    ("Thanks for the heads up.", False),
    ("Thanks for the heads up about the rate case hearing.", True),
    ("Thanks for the update.", False),
    ("Thanks for the update on the pipeline expansion, very useful.", True),
    ("Thanks for letting me know.", False),
    ("Thanks for the update on that.", False),
])  # fmt: skip
def test_news_passed_on_is_thanked_for_when_the_thanks_names_it(text: str, genuine: bool) -> None:
    assert kinds(text) == [("thanks", "" if genuine else acts.FORMULA)]
