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

from outreach.ties import DEFAULT, Params, favour_size


@dataclass(frozen=True, slots=True)
class ActRow:
    """An act as stored, with the message facts the ledger needs."""

    message: int  # messages.id
    date: int | None
    sent: bool  # the user sent the message carrying it
    thread: str
    subject: str
    kind: str
    subtype: str
    amount: float | None
    minutes: int | None
    person: str | None
    sentence: str


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


_LATEST = {
    (False, "ask"): "asked",
    (False, "give"): "gave",
    (False, "introduction"): "gave",
    (True, "ask"): "my_ask",
    (True, "give"): "my_give",
    (True, "introduction"): "my_give",
}


def build_ledger(acts: list[ActRow], p: Params = DEFAULT, *, entries: bool = True) -> Ledger:
    """Fold one contact's acts (any order) into a ledger; ``entries=False`` keeps only the totals."""
    kept: list[LedgerEntry] = []
    latest: dict[str, ActRow] = {}
    my_ask: dict[str, str] = {}  # threads where the user asked (and it is counted) -> the ask's subtype
    intro_asks = 0  # the user's asks for an introduction not yet answered, in any thread
    intro_messages: set[int] = set()  # messages whose introduction is already counted
    debit: set[str] = set()  # threads where a favour to the user is already counted
    credit: set[str] = set()  # threads where a favour by the user is already counted
    their_ask: dict[str, float] = {}  # threads where they asked, with the ask's size
    balance = 0.0
    given = received = asks_since_give = 0
    sizes: dict[tuple, float] = {}
    for act in sorted(acts, key=lambda a: (a.date or 0, a.message)):
        key = (act.kind, act.subtype, act.amount, act.minutes)
        size = sizes.get(key)
        if size is None:
            size = sizes[key] = favour_size(act.kind, act.subtype, act.amount, act.minutes, p)
        t = act.thread
        weight = 0.0
        if act.sent:
            if act.kind == "ask":
                weight, effect = -size, "you asked"
                my_ask[t] = act.subtype
                intro_asks += act.subtype == "intro"
                debit.add(t)
                asks_since_give += 1
            elif act.kind in ("give", "introduction"):
                weight = size if act.kind == "give" else p.give_sizes.get("intro", size)
                effect = "you gave" if t not in their_ask else "you gave what they asked"
                their_ask.pop(t, None)
                credit.add(t)
            elif act.kind == "thanks":
                if t in debit:
                    effect = "you thanked them (already counted)"
                else:
                    weight, effect = -size, "you thanked them: evidence they helped you"
                    debit.add(t)
            else:
                effect = act.kind
        else:
            if act.kind == "ask":
                effect = "they asked you"
                their_ask[t] = size
            elif act.kind == "introduction" and act.message in intro_messages:
                effect = "the same introduction (already counted)"
            elif act.kind in ("give", "introduction"):
                is_intro = act.kind == "introduction" or act.subtype == "intro"
                if t in my_ask or (is_intro and intro_asks):
                    # the answer to the user's ask: in its thread, or an introduction they asked for
                    subtype = my_ask.pop(t, None) if t in my_ask else "intro"
                    if subtype == "intro" and intro_asks:
                        intro_asks -= 1
                    effect = "they gave what you asked (already counted)"
                else:
                    weight = -size
                    effect = "they introduced you" if act.kind == "introduction" else "they gave"
                if act.kind == "introduction":
                    intro_messages.add(act.message)
                debit.add(t)
            elif act.kind == "thanks":
                if t in credit:
                    effect = "they thanked you (already counted)"
                elif t in their_ask:
                    weight, effect = their_ask.pop(t), "they thanked you: you did what they asked"
                else:
                    weight, effect = size, "they thanked you: evidence you helped them"
                credit.add(t)
            else:
                effect = act.kind
        if weight > 0:
            given += 1
            asks_since_give = 0
        elif weight < 0 and not (act.sent and act.kind == "ask"):
            received += 1
        balance += weight
        slot = _LATEST.get((act.sent, act.kind))
        if slot:
            latest[slot] = act
        if not entries:
            continue
        kept.append(
            LedgerEntry(
                date=act.date,
                direction="sent" if act.sent else "received",
                kind=act.kind,
                subtype=act.subtype,
                amount=act.amount,
                minutes=act.minutes,
                person=act.person,
                sentence=act.sentence,
                subject=act.subject,
                effect=effect,
                weight=round(weight, 3),
            )
        )
    return Ledger(kept, round(balance, 3), given, received, asks_since_give, latest)
