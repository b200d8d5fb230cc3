"""Who to reach out to this week, why, and a give-first note for each.

A contact becomes a candidate for one of these reasons, strongest first:

* they introduced the user to someone and were never thanked (thank-referrer);
* the user followed up an introduction of theirs but never told them where it
  led (close-loop-referrer);
* the tie is going cold relative to its own cadence, or they gave the user more
  than they got back (check-in: a hello that asks for nothing and offers help).

Cold and owed are weighted by tie strength; a thanks owed to a referrer always
comes first.  People the user was in touch with in the last two weeks, people
suggested in the previous weeks, and dismissed or snoozed people are skipped.

The week's slate is remembered (table ``suggestions``): asking again in the same
week shows the same people, and the budget counts everyone suggested that week,
so the list never grows past a handful.  ``weekly`` is the one entry point, for
the CLI, the daemon (``refresh``) and the weekly digest (``suggestions``).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from outreach import config
from outreach.errors import TemplateError
from outreach.model import Address
from outreach.network import contacts
from outreach.network.contacts import ContactSummary, Now, Referral, canonical_address
from outreach.network.ties import DAY
from outreach.notes.compose import Note, first_name, known_variables, note_from, strip_prefixes
from outreach.notes.templates import render

if TYPE_CHECKING:
    from outreach.store.db import Store

RECENT_CONTACT_DAYS = 14  # in touch this recently: nothing to suggest yet
RECENT_SUGGESTION_DAYS = 28  # suggested in an earlier week this recently: give it a rest
THANKS_WINDOW_DAYS = 180  # an introduction older than this is past thanking; a check-in fits better
LOOP_WINDOW_DAYS = 365  # ... and past reporting back on
OWED_MIN_BALANCE = -1.0  # a balance below this is a favour worth returning (sizes as in ties.Params)

# Score parts (see _score): a referral owed thanks outranks anything weighted by strength.
REFERRAL_THANKS = 10.0
REFERRAL_UPDATE = 5.0
COLD_CAP = 4.0
OWED_CAP = 1.5

_WEBMAIL = frozenset({
    "gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "icloud", "me", "mac", "aol", "proton",
    "protonmail", "pm", "fastmail", "gmx", "web", "mail", "zoho", "yandex", "hey", "tutanota", "posteo",
})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One person to reach out to, why, and the note that fits."""

    contact: ContactSummary
    score: float
    reason: str  # one line
    template: str
    variables: dict[str, str]
    key: str  # stable while nothing changes: the draft's Message-ID derives from it
    suggested_at: datetime  # first suggested this week
    draft: Note | None = None  # None when the template could not be rendered (see error)
    error: str = ""
    signals: tuple[str, ...] = field(default=())  # 'thanks', 'update', 'cold', 'owed'

    @property
    def address(self) -> str:
        return self.contact.address

    @property
    def name(self) -> str:
        return self.contact.name or self.variables.get("name", "")

    def as_dict(self) -> dict[str, object]:
        """JSON-safe: who, why, which template, and the draft."""
        draft = self.draft
        return {
            "address": self.address,
            "name": self.name,
            "score": round(self.score, 3),
            "reason": self.reason,
            "signals": list(self.signals),
            "template": self.template,
            "suggested_at": self.suggested_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "strength": round(self.contact.strength_norm, 3),
            "days_since": None if self.contact.days_since is None else round(self.contact.days_since, 1),
            "subject": draft.subject if draft else None,
            "body": draft.body if draft else None,
            "error": self.error or None,
        }


# -- the public entry points ------------------------------------------------------


def weekly(store: Store, now: Now = None, budget: int | None = None, *, my_name: str | None = None,
           render: bool = True, everyone: list[ContactSummary] | None = None) -> list[Suggestion]:
    """This week's suggestions, best first: the ones already made this week that still stand,
    topped up with new ones until ``budget`` people (default OUTREACH_SUGGEST_BUDGET) have been
    suggested this week.  New suggestions are recorded.  ``everyone``: the contacts as of ``now``
    when the caller has read them already (the report), so they are not read twice."""

    at = _epoch(now)
    if budget is None:
        budget = config.suggest_budget()
    week = week_of(at)
    recorded = {row["address"]: row for row in store.suggest_week(week)}
    resting = store.suggest_recent(at - RECENT_SUGGESTION_DAYS * int(DAY), week) - set(recorded)
    mutes = store.suggest_mutes()
    if everyone is None:
        everyone = contacts.contacts(store, at)
    candidates = [c for c in map(lambda s: _candidate(s, at), everyone) if c is not None]
    candidates.sort(key=lambda c: (-c.score, c.contact.address))

    slate: list[_Candidate] = []
    fresh: list[_Candidate] = []
    room = budget - len(recorded)
    for cand in candidates:
        address = cand.contact.address
        if _muted(mutes.get(address), cand.contact, at):
            continue
        if address in recorded:
            slate.append(cand)
        elif room > 0 and address not in resting:
            fresh.append(cand)
            slate.append(cand)
            room -= 1
    if fresh:
        store.suggest_record(week, [(c.contact.address, c.template, c.reason, c.score, c.key, at) for c in fresh])
    first_seen = {address: row["at"] for address, row in recorded.items()}
    name = config.user_name() if my_name is None else my_name
    slate.sort(key=lambda c: (-c.score, c.contact.address))
    return [_finish(store, c, first_seen.get(c.contact.address, at), at, name, render) for c in slate[:budget]]


def refresh(store: Store, now: Now = None) -> list[Suggestion]:
    """For the daemon's tick: bring this week's slate up to date (records new suggestions)."""
    return weekly(store, now, render=False)


def suggestions(store: Store, now: Now = None) -> list[Suggestion]:
    """For the weekly digest: this week's suggestions, without rendering drafts."""
    return weekly(store, now, render=False)


def dismiss(store: Store, address: str, now: Now = None) -> str:
    """Stop suggesting this contact until there is a newer interaction with them; returns the address."""
    canonical = canonical_address(store, address)
    store.suggest_mute(canonical, "dismissed", _epoch(now))
    return canonical


def snooze(store: Store, address: str, days: float, now: Now = None) -> tuple[str, datetime]:
    """Stop suggesting this contact for ``days``; returns the address and the end of the snooze."""
    at = _epoch(now)
    until = at + int(days * DAY)
    canonical = canonical_address(store, address)
    store.suggest_mute(canonical, "snoozed", at, until)
    return canonical, datetime.fromtimestamp(until, tz=UTC)


def restore(store: Store, address: str) -> bool:
    """Undo a dismissal or snooze; False when there was none."""
    return store.suggest_unmute(canonical_address(store, address))


def week_of(at: int) -> str:
    """The ISO week of a Unix time, UTC: '2026-W47'."""
    year, week, _ = datetime.fromtimestamp(at, tz=UTC).isocalendar()
    return f"{year}-W{week:02d}"


# -- scoring ----------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    contact: ContactSummary
    score: float
    reason: str
    template: str
    key: str
    signals: tuple[str, ...]
    referral: Referral | None = None


def _candidate(c: ContactSummary, now: int) -> _Candidate | None:
    """Why (and how much) to reach out to ``c`` now, or None."""
    thanks = _latest(c.referrals, "thanks", THANKS_WINDOW_DAYS, now)
    if thanks is not None:
        reason = f"introduced you to {_person(thanks)} {ago(_days(now, thanks.date))}; not thanked yet"
        key = f"suggest:thank-referrer:{c.address}:{_ts(thanks.date)}"
        score = REFERRAL_THANKS + _weight(c)
        return _Candidate(c, score, reason, "thank-referrer", key, ("thanks",), thanks)
    if c.days_since is not None and c.days_since < RECENT_CONTACT_DAYS:
        return None
    update = _latest(c.referrals, "update", LOOP_WINDOW_DAYS, now)
    if update is not None:
        reason = f"introduced you to {_person(update)} {ago(_days(now, update.date))}; tell them where it led"
        key = f"suggest:close-loop-referrer:{c.address}:{_ts(update.met)}"
        score = REFERRAL_UPDATE + _weight(c)
        return _Candidate(c, score, reason, "close-loop-referrer", key, ("update",), update)
    parts: list[str] = []
    signals: list[str] = []
    cold = owed = 0.0
    if c.cold and c.days_since is not None and c.cadence_source != "default":  # no rhythm, nothing to fall behind
        overdue = c.days_since / max(c.cold_after_days, 1.0)
        cold = min(1.0 + math.log2(max(overdue, 1.0)), COLD_CAP)
        parts.append(f"going cold: last in touch {ago(c.days_since)}, usually {every(c.cadence_days)}")
        signals.append("cold")
    if c.balance <= OWED_MIN_BALANCE:
        owed = min(-c.balance / 6.0, 1.0) * OWED_CAP
        parts.append(f"gave you more than you gave back ({_favours(c.favours_received)} to your {c.given})")
        signals.append("owed")
    if not parts:
        return None
    key = f"suggest:check-in:{c.address}:{_ts(c.last)}"
    return _Candidate(c, _weight(c) * (cold + owed), "; ".join(parts), "check-in", key, tuple(signals))


def _weight(c: ContactSummary) -> float:
    """Stronger ties count more, but a weak tie going cold is still worth a note."""
    return 0.3 + 0.7 * c.strength_norm


def _latest(referrals: list[Referral], owed: str, window_days: float, now: int) -> Referral | None:
    """The newest referral still owed ``owed`` ('thanks' or 'update') within the window."""
    found = [r for r in referrals if r.owed == owed and r.date is not None and _days(now, r.date) <= window_days]
    return max(found, key=lambda r: (r.date, r.person or r.person_name), default=None)


def _muted(mute: tuple[str, int, int | None] | None, c: ContactSummary, now: int) -> bool:
    if mute is None:
        return False
    kind, at, until = mute
    if kind == "snoozed":
        return until is not None and now < until
    # dismissed: until something new happens between the user and them
    return c.last is None or c.last.timestamp() <= at


# -- the note ---------------------------------------------------------------------


def _finish(store: Store, cand: _Candidate, first_seen: int, now: int, my_name: str, render: bool) -> Suggestion:
    variables = _variables(store, cand, now, my_name) if render else {}
    draft, error = None, ""
    if render:
        draft, error = _draft(cand, variables)
    return Suggestion(
        contact=cand.contact,
        score=cand.score,
        reason=cand.reason,
        template=cand.template,
        variables=variables,
        key=cand.key,
        suggested_at=datetime.fromtimestamp(first_seen, tz=UTC),
        draft=draft,
        error=error,
        signals=cand.signals,
    )


def _variables(store: Store, cand: _Candidate, now: int, my_name: str) -> dict[str, str]:
    c = cand.contact
    values = {"my_name": my_name, **known_variables(store, c.address, datetime.fromtimestamp(now, tz=UTC))}
    values.setdefault("first_name", first_name(c.name) if c.name and "@" not in c.name else "there")
    ref = cand.referral
    if ref is not None:
        values["intro_name"] = _person(ref)
        values["intro_first_name"] = first_name(_person(ref))
    if cand.template == "thank-referrer" and ref is not None and ref.met is not None:
        values["next_step"] = "already been in touch"
    if cand.template == "close-loop-referrer" and ref is not None:
        last = store.last_exchange(ref.person) if ref.person else None
        about = f", most recently about {strip_prefixes(last[1])}" if last and last[1] else ""
        values["outcome"] = f"{first_name(_person(ref))} and I have kept in touch since{about}"
    if cand.template == "check-in":
        values["topic"] = topic(c)
    return values


def _draft(cand: _Candidate, variables: dict[str, str]) -> tuple[Note | None, str]:
    try:
        rendered = render(cand.template, variables)
    except TemplateError as exc:  # e.g. a user template that needs more than we know
        return None, str(exc)
    to = Address(cand.contact.address, variables.get("name", cand.contact.name))
    return note_from(rendered, to, in_reply_to=variables.get("last_message_id") or None), ""


def topic(c: ContactSummary) -> str:
    """Something to hope is going well: their organisation when the address names one."""
    domain = c.address.rpartition("@")[2].lower()
    labels = domain.split(".")
    label = labels[-2] if len(labels) >= 2 else labels[0]
    words = [w for w in re.split(r"[-_]+", label) if w]
    names = {w.lower() for w in re.split(r"[\s\-'.]+", c.name) if w}
    if not words or label in _WEBMAIL or names & set(words) or len(label) < 3:
        return "your work"
    return "everything at " + " ".join(w.capitalize() for w in words)


# -- wording ----------------------------------------------------------------------


def ago(days: float) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '5 months ago', '2 years ago'."""
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    if days < 14:
        return f"{int(days)} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 548:
        return f"{round(days / 30.44)} months ago"
    return f"{round(days / 365.25)} years ago"


def every(days: float) -> str:
    """A cadence in words: 'every week', 'every ~3 weeks', 'every ~3 months'."""
    if days < 10:
        return "every week"
    if days <= 45:
        return f"every ~{round(days / 7)} weeks"
    return f"every ~{round(days / 30.44)} months"


def _favours(n: int) -> str:
    return "1 favour" if n == 1 else f"{n} favours"


def _person(ref: Referral) -> str:
    return ref.person_name or ref.person or "someone"


def _days(now: int, when: datetime | None) -> float:
    return 0.0 if when is None else (now - when.timestamp()) / DAY


def _ts(when: datetime | None) -> int:
    return 0 if when is None else int(when.timestamp())


def _epoch(now: Now) -> int:
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        return int((now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp())
    return int(now)
