"""The reciprocity ledger of one contact: acts in time order and the balance.

Direction comes from the message: in mail the user sent, the user did the act to
the recipients; in mail received, the sender did it to the user.  The balance is
favours the user gave minus favours the user asked or received, weighted by
size.  A thanks is evidence of a favour: from them, one the user gave; to them,
one the user received.  Within one thread a favour is counted once: a thanks
that acknowledges a favour already on the ledger, or a give that answers the
user's own ask, adds nothing, and says so.

An act is always a ``model.Act``.  The records here carry one and add only what
the fold knows about it: ``ActType`` its code and favour size, ``ActRow`` where it
was said (message, position, date, thread), ``LedgerEntry`` its direction, effect
and weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from outreach.model import Act
from outreach.network.ties import DEFAULT, Params, favour_size

# What the fold does with an act, by kind (ActType.code).
ASK, GIVE, INTRODUCTION, THANKS, OTHER = range(5)
_CODES = {"ask": ASK, "give": GIVE, "introduction": INTRODUCTION, "thanks": THANKS}


class ActType(NamedTuple):
    """The fold's view of an act: the act, and what the fold does with it.

    ``act`` is the ``model.Act`` as the store's acts column decodes it (sentence "":
    the fold does not need it; ``Store.act_evidence`` has it).  Shared by every act
    that says the same, wherever it was said.
    """

    code: int  # ASK, GIVE, INTRODUCTION, THANKS or OTHER
    size: float  # favour_size, for the balance
    act: Act


def act_type(act: Act, p: Params = DEFAULT) -> ActType:
    """What the fold needs of ``act``: its code and favour size, with the act itself."""
    return ActType(_CODES.get(act.kind, OTHER), favour_size(act.kind, act.subtype, act.amount, act.minutes, p), act)


class MessageFacts(NamedTuple):
    """A message that carries acts, as the ledger needs it.

    One per message with acts, shared by every contact on it.  A NamedTuple, not a
    dataclass: the fold builds 75k of them in a full recompute, and they sort by
    ``order`` then ``message``, the order they were stored in: the ledger's time order.
    """

    order: int  # date, or 0 when unknown
    message: int  # messages.id
    thread: str
    sent: bool  # the user sent it
    date: int | None
    sender: str | None  # the contact who sent it (received mail), else None
    acts: tuple[ActType, ...]  # in the order stored; an act is (message, its position here)


class ActRow(NamedTuple):
    """One act where it was said: the act with its message's facts (a ledger's latest acts, introductions)."""

    order: int  # date, or 0 when unknown
    position: int  # of the act in its message: (message, position) names it, e.g. for evidence
    message: int  # messages.id
    date: int | None
    sent: bool  # the user sent the message carrying it
    thread: str
    act: Act  # sentence "" (as the fold has it): Store.act_sentences(key) reads it

    @classmethod
    def of(cls, fact: MessageFacts, position: int) -> ActRow:
        return cls(fact.order, position, fact.message, fact.date, fact.sent, fact.thread, fact.acts[position].act)

    @property
    def key(self) -> tuple[int, int]:
        """(message, position): what names a stored act (Store.act_evidence)."""
        return self.message, self.position


@dataclass(slots=True)  # not frozen: built by the thousand for `outreach show`
class LedgerEntry:
    """One line of a ledger with evidence: the act (its sentence read from the store) and what it did."""

    date: int | None
    direction: str  # "sent" (the user did it) | "received" (they did it)
    act: Act  # with its sentence
    subject: str
    effect: str  # what it means for the user, in words
    weight: float  # signed contribution to the balance


@dataclass(frozen=True, slots=True)
class Ledger:
    entries: list[LedgerEntry]  # empty when built with evidence=None
    balance: float  # favours given minus asked/received, by size; < 0: the user owes
    given: int  # favours the user did them (counted entries)
    received: int  # favours they did the user (counted entries)
    asks_since_last_give: int  # the user's asks of them since the user last gave
    latest: dict[str, ActRow]  # "asked", "gave" (theirs), "my_ask", "my_give": the latest of each


def build_ledger(
    messages: Iterable[MessageFacts],
    p: Params = DEFAULT,
    evidence: dict[tuple[int, int], tuple[str, str]] | None = None,
) -> Ledger:
    """Fold one contact's acts into a ledger.

    ``messages`` are the contact's MessageFacts (any order).  With ``evidence``
    ((message, position) -> (sentence, subject)) the entries are kept
    too; without, only the totals and the latest acts (what the cache needs).  This
    runs once per act per contact in a full recompute: plain locals, and the
    branches for the user's mail and theirs apart.
    """
    kept: list[LedgerEntry] | None = None if evidence is None else []
    latest: dict[str, tuple[MessageFacts, int]] = {}  # slot -> (fact, index of the act in its message)
    my_ask: dict[str, str] = {}  # threads where the user asked (and it is counted) -> the ask's subtype
    intro_asks = 0  # the user's asks for an introduction not yet answered, in any thread
    debit: set[str] = set()  # threads where a favour to the user is already counted
    credit: set[str] = set()  # threads where a favour by the user is already counted
    their_ask: dict[str, float] = {}  # threads where they asked, with the ask's size
    balance = 0.0
    given = received = asks_since_give = 0
    intro_give = p.give_sizes.get("intro")
    previous = None
    for fact in sorted(messages):
        _, message, t, mine, _, _, acts = fact
        if message == previous:  # an alias and its contact on one message: its acts count once
            continue
        previous = message
        if mine:  # the user's message: the user did these to them
            for i, typ in enumerate(acts):
                code = typ.code
                weight = 0.0
                if code == ASK:
                    weight, effect = -typ.size, "you asked"
                    subtype = my_ask[t] = typ.act.subtype
                    if subtype == "intro":
                        intro_asks += 1
                    debit.add(t)
                    asks_since_give += 1
                    latest["my_ask"] = (fact, i)
                elif code in (GIVE, INTRODUCTION):
                    weight = typ.size if code == GIVE or intro_give is None else intro_give
                    effect = "you gave" if t not in their_ask else "you gave what they asked"
                    their_ask.pop(t, None)
                    credit.add(t)
                    latest["my_give"] = (fact, i)
                elif code == THANKS:
                    if t in debit:
                        effect = "you thanked them (already counted)"
                    else:
                        weight, effect = -typ.size, "you thanked them: evidence they helped you"
                        debit.add(t)
                else:
                    effect = typ.act.kind
                if weight > 0:
                    given += 1
                    asks_since_give = 0
                elif weight < 0 and code != ASK:
                    received += 1
                balance += weight
                if kept is not None:
                    kept.append(_entry(fact, i, effect, weight, evidence))
        else:  # theirs: they did these to the user
            introduced = False  # this message's introduction is already counted
            for i, typ in enumerate(acts):
                code = typ.code
                weight = 0.0
                if code == ASK:
                    effect = "they asked you"
                    their_ask[t] = typ.size
                    latest["asked"] = (fact, i)
                elif code == INTRODUCTION and introduced:
                    effect = "the same introduction (already counted)"
                elif code in (GIVE, INTRODUCTION):
                    if t in my_ask or (intro_asks and (code == INTRODUCTION or typ.act.subtype == "intro")):
                        # the answer to the user's ask: in its thread, or an introduction they asked for
                        answered = my_ask.pop(t) if t in my_ask else "intro"
                        if answered == "intro" and intro_asks:
                            intro_asks -= 1
                        effect = "they gave what you asked (already counted)"
                    else:
                        weight = -typ.size
                        effect = "they introduced you" if code == INTRODUCTION else "they gave"
                    if code == INTRODUCTION:
                        introduced = True
                    debit.add(t)
                    latest["gave"] = (fact, i)
                elif code == THANKS:
                    if t in credit:
                        effect = "they thanked you (already counted)"
                    elif t in their_ask:
                        weight, effect = their_ask.pop(t), "they thanked you: you did what they asked"
                    else:
                        weight, effect = typ.size, "they thanked you: evidence you helped them"
                    credit.add(t)
                else:
                    effect = typ.act.kind
                if weight > 0:
                    given += 1
                    asks_since_give = 0
                elif weight < 0:
                    received += 1
                balance += weight
                if kept is not None:
                    kept.append(_entry(fact, i, effect, weight, evidence))
    latest_rows = {slot: ActRow.of(fact, i) for slot, (fact, i) in latest.items()}
    return Ledger(kept or [], round(balance, 3), given, received, asks_since_give, latest_rows)


def _entry(fact: MessageFacts, i: int, effect: str, weight: float,
           evidence: dict[tuple[int, int], tuple[str, str]]) -> LedgerEntry:  # fmt: skip
    sentence, subject = evidence.get((fact.message, i), ("", ""))
    return LedgerEntry(date=fact.date, direction="sent" if fact.sent else "received",
                       act=fact.acts[i].act._replace(sentence=sentence), subject=subject, effect=effect,
                       weight=round(weight, 3))  # fmt: skip
