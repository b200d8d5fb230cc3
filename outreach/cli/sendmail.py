"""`outreach sendmail [--] [MTA ARGS...]`: the pre-send lint in front of any mail client.

A sendmail-compatible filter: the message on standard input, recipients as arguments (or
``-t``: from To, Cc and Bcc), ``-f`` the envelope sender, ``-i``/``-oi`` accepted.  It lints
the message as `outreach lint` does; with an error finding, or text it could not read, it
prints the findings and exits 65 (EX_DATAERR), so the mail client keeps the message.  Otherwise
it removes ``X-Outreach-*``/``Resent-*`` headers and ``outreach: ignore`` lines and pipes the
message to OUTREACH_SENDMAIL (default /usr/sbin/sendmail), passing its exit status on.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from outreach import config, sending, sent
from outreach.config import default_db_path
from outreach.errors import OutreachError
from outreach.store.db import Store

if TYPE_CHECKING:
    from outreach.sending import Outgoing

EX_DATAERR = 65  # sysexits.h: the input data was incorrect; mail clients say so
# Options that take a value: forwarded to the MTA (-F full name, -N/-R delivery status notices)
# or accepted and dropped (the rest, which a sendmail of our own would not need).
_FORWARDED = frozenset("FNR")
_DROPPED_WITH_VALUE = frozenset("BCLOVXhr")
USAGE = "usage: outreach sendmail [-t] [-f SENDER] [-i] [--] [RECIPIENT ...] < message"
HELP = f"""{USAGE}

Lint the message on standard input like 'outreach lint'; on an error finding, or text it
could not read, print the findings and exit 65, so the mail client keeps the message.
Otherwise remove X-Outreach-* and Resent-* headers and 'outreach: ignore' lines and hand
it to $OUTREACH_SENDMAIL (default /usr/sbin/sendmail) with the same recipients, passing
its exit status back.

options:
  -t          take the recipients from To, Cc and Bcc (Bcc is not transmitted)
  -f SENDER   the envelope sender
  -i, -oi     accepted (a lone dot never ends the message here)
  -F NAME, -N DSN, -R RET
              handed to the MTA
"""


@dataclass
class Invocation:
    """What a mail client asked of sendmail."""

    recipients: list[str] = field(default_factory=list)
    from_headers: bool = False  # -t
    sender: str = ""  # -f
    forwarded: list[str] = field(default_factory=list)
    help: bool = False  # --help or -h: print HELP, read and send nothing


def parse_invocation(words: list[str]) -> Invocation:
    """sendmail's own argument conventions; OutreachError (exit 2) for what it cannot do."""
    found = Invocation()
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            found.recipients.extend(words[index:])
            break
        if not word.startswith("-") or word == "-":
            found.recipients.append(word)
            continue
        letter, rest = word[1:2], word[2:]
        if word in ("--help", "-h"):
            found.help = True
            return found
        if letter == "t" and not rest:
            found.from_headers = True
        elif letter == "i" and not rest or letter == "o" or word in ("-bm", "-v", "-U", "-m"):
            pass  # -i/-oi: a lone dot never ends the message here; -o options: sendmail's own
        elif letter == "b":
            raise OutreachError(f"sendmail {word}: only sending a message (-bm) is supported")
        elif letter in _FORWARDED | _DROPPED_WITH_VALUE | {"f"}:
            if not rest:
                if index >= len(words):
                    raise OutreachError(f"sendmail {word}: needs a value")
                rest = words[index]
                index += 1
            if letter == "f":
                found.sender = rest
            elif letter in _FORWARDED:
                found.forwarded += [f"-{letter}", rest]
        else:
            raise OutreachError(f"sendmail {word}: unknown option (outreach sendmail --help)")
    return found


def sendmail_command(args: argparse.Namespace) -> int:
    call = parse_invocation(args.words)
    if call.help:
        sys.stdout.write(HELP)
        return 0
    if not call.recipients and not call.from_headers:
        raise OutreachError("sendmail: no recipients: name them, or use -t to take them from the headers")
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise OutreachError("sendmail: no message on standard input")
    command = config.sendmail_command()
    verdict = sending.check(data, "message", _store_path(), _warn, tuple(call.recipients))
    if not verdict.passes:
        sys.stderr.write(verdict.text())
        sys.stderr.write("outreach: not sent: fix the message, or add 'outreach: ignore CODE' on a line of its own"
                         " (removed before sending)\n")
        return EX_DATAERR
    outgoing = sending.prepare(data, envelope=tuple(call.recipients), from_headers=call.from_headers,
                               sender=call.sender)
    resent = [name for name in outgoing.removed if name.lower().startswith("resent-")]
    if resent:  # a resend's recipients are not the ones this message names: never follow them
        _warn(f"removed {', '.join(resent)}: sent only to {', '.join(outgoing.envelope)}")
    status = sending.to_mta(outgoing, [*command, *call.forwarded])
    if status == 0:
        _record(outgoing, command[0])
    return status


def _record(outgoing: Outgoing, mta: str) -> None:
    """Remember what the MTA took (as `outreach send` does); a store problem never turns a sent
    message into a failure the mail client would retry."""
    path = _store_path()
    try:
        if path is None:  # nothing to remember it in; a Sent copy (OUTREACH_SENT_COPY=on) is still wanted
            where, filed = sent.copy_to_sent(outgoing, filed_by_outreach=False)
        else:
            with Store.open(path) as store:
                done = sent.record(store, outgoing, draft_id=outgoing.message_id, via=f"sendmail:{mta}",
                                   filed_by_outreach=False)
            where, filed = done.copy, done.filed
    except Exception as exc:  # the mail has gone; say what was not done
        _warn(f"sent, but not recorded in {path}: {exc}" if path else f"sent, but no copy in Sent: {exc}")
        return
    if filed or where.startswith("no copy in Sent"):  # filed, or asked for and not possible
        _warn(f"filed a copy in {where}" if filed else where)


def _store_path() -> str | None:
    path = default_db_path()
    return str(path) if path.is_file() else None


def _warn(message: str) -> None:
    print(f"outreach: {message}", file=sys.stderr)
