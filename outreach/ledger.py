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

from dataclasses import dataclass
from typing import NamedTuple

from outreach.ties import DEFAULT, Params, favour_size


class ActRow(NamedTuple):
    """An act as stored, with the message facts the ledger needs.

    A tuple, and hot loops build plain tuples of this layout: a full recompute makes
    one per act.  Tuples sort by ``order`` then ``act_id``, i.e. in time order.
    Its evidence (sentence, subject) is looked up by ``act_id`` where it is shown.
    """

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


@dataclass(slots=True)  # not frozen: built by the thousand in a full recompute
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
    entries: list[LedgerEntry]  # empty when built with entries=False
    balance: float  # favours given minus asked/received, by size; < 0: the user owes
    given: int  # favours the user did them (counted entries)
    received: int  # favours they did the user (counted entries)
    asks_since_last_give: int  # the user's asks of them since the user last gave
    latest: dict[str, ActRow]  # "asked", "gave" (theirs), "my_ask", "my_give": the latest of each


def build_ledger(
    acts: list[ActRow],
    p: Params = DEFAULT,
    evidence: dict[int, tuple[str, str]] | None = None,
    sizes: dict[tuple, float] | None = None,
) -> Ledger:
    """Fold one contact's acts (any order) into a ledger.

    With ``evidence`` (act id -> (sentence, subject)) the entries are kept too;
    without, only the totals and the latest acts (what the cache needs).  ``sizes``
    memoises favour sizes across calls.
    """
    kept: list[LedgerEntry] = []
    latest: dict[str, tuple] = {}
    my_ask: dict[str, str] = {}  # threads where the user asked (and it is counted) -> the ask's subtype
    intro_asks = 0  # the user's asks for an introduction not yet answered, in any thread
    intro_messages: set[int] = set()  # messages whose introduction is already counted
    debit: set[str] = set()  # threads where a favour to the user is already counted
    credit: set[str] = set()  # threads where a favour by the user is already counted
    their_ask: dict[str, float] = {}  # threads where they asked, with the ask's size
    balance = 0.0
    given = received = asks_since_give = 0
    sizes = {} if sizes is None else sizes
    for act in sorted(acts):
        _, act_id, message, date, sent, t, kind, subtype, amount, minutes, person = act
        key = (kind, subtype, amount, minutes)
        size = sizes.get(key)
        if size is None:
            size = sizes[key] = favour_size(kind, subtype, amount, minutes, p)
        weight = 0.0
        if sent:
            if kind == "ask":
                weight, effect = -size, "you asked"
                my_ask[t] = subtype
                intro_asks += subtype == "intro"
                debit.add(t)
                asks_since_give += 1
                latest["my_ask"] = act
            elif kind == "give" or kind == "introduction":
                weight = size if kind == "give" else p.give_sizes.get("intro", size)
                effect = "you gave" if t not in their_ask else "you gave what they asked"
                their_ask.pop(t, None)
                credit.add(t)
                latest["my_give"] = act
            elif kind == "thanks":
                if t in debit:
                    effect = "you thanked them (already counted)"
                else:
                    weight, effect = -size, "you thanked them: evidence they helped you"
                    debit.add(t)
            else:
                effect = kind
        else:
            if kind == "ask":
                effect = "they asked you"
                their_ask[t] = size
                latest["asked"] = act
            elif kind == "introduction" and message in intro_messages:
                effect = "the same introduction (already counted)"
            elif kind == "give" or kind == "introduction":
                if t in my_ask or (intro_asks and (kind == "introduction" or subtype == "intro")):
                    # the answer to the user's ask: in its thread, or an introduction they asked for
                    answered = my_ask.pop(t) if t in my_ask else "intro"
                    if answered == "intro" and intro_asks:
                        intro_asks -= 1
                    effect = "they gave what you asked (already counted)"
                else:
                    weight = -size
                    effect = "they introduced you" if kind == "introduction" else "they gave"
                if kind == "introduction":
                    intro_messages.add(message)
                debit.add(t)
                latest["gave"] = act
            elif kind == "thanks":
                if t in credit:
                    effect = "they thanked you (already counted)"
                elif t in their_ask:
                    weight, effect = their_ask.pop(t), "they thanked you: you did what they asked"
                else:
                    weight, effect = size, "they thanked you: evidence you helped them"
                credit.add(t)
            else:
                effect = kind
        if weight > 0:
            given += 1
            asks_since_give = 0
        elif weight < 0 and not (sent and kind == "ask"):
            received += 1
        balance += weight
        if evidence is None:
            continue
        sentence, subject = evidence.get(act_id, ("", ""))
        kept.append(
            LedgerEntry(
                date=date,
                direction="sent" if sent else "received",
                kind=kind,
                subtype=subtype,
                amount=amount,
                minutes=minutes,
                person=person,
                sentence=sentence,
                subject=subject,
                effect=effect,
                weight=round(weight, 3),
            )
        )
    latest_rows = {slot: ActRow._make(act) for slot, act in latest.items()}
    return Ledger(kept, round(balance, 3), given, received, asks_since_give, latest_rows)
