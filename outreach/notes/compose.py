"""What the store knows of a contact, as template variables.

``render`` and ``suggest`` fill templates from here; explicit --var values win.
The figures come from ``outreach.network.contacts``.  Variables (all strings):

first_name, name             the contact's display name, and its first word
last_subject                 the subject of the latest exchange, without Re:/Fwd:
referrer_name, referrer_first_name, referrer_address
                             who introduced the user to this contact (latest)
intro_name, intro_first_name whom this contact introduced the user to (the latest
                             one still owed thanks or an update, else the latest)
last_asked, last_gave        their latest ask of the user / favour to the user (the sentence)
last_message_id              the newest personal message with them (reply templates answer it)

A reply answers the message it is about: ``reply-to-introduction`` answers the introduction
(its Message-ID and subject, whatever came later), other reply templates the newest exchange.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from outreach.config import default_db_path
from outreach.model import Address
from outreach.network import contacts
from outreach.notes.templates import Rendered
from outreach.store.db import Store

_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs)\s*(\[\d+\])?\s*:\s*)+", re.I)


@dataclass(frozen=True, slots=True)
class Note:
    """A filled-in note to one person, ready to become a message (outreach.deliver builds it)."""

    to: Address
    subject: str
    body: str
    bcc: tuple[str, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    template: str = ""


def note_from(rendered: Rendered, to: Address, *, in_reply_to: str | None = None,
              references: tuple[str, ...] = ()) -> Note:
    """A Note for a rendered template; threading headers only for reply templates."""
    if not rendered.reply:
        in_reply_to, references = None, ()
    elif in_reply_to and not references:
        references = (in_reply_to,)
    return Note(to=to, subject=rendered.subject, body=rendered.body, bcc=rendered.bcc,
                in_reply_to=in_reply_to, references=references, template=rendered.template)


ANSWERS_INTRODUCTION = frozenset({"reply-to-introduction"})


def known_variables(store: Store, address: str, now: datetime | None = None, template: str = "") -> dict[str, str]:
    """Template variables for one address (for ``template``); {} when the store does not know them."""
    summary = contacts.contact(store, address, now)
    if summary is None:
        return {}
    values: dict[str, str] = {}
    # Someone known only through an introduction has the name the introducer gave them.
    name = summary.name or next((r.person_name for r in reversed(summary.referrers) if r.person_name), "")
    if name and "@" not in name:
        values["name"] = name
        values["first_name"] = first_name(name)
    if summary.last_subject:
        values["last_subject"] = strip_prefixes(summary.last_subject)
    last = store.last_exchange(summary.address)
    if last:  # a reply's subject must be the subject of the message it answers
        values["last_message_id"] = last[0]
        if last[1]:
            values["last_subject"] = strip_prefixes(last[1])
    if template in ANSWERS_INTRODUCTION:
        introduction = _introduction(store, summary.address)
        if introduction is not None:
            values["last_message_id"], subject = introduction
            if subject:
                values["last_subject"] = strip_prefixes(subject)
    if summary.referrers:
        ref = summary.referrers[-1]
        values["referrer_address"] = ref.referrer
        if ref.referrer_name:
            values["referrer_name"] = ref.referrer_name
            values["referrer_first_name"] = first_name(ref.referrer_name)
    if summary.referrals:
        owed = [r for r in summary.referrals if r.owed]
        ref = (owed or summary.referrals)[-1]
        if ref.person_name:
            values["intro_name"] = ref.person_name
            values["intro_first_name"] = first_name(ref.person_name)
    if summary.last_asked:
        values["last_asked"] = summary.last_asked.sentence
    if summary.last_gave:
        values["last_gave"] = summary.last_gave.sentence
    return values


def _introduction(store: Store, address: str) -> tuple[str, str] | None:
    """(Message-ID, subject) of the latest message that introduced the user to ``address``."""
    rows = sorted(store.referrals_of([address]), key=lambda row: (row["date"] or 0, row["message"]))
    return store.message_ref(rows[-1]["message"]) if rows else None


def known_variables_at(db: str | Path | None, address: str, now: datetime | None = None,
                       template: str = "") -> dict[str, str]:
    """known_variables from the store at ``db`` (or the default one), if it exists; never creates one."""
    path = Path(db).expanduser() if db else default_db_path()
    if not path.is_file():
        return {}
    with Store.open(path) as store:
        return known_variables(store, address, now, template)


def first_name(name: str) -> str:
    """'Priya Raman' -> 'Priya'; 'Raman, Priya' -> 'Priya'."""
    name = name.strip().strip("\"'")
    if "," in name:
        name = name.split(",", 1)[1]
    words = name.split()
    return words[0] if words else ""


def strip_prefixes(subject: str) -> str:
    return _PREFIX.sub("", subject).strip()
