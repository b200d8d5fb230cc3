"""The reciprocity ledger of one contact: acts in time order and the balance.

Direction comes from the message: in mail the user sent, the user did the act to
the recipients; in mail received, the sender did it to the user.  The balance is
favours the user gave minus favours the user asked or received, weighted by
size.  A thanks is evidence of a favour: from them, one the user gave; to them,
one the user received.  Within one thread a favour is counted once: a thanks
that acknowledges a favour already on the ledger, or a give that answers the
user's own ask, adds nothing, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from outreach.ties import DEFAULT, Params, favour_size

# What the fold does with an act, by kind (ActType.code).
ASK, GIVE, INTRODUCTION, THANKS, OTHER = range(5)
_CODES = {"ask": ASK, "give": GIVE, "introduction": INTRODUCTION, "thanks": THANKS}


class ActType(NamedTuple):
    """What an act says, without where it was said: shared by every act that says the same."""

    code: int  # ASK, GIVE, INTRODUCTION, THANKS or OTHER
    size: float  # favour_size, for the balance
    kind: str
    subtype: str
    amount: float | None
    minutes: int | None
    person: str | None


def act_type(kind: str, subtype: str, amount: float | None, minutes: int | None, person: str | None,
             p: Params = DEFAULT) -> ActType:  # fmt: skip
    return ActType(_CODES.get(kind, OTHER), favour_size(kind, subtype, amount, minutes, p), kind, subtype, amount,
                   minutes, person)  # fmt: skip


class MessageFacts(NamedTuple):
    """A message that carries acts, as the ledger needs it.

    Hot loops build plain tuples of this layout, one per message with acts, shared
    by every contact on it.  Tuples sort by ``order`` then ``message``: as acts are
    stored right after their message, that is the order of their acts' ids, i.e.
    (date, act id) order of the acts.
    """

    order: int  # date, or 0 when unknown
    message: int  # messages.id
    thread: str
    sent: bool  # the user sent it
    date: int | None
    sender: str | None  # the contact who sent it (received mail), else None


Acts = Mapping[int, Sequence[tuple[int, ActType]]]  # message id -> (act id, type) in id order


class ActRow(NamedTuple):
    """One act with its message's facts (the latest acts of a ledger, introductions)."""

    order: int  # date, or 0 when unknown
    act_id: int
    message: int  # messages.id
    date: int | None
    sent: bool  # the user sent the message carrying it
    thread: str
    kind: str
    subtype: str
    amount: float | None
    minutes: int | None
    person: str | None

    @classmethod
    def of(cls, fact: tuple, act_id: int, t: ActType) -> ActRow:
        order, message, thread, sent, date, _ = fact
        return cls(order, act_id, message, date, sent, thread, t.kind, t.subtype, t.amount, t.minutes, t.person)


@dataclass(slots=True)  # not frozen: built by the thousand for `outreach show`
class LedgerEntry:
    date: int | None
    direction: str  # "sent" (the user did it) | "received" (they did it)
    kind: str
    subtype: str
    amount: float | None
    minutes: int | None
    person: str | None
    sentence: str
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
    messages: Iterable[tuple],
    acts: Acts,
    p: Params = DEFAULT,
    evidence: dict[int, tuple[str, str]] | None = None,
) -> Ledger:
    """Fold one contact's acts into a ledger.

    ``messages`` are the contact's MessageFacts (any order), ``acts`` their acts by
    message.  With ``evidence`` (act id -> (sentence, subject)) the entries are kept
    too; without, only the totals and the latest acts (what the cache needs).  This
    runs once per act per contact in a full recompute: plain locals, no objects.
    """
    kept: list[LedgerEntry] = []
    latest: dict[str, tuple] = {}  # slot -> (fact, act id, type)
    my_ask: dict[str, str] = {}  # threads where the user asked (and it is counted) -> the ask's subtype
    intro_asks = 0  # the user's asks for an introduction not yet answered, in any thread
    intro_messages: set[int] = set()  # messages whose introduction is already counted
    debit: set[str] = set()  # threads where a favour to the user is already counted
    credit: set[str] = set()  # threads where a favour by the user is already counted
    their_ask: dict[str, float] = {}  # threads where they asked, with the ask's size
    balance = 0.0
    given = received = asks_since_give = 0
    intro_give = p.give_sizes.get("intro")
    previous = None
    for fact in sorted(messages):
        message, t, sent = fact[1], fact[2], fact[3]
        if message == previous:  # an alias and its contact on one message: its acts count once
            continue
        previous = message
        for act_id, typ in acts[message]:
            code, size, subtype = typ[0], typ[1], typ[3]
            weight = 0.0
            if sent:
                if code == ASK:
                    weight, effect = -size, "you asked"
                    my_ask[t] = subtype
                    intro_asks += subtype == "intro"
                    debit.add(t)
                    asks_since_give += 1
                    latest["my_ask"] = (fact, act_id, typ)
                elif code in (GIVE, INTRODUCTION):
                    weight = size if code == GIVE else (size if intro_give is None else intro_give)
                    effect = "you gave" if t not in their_ask else "you gave what they asked"
                    their_ask.pop(t, None)
                    credit.add(t)
                    latest["my_give"] = (fact, act_id, typ)
                elif code == THANKS:
                    if t in debit:
                        effect = "you thanked them (already counted)"
                    else:
                        weight, effect = -size, "you thanked them: evidence they helped you"
                        debit.add(t)
                else:
                    effect = typ[2]
            else:
                if code == ASK:
                    effect = "they asked you"
                    their_ask[t] = size
                    latest["asked"] = (fact, act_id, typ)
                elif code == INTRODUCTION and message in intro_messages:
                    effect = "the same introduction (already counted)"
                elif code in (GIVE, INTRODUCTION):
                    if t in my_ask or (intro_asks and (code == INTRODUCTION or subtype == "intro")):
                        # the answer to the user's ask: in its thread, or an introduction they asked for
                        answered = my_ask.pop(t) if t in my_ask else "intro"
                        if answered == "intro" and intro_asks:
                            intro_asks -= 1
                        effect = "they gave what you asked (already counted)"
                    else:
                        weight = -size
                        effect = "they introduced you" if code == INTRODUCTION else "they gave"
                    if code == INTRODUCTION:
                        intro_messages.add(message)
                    debit.add(t)
                    latest["gave"] = (fact, act_id, typ)
                elif code == THANKS:
                    if t in credit:
                        effect = "they thanked you (already counted)"
                    elif t in their_ask:
                        weight, effect = their_ask.pop(t), "they thanked you: you did what they asked"
                    else:
                        weight, effect = size, "they thanked you: evidence you helped them"
                    credit.add(t)
                else:
                    effect = typ[2]
            if weight > 0:
                given += 1
                asks_since_give = 0
            elif weight < 0 and not (sent and code == ASK):
                received += 1
            balance += weight
            if evidence is not None:
                kept.append(_entry(fact, act_id, typ, effect, weight, evidence))
    latest_rows = {slot: ActRow.of(*found) for slot, found in latest.items()}
    return Ledger(kept, round(balance, 3), given, received, asks_since_give, latest_rows)


def _entry(fact: tuple, act_id: int, typ: ActType, effect: str, weight: float,
           evidence: dict[int, tuple[str, str]]) -> LedgerEntry:  # fmt: skip
    sentence, subject = evidence.get(act_id, ("", ""))
    return LedgerEntry(date=fact[4], direction="sent" if fact[3] else "received", kind=typ.kind,
                       subtype=typ.subtype, amount=typ.amount, minutes=typ.minutes, person=typ.person,
                       sentence=sentence, subject=subject, effect=effect, weight=round(weight, 3))  # fmt: skip
