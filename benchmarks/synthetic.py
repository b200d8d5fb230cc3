"""Reproducible synthetic mail for benchmarks: realistic messages, fast, cached.

API (everything else is private):

    ME                                  the mailbox owner's address ("alex@morgan.example")
    iter_messages(n, seed=SEED, contacts=None, crlf=False) -> Iterator[tuple[str, bytes]]
        n messages in date order as (folder, raw bytes); folder is "INBOX", "Sent" or "Archive".
    write_maildir(path, n, seed=SEED, contacts=None) -> Path
        write them as a Maildir++ (INBOX at the root, .Sent, .Archive); path must not exist yet.
    cached_maildir(n, seed=SEED, contacts=None) -> Path
        the same under benchmarks/.cache/, generated once per parameter set and reused.

contacts defaults to max(50, n // 20): about 5,000 distinct people at 100,000 messages
(a few rarely drawn ones may not appear). The same (n, seed, contacts) always gives the
same bytes; a message is a few KB: Received chains, a DKIM signature, multipart/alternative
with HTML, quoted-printable and base64 parts, RFC 2047 and a few raw UTF-8 names, replies
that quote and thread (Message-ID / In-Reply-To / References), signatures, and automated
mail: lists and newsletters (List-Id, List-Unsubscribe), no-reply notifications, Precedence:
bulk, Auto-Submitted replies, and a few mails to 40+ people. Message-IDs are unique.
The bytes are written by tests/support/mail.py, the mail writer shared with the sample mailbox.

    python benchmarks/synthetic.py 100000          # build (or find) the cached Maildir
"""

from __future__ import annotations

import base64
import bisect
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import accumulate
from pathlib import Path

# before site-packages: textstat ships a stray `tests` package
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import mail  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


ME = "alex@morgan.example"
ME_NAME = "Alex Morgan"
SEED = 1729
VERSION = 1  # bump when the output changes, so caches are rebuilt
END = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
SPAN_DAYS = 3 * 365
CACHE = Path(__file__).resolve().parent / ".cache"

FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
    "Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra Paul "
    "Ashley Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian Amanda George Melissa Timothy "
    "Deborah Ryan Stephanie Jacob Rebecca Nicholas Laura Eric Helen Jonathan Amy Justin Angela Priya Ravi "
    "Aisha Omar Fatima Yusuf Wei Mei Hiroshi Yuki Kenji Sakura Olu Ngozi Kwame Amara Lars Ingrid Pieter "
    "Anouk Giulia Marco Ana Pedro Lucia Diego Sofia Mateo Chloe Hugo Camille Louis Ines Tomas Nadia Ivan"
)
FIRST_INTL = ("José", "Zoë", "Søren", "Małgorzata", "François", "Çağla", "Björn", "Renée", "Jürgen", "Ångström",
              "Núria", "Siân", "Đorđe", "Łukasz", "Anaïs", "Tomáš", "Dvořák", "Þóra", "Ümit", "Gaël")
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
    "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Patel Shah Khan Chen Wang Zhang Liu Tanaka "
    "Sato Suzuki Okafor Mensah Eriksson Larsen Jansen Visser Rossi Bianchi Silva Santos Costa Dubois "
    "Moreau Novak Horvat Kowalski Ivanova Petrov Fischer Weber Schmidt Becker Murphy Kelly Byrne Walsh"
)
LAST_INTL = ("García", "Müller", "Öztürk", "Nguyễn", "Sørensen", "Wójcik", "Pérez", "Čapek", "Lefèvre",
             "Jiménez", "Ó Briain", "Håkansson", "Dvořáková", "Gonçalves", "Şahin")
CJK = (("李", "娜"), ("王", "伟"), ("山田", "太郎"), ("佐藤", "花子"), ("김", "민준"), ("陈", "静"))
WORDS = _words(
    "north bright cedar harbor summit river maple lumen quill forge atlas beacon pine delta orbit ember "
    "granite willow copper meadow signal vector prairie tidal aspen canyon falcon lattice keystone birch"
)
TLDS = ("example", "example", "example", "co.example", "io.example", "org.example")

SUBJECTS = [
    "Quick question about the {x}", "Notes from today's {x} sync", "{X} follow-up", "Catching up",
    "Draft {x} plan for Q{q}", "Re-thinking the {x}", "Lunch next week?", "The {x} numbers",
    "Intro: {name} <> {me}", "Thoughts on the {x} proposal", "{X} review, round {q}", "Coffee?",
    "Heads up on the {x} change", "Ideas for the {x} offsite", "Slides for {x}", "Hello from {city}",
    "Your {x} talk", "Following up", "Update on {x}", "A small favour", "Congratulations!", "Thank you",
]
TOPICS = ("roadmap", "pricing", "hiring", "onboarding", "budget", "migration", "launch", "partnership",
          "research", "analytics", "design", "board deck", "support queue", "warehouse", "retention", "pilot")
CITIES = ("Lisbon", "Chicago", "Kyoto", "Lagos", "Oslo", "Zürich", "São Paulo", "Montréal", "Kraków", "Austin")
SENTENCES = [
    "I had a look at the {x} numbers this morning and they are better than I expected.",
    "Could you send me the latest version of the {x} doc before Thursday?",
    "We decided to push the {x} work to next quarter, mostly because of hiring.",
    "The team in {city} has been asking about the {x} for a while now.",
    "Thanks again for the introduction, the call went really well.",
    "I'm happy to spend half an hour on the {x} if it helps.",
    "Would you be open to a 30-minute call next week?",
    "Their team raised $12 million last month, so expect them to move fast on {x}.",
    "Honestly, I think the {x} is the most important thing we ship this year.",
    "Let me know if Tuesday or Wednesday works better for you.",
    "I've attached my notes, the second section is the interesting part.",
    "We're seeing about a 4% lift since the {x} change went out.",
    "Congratulations on the new role, they're lucky to have you.",
    "Sorry for the slow reply, the {x} launch ate my week.",
    "I met someone in {city} who is working on exactly this problem.",
    "The café near the office finally reopened, so the {x} meeting can move there.",
    "Our naïve estimate for the {x} was off by about a factor of two.",
    "Budget for the {x} is €40,000, which should be enough for a first version.",
    "I keep coming back to the question of who actually owns the {x}.",
    "No rush on this, whenever you have a moment.",
    "Could you introduce me to someone on the {x} side?",
    "I read your post about the {x} and shared it with my team.",
    "We should probably write down what we expect before we decide on the {x}.",
    "The first draft is rough, but the structure is there.",
    "Would you consider investing $25,000 in the round?",
    "Looping in my colleague who knows the {x} far better than I do.",
    "Happy to review the {x} draft over the weekend.",
    "It was great to catch up last week, it has been too long.",
]
GREETINGS = ("Hi {f},", "Hello {f},", "Hey {f},", "{f},", "Dear {f},", "Hi {f} —", "Morning {f},")
CLOSINGS = ("Best,", "Thanks,", "Cheers,", "Talk soon,", "All the best,", "Regards,", "Warmly,", "")
TITLES = ("Product Manager", "Head of Operations", "Engineer", "Designer", "Founder", "Partner",
          "VP Engineering", "Director of Sales", "Researcher", "COO")
MAILERS = ("gmail", "gmail", "gmail", "outlook", "apple", "plain", "b64")


class _Contact:
    __slots__ = ("first", "hdr", "addr", "domain", "mailer", "sig")

    def __init__(self, first: str, hdr: str, addr: str, mailer: str, sig: str) -> None:
        self.first, self.hdr, self.addr, self.mailer, self.sig = first, hdr, addr, mailer, sig
        self.domain = addr.split("@", 1)[1]


def _encoding(text: str, rng: random.Random) -> str | None:
    """How a non-ASCII header text is written: mostly Q or B words, rarely raw UTF-8 (RFC 6532).
    Draws only for non-ASCII text, so ASCII-only runs use the same dice."""
    if text.isascii():
        return "Q"
    r = rng.random()
    return None if r < 0.05 else "Q" if r < 0.6 else "B"


def _word(text: str, rng: random.Random) -> str:
    return mail.phrase(text, _encoding(text, rng))


def _people(count: int, rng: random.Random) -> list[_Contact]:
    domains = sorted({f"{rng.choice(WORDS)}{rng.choice(WORDS)}.{rng.choice(TLDS)}"
                      for _ in range(max(40, count // 12))})
    people, seen = [], set()
    for i in range(count):
        r = rng.random()
        if r < 0.02:
            last, first = rng.choice(CJK)
            name, local = f"{last}{first}", f"user{i}"
        else:
            first = rng.choice(FIRST_INTL) if r < 0.12 else rng.choice(FIRST)
            last = rng.choice(LAST_INTL) if rng.random() < 0.12 else rng.choice(LAST)
            name = f"{first} {last}"
            local = "".join(c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == ".")) or "x"
        if rng.random() < 0.3:  # people on the big free-mail providers
            domain = rng.choice(("mailhub.example", "postbox.example", "inboxly.example"))
        else:
            domain = rng.choice(domains)
        addr = f"{local.strip('.')}@{domain}"
        if addr in seen:
            addr = f"{local.strip('.')}{i}@{domain}"
        seen.add(addr)
        shown = rng.choice((name, name, name, name.upper(), "")) if rng.random() < 0.05 else name
        how = _encoding(shown, rng)
        # the case of the address varies in headers now and then: parsers must normalise it
        hdr = mail.mailbox(shown, addr.capitalize() if rng.random() < 0.03 else addr, how)
        sig = f"-- \n{name}\n{rng.choice(TITLES)}, {domain.split('.')[0].title()}" if rng.random() < 0.7 else ""
        people.append(_Contact(first, hdr, addr, rng.choice(MAILERS), sig))
    return people


def _lists(rng: random.Random) -> list[tuple[str, str, str]]:
    """(From header, List-Id, kind) for newsletters, discussion lists, notifications and bulk senders."""
    out = []
    for i in range(30):
        w = f"{rng.choice(WORDS)}{rng.choice(WORDS)}"
        kind = ("newsletter", "list", "noreply", "bulk", "list")[i % 5]
        if kind == "noreply":
            out.append((f"{w.title()} <no-reply@{w}.example>", "", kind))
        elif kind == "bulk":
            out.append((f"{w.title()} Events <events@{w}.example>", "", kind))
        else:
            out.append((f"The {w.title()} Weekly <news@{w}.example>", f"<{w}.lists.{w}.example>", kind))
    return out


_Threads = dict[int, tuple[str, str, str, bool]]  # contact -> (subject, msgid, references, last from me)


def iter_messages(n: int, seed: int = SEED, contacts: int | None = None,
                  crlf: bool = False) -> Iterator[tuple[str, bytes]]:
    """n reproducible messages in date order, as (folder, bytes)."""
    rng = random.Random(f"{seed}:{n}:{contacts}")
    people = _people(contacts or max(50, n // 20), rng)
    # a few close ties, a long tail: flattened Zipf so that nearly everyone appears at least once
    cum = list(accumulate(1.0 / (k + 25) ** 0.75 for k in range(len(people))))
    total = cum[-1]
    lists = _lists(rng)
    sentences = [s.format(x=t, X=t.title(), city=c) for s in SENTENCES for t, c in zip(TOPICS, CITIES * 2,
                                                                                     strict=False)]
    threads: _Threads = {}
    start = END - timedelta(days=SPAN_DAYS)
    step = SPAN_DAYS * 86400 / max(n, 1)
    nl = b"\r\n" if crlf else None
    for i in range(n):
        when = start + timedelta(seconds=i * step + rng.random() * step)
        r = rng.random()
        if r < 0.2:
            folder, data = _automated(i, when, rng, lists, sentences)
        else:
            c = bisect.bisect_left(cum, rng.random() * total)
            folder, data = _personal(i, when, rng, people, c, threads, sentences, cum, total)
        yield folder, (data.replace(b"\n", nl) if nl else data)


def _body(rng: random.Random, sentences: list[str], first: str, closing_name: str) -> str:
    paras = []
    for _ in range(rng.randint(2, 5)):
        paras.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4))))
    greet = rng.choice(GREETINGS).format(f=first)
    close = rng.choice(CLOSINGS)
    return f"{greet}\n\n" + "\n\n".join(paras) + (f"\n\n{close}\n{closing_name}" if close else f"\n\n{closing_name}")


def _received(rng: random.Random, domain: str, when: datetime) -> list[mail.Header]:
    hops = []
    t = when
    for h in range(rng.randint(1, 4)):
        t = t + timedelta(seconds=rng.randint(0, 30))
        ip = f"{rng.choice((192, 198, 203))}.{rng.choice((0, 51, 0))}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        by = "mx1.morgan.example" if h == 0 else f"relay{h}.{domain}"
        hops.append(mail.received(f"{'mail' if h == 0 else 'out'}{h}.{domain}", domain, ip, f"{by} (Postfix)",
                                  "ESMTPS", f"{rng.getrandbits(52):013X}", t, recipient=ME))
    return hops


def _dkim(rng: random.Random, domain: str) -> list[mail.Header]:
    sig = base64.b64encode(rng.randbytes(192)).decode()
    folded = "\n\t ".join(sig[k:k + 72] for k in range(0, len(sig), 72))
    bh = base64.b64encode(rng.randbytes(32)).decode()
    return [("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s{rng.randint(1, 9)};\n"
             f"\th=from:to:subject:date:message-id:mime-version; bh={bh};\n\tb={folded}"),
            ("Authentication-Results", f"mx1.morgan.example; dkim=pass header.d={domain}; spf=pass")]


def _html(text: str) -> str:
    paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>\n" for p in text.split("\n\n"))
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
            f'<body><div dir="ltr" style="font-family:Arial,sans-serif;font-size:14px">\n{paras}</div></body></html>')


def _parts(rng: random.Random, mailer: str, text: str) -> mail.Part:
    """The body as one mailer style writes it."""
    data = text.encode()
    if mailer in ("gmail", "outlook"):
        boundary = f"{rng.getrandbits(64):016x}"
        html_cte = "base64" if mailer == "outlook" and rng.random() < 0.5 else "quoted-printable"
        return mail.multipart([
            mail.part('text/plain; charset="UTF-8"', data, "7bit" if text.isascii() else "quoted-printable"),
            mail.part('text/html; charset="UTF-8"', _html(text).encode(), html_cte),
        ], boundary)
    if mailer == "b64":
        return mail.part('text/plain; charset="utf-8"', data, "base64")
    if mailer == "apple" or not text.isascii():
        return mail.part("text/plain; charset=utf-8; format=flowed", data, "quoted-printable")
    return mail.part('text/plain; charset="us-ascii"', data, "7bit")


def _personal(i: int, when: datetime, rng: random.Random, people: list[_Contact], c: int, threads: _Threads,
              sentences: list[str], cum: list[float], total: float) -> tuple[str, bytes]:
    p = people[c]
    open_thread = threads.get(c)
    reply = open_thread is not None and rng.random() < 0.55
    if reply:
        subject, parent, refs, parent_from_me = open_thread
        from_me = not parent_from_me if rng.random() < 0.85 else parent_from_me
    else:
        subject = rng.choice(SUBJECTS).format(x=rng.choice(TOPICS), X=rng.choice(TOPICS).title(), q=rng.randint(1, 4),
                                              name=p.first, me="Alex", city=rng.choice(CITIES))
        parent, refs, from_me = "", "", rng.random() < 0.35
    mailer = "apple" if from_me else p.mailer
    domain = "morgan.example" if from_me else p.domain
    msgid = f"<{int(when.timestamp())}.{i:x}.{rng.getrandbits(40):010x}@{'mail.' if mailer == 'gmail' else ''}{domain}>"
    sender_name = ME_NAME.split()[0] if from_me else p.first
    text = _body(rng, sentences, "Alex" if not from_me else p.first, sender_name)
    sig = f"-- \n{ME_NAME}\nFounder, Fernwood" if from_me else p.sig
    if sig:
        text += "\n\n" + sig
    if reply:
        quoted = "\n".join("> " + s for s in rng.sample(sentences, 3))
        who = f"{ME_NAME} <{ME}>" if parent_from_me else p.hdr
        text += f"\n\nOn {format_datetime(when - timedelta(hours=rng.randint(1, 72)))}, {who} wrote:\n{quoted}\n"
    # recipients: usually one person, sometimes a few more, rarely a crowd
    extra = []
    r = rng.random()
    if r < 0.06:
        extra = [people[bisect.bisect_left(cum, rng.random() * total)] for _ in range(rng.randint(1, 4))]
    elif r < 0.065:
        extra = rng.sample(people, min(len(people), rng.randint(40, 60)))
    me_hdr = f"{ME_NAME} <{ME}>"
    frm, to = (me_hdr, p.hdr) if from_me else (p.hdr, me_hdr)
    head: list[mail.Header] = []
    if not from_me:
        head += [("Return-Path", f"<{p.addr}>"), ("Delivered-To", ME), *_received(rng, domain, when),
                 *_dkim(rng, domain)]
    head += [("Date", format_datetime(when.astimezone(_TZ[i % len(_TZ)]))), ("From", frm), ("To", to)]
    if extra:
        head.append(("Cc", mail.address_list(e.hdr for e in extra)))
    subj = subject if not reply or subject.startswith("Re: ") else f"Re: {subject}"
    head += [("Subject", _word(subj, rng)), ("Message-ID", msgid)]
    if reply:
        refs = f"{refs} {parent}".strip()
        ref_list = refs.split()[-10:]
        head += [("In-Reply-To", parent), ("References", "\n ".join(ref_list))]
        refs = " ".join(ref_list)
    if mailer == "outlook":
        head += [("Thread-Topic", _word(subject, rng)), ("X-MS-Has-Attach", ""),
                 ("X-Mailer", "Microsoft Outlook 16.0")]
    elif mailer == "apple":
        head.append(("X-Mailer", "Apple Mail (2.3731.700.6)"))
    else:
        head.append(("X-Mailer", f"{mailer}-web/{rng.randint(1, 9)}.{rng.randint(0, 99)}"))
    head.append(("MIME-Version", "1.0"))
    threads[c] = (subj, msgid, refs, from_me)
    data = mail.message(head, _parts(rng, mailer, text))
    folder = "Sent" if from_me else ("Archive" if rng.random() < 0.3 else "INBOX")
    return folder, data


def _automated(i: int, when: datetime, rng: random.Random, lists: list[tuple[str, str, str]],
               sentences: list[str]) -> tuple[str, bytes]:
    r = rng.random()
    if r < 0.05:  # an auto-reply from a person's address
        domain = f"{rng.choice(WORDS)}.example"
        head = [("From", f"Out of Office <ooo{i}@{domain}>"), ("To", f"{ME_NAME} <{ME}>"),
                ("Subject", f"Automatic reply: {rng.choice(TOPICS)}"), ("Auto-Submitted", "auto-replied"),
                ("X-Auto-Response-Suppress", "All")]
        body = "I am out of the office with limited access to email and will reply when I return."
    else:
        frm, list_id, kind = rng.choice(lists)
        domain = frm.rsplit("@", 1)[1].rstrip(">")
        head = [("From", frm), ("To", f"{ME_NAME} <{ME}>"), ("Subject", _word(rng.choice(sentences)[:60], rng))]
        if list_id:
            head += [("List-Id", list_id),
                     ("List-Unsubscribe", f"<https://{domain}/u/{rng.getrandbits(32):08x}>, <mailto:leave@{domain}>"),
                     ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
            if kind == "list":
                head.append(("Precedence", "list"))
        elif kind == "bulk":
            head.append(("Precedence", "bulk"))
        body = "\n\n".join(" ".join(rng.sample(sentences, 3)) for _ in range(rng.randint(3, 7)))
    msgid = f"<{int(when.timestamp())}.{i:x}.{rng.getrandbits(40):010x}@{domain}>"
    trace = [*_received(rng, domain, when), *_dkim(rng, domain)]
    data = mail.message([*trace, ("Date", format_datetime(when)), *head, ("Message-ID", msgid),
                         ("MIME-Version", "1.0")], _parts(rng, "gmail", body))
    return "INBOX", data


_TZ = [UTC] + [timezone(timedelta(hours=h)) for h in (-8, -5, -6, 1, 2, 5.5, 9)]  # senders around the world

def write_maildir(path: Path | str, n: int, seed: int = SEED, contacts: int | None = None) -> Path:
    """Write n messages as a Maildir++ at path (which must not exist yet)."""
    root = Path(path)
    root.mkdir(parents=True)
    maildir = mail.Maildir(root, ("INBOX", "Sent", "Archive"))
    stamp = int(END.timestamp())
    for i, (folder, data) in enumerate(iter_messages(n, seed, contacts)):
        maildir.add(folder, data, seconds=stamp - n + i, micro=i, pid=seed, host="bench")
    return root


def cached_maildir(n: int, seed: int = SEED, contacts: int | None = None) -> Path:
    """The Maildir for these parameters under benchmarks/.cache/, built on first use."""
    root = CACHE / f"maildir-v{VERSION}-n{n}-s{seed}-c{contacts or 'auto'}"
    if (root / ".complete").exists():
        return root
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    for stale in CACHE.glob(f"{root.name}.partial-*"):  # left by a build that was killed
        if not _alive(int(stale.name.rsplit("-", 1)[1])):
            shutil.rmtree(stale, ignore_errors=True)
    # Build aside and rename into place, so concurrent benchmarks never see half a Maildir.
    partial = root.with_name(f"{root.name}.partial-{os.getpid()}")
    write_maildir(partial, n, seed, contacts)
    (partial / ".complete").touch()
    try:
        partial.rename(root)
    except OSError:  # another process finished the same build first
        if not (root / ".complete").exists():
            raise
        shutil.rmtree(partial)
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 100_000
    started = time.perf_counter()
    root = cached_maildir(n)
    print(f"{root}: {n:,} messages ready in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
