"""Write the bundled sample mailbox: examples/sample-maildir/, its manifest and sample drafts.

    python -m examples.generate_sample            # from the project root
    python examples/generate_sample.py --out /tmp/sample --manifest /tmp/m.json --drafts /tmp/drafts

Alex Morgan <alex@morgan.example> and a dozen people over the two years before
"now" = 2026-11-16T12:00:00Z. Fixed seed and fixed dates: two runs write the same
bytes. The manifest (examples/sample-manifest.json) states the planted ground
truth: people, roles, expected strength pairs, who is cold, every act, every
message that must not count as a relationship, and the special cases.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make "examples" importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples import sample_chatter as chatter  # noqa: E402
from examples.sample_bulk import all_bulk  # noqa: E402
from examples.sample_cast import (  # noqa: E402
    CHRIS,
    DANIEL,
    HELEN,
    JOSE,
    KEVIN,
    MARCUS,
    MARGARET,
    ME,
    NINA,
    SAM,
    title_for,
)
from examples.sample_drafts import write_drafts  # noqa: E402
from examples.sample_engine import (  # noqa: E402
    FOLDERS,
    HOST,
    NOW,
    Mail,
    Person,
    Thread,
    assign_ids,
    file_micro,
    local,
    own_rng,
    render,
    to_local,
)
from examples.sample_story import story  # noqa: E402
from tests.support.mail import Maildir  # noqa: E402

SEED = 20261116
HERE = Path(__file__).resolve().parent

# When each everyday conversation happened, in the order of sample_chatter's lists.
CHATTER_DATES = {
    MARGARET: (chatter.MARGARET, [
        "2024-11-21", "2024-12-28", "2025-02-11", "2025-03-06", "2025-04-02", "2025-04-29", "2025-05-21",
        "2025-08-12", "2025-06-26", "2025-09-09", "2026-04-02", "2025-12-02", "2026-04-28", "2026-09-15",
        "2026-10-20", "2026-06-09", "2025-11-04", "2026-10-06", "2026-07-14", "2026-05-19"]),
    DANIEL: (chatter.DANIEL, [
        "2024-11-19", "2024-12-05", "2024-12-17", "2025-01-09", "2025-01-28", "2025-02-18", "2025-04-01",
        "2025-04-22", "2025-05-13", "2025-06-05", "2025-07-01", "2025-07-24", "2025-12-10", "2025-10-02",
        "2025-09-16", "2025-10-21", "2026-02-05", "2026-03-24", "2026-04-14", "2026-05-12", "2026-06-12"]),
    SAM: (chatter.SAM, [
        "2025-04-12", "2024-12-08", "2025-02-03", "2025-01-15", "2025-03-20", "2025-07-09", "2025-08-27",
        "2025-10-08", "2025-06-18", "2025-11-20", "2026-04-21", "2026-06-02", "2026-01-14", "2026-09-01"]),
    HELEN: (chatter.HELEN, ["2024-12-10", "2025-02-25", "2025-05-06", "2025-07-15", "2025-12-18", "2025-04-01"]),
    JOSE: (chatter.JOSE, [
        "2024-12-12", "2025-02-20", "2025-05-07", "2025-01-02", "2025-09-23", "2025-10-05", "2026-04-09",
        "2026-07-21"]),
    NINA: (chatter.NINA, ["2024-12-04", "2025-02-12", "2025-01-20", "2025-10-15", "2026-09-22"]),
    CHRIS: (chatter.CHRIS, [
        "2025-09-02", "2024-11-28", "2025-01-21", "2024-12-15", "2025-04-08", "2026-01-06", "2025-07-17",
        "2026-04-15", "2026-02-10"]),
    KEVIN: (chatter.KEVIN, ["2025-03-04", "2025-08-05", "2025-11-11", "2026-04-14"]),
}

# Words that would make chatter look like an act; chatter must stay act-free.
ACT_WORDS = re.compile(
    r"thank|congrat|could you|would you|can you|will you|happy to|glad to|introduc|\bintro\b|\$|minute|"
    r"\bhours?\b|half a day|review|feedback|\bfavou?rs?\b|help|appreciat|invest|\blend|\bloan|advice|recommend|"
    r"please|mind if|\bowe\b",
    re.IGNORECASE,
)


def chatter_threads() -> list[Thread]:
    threads = []
    for person, (convos, dates) in CHATTER_DATES.items():
        assert len(convos) == len(dates), person.key
        for (subject, starter, texts), day in zip(convos, dates, strict=True):
            rng = random.Random(f"{SEED}|chatter|{person.key}|{subject}")  # one conversation's own dice
            who = [ME, person] if starter == "me" else [person, ME]
            hour = rng.randint(8, 20)
            when = local(f"{day} {hour:02d}:{rng.randint(0, 59):02d}", who[0])
            mails = []
            for i, text in enumerate(texts):
                sender, other = who[i % 2], who[(i + 1) % 2]
                assert not ACT_WORDS.search(text), f"chatter with act vocabulary: {text[:60]!r}"
                if i:
                    lo, hi = (sender if sender is not ME else other).latency
                    when = to_local(when + timedelta(hours=rng.uniform(lo, hi)), sender)
                short = len(text) < 90 and i > 0
                mails.append(Mail(when=when, sender=sender, to=[other], body=text, filler=True,
                                  sig=not short or rng.random() < 0.3,
                                  quote="none" if short and rng.random() < 0.5 else "gmail"))
            threads.append(Thread(subject, *mails))
    return threads


def special_cases(mails: list[Mail]) -> dict[str, Mail]:
    """Mark the deliberately awkward messages; returns them by name."""
    def first(person: Person, subject: str) -> Mail:
        return next(m for m in mails if m.sender is person and m.subject == subject)

    no_date = first(CHRIS, "new place")
    no_date.date_header = None
    no_date.phone = True
    bad_date = first(KEVIN, "new course")
    bad_date.date_header = "Tue, 05 Aug 2025 25:71:00 -0600"
    no_id = first(JOSE, "Type specimen")
    no_id.message_id = False
    return {"no_date": no_date, "bad_date": bad_date, "no_message_id": no_id}


def drafts_in_mailbox() -> list[Thread]:
    """Unsent drafts Alex left in the Drafts folder: not interactions."""
    return [
        Thread("Long time", Mail(
            when=local("2026-09-01 21:40", ME), sender=ME, to=[DANIEL], folder="Drafts", automated="draft",
            body="Hey Dan,\n\nIt's been a while. How did the warehouse launch go? I owe you that beer.")),
        Thread("Fernwood update", Mail(
            when=local("2026-11-10 22:05", ME), sender=ME, to=[MARCUS], folder="Drafts", automated="draft",
            body="Hi Marcus,\n\nFollowing up on April: both pilots renewed and a four-site group wants a pilot "
            "in January. Would you reconsider investing $25,000 now?\n\nAlex")),
    ]


def folder_for(m: Mail) -> str:
    if m.folder:
        return m.folder
    if m.sender is ME:
        return "Sent"
    # Alex archives most person-to-person mail older than a year; newsletters stay in INBOX.
    if m.automated is None and m.utc < datetime(2025, 11, 1, tzinfo=UTC) and own_rng(m, "folder").random() < 0.7:
        return "Archive"
    return "INBOX"


def flags_for(m: Mail, folder: str) -> str | None:
    if folder == "Drafts":
        return "DS"
    if folder == "INBOX" and not m.replied and m.utc > NOW - timedelta(days=7):
        return None  # the last week's unanswered mail still sits in new/, unread
    return "RS" if m.replied and m.sender is not ME else "S"


def build(out: Path) -> tuple[list[Mail], dict[str, Mail]]:
    threads = story() + chatter_threads() + all_bulk(random.Random(f"{SEED}|bulk")) + drafts_in_mailbox()
    mails = [m for t in threads for m in t.mails]
    for m in mails:
        assert m.utc < NOW, (m.subject, m.when)
    mails.sort(key=lambda m: (m.utc, m.sender.address))
    special = special_cases(mails)
    assign_ids(mails)

    if out.exists():
        if any(out.iterdir()) and not (out / "cur").is_dir():
            raise SystemExit(f"{out}: exists and is not a Maildir; refusing to overwrite")
        shutil.rmtree(out)
    maildir = Maildir(out, FOLDERS)
    for m in mails:
        folder = folder_for(m)
        data = render(m, ME, lambda x: title_for(x.when))
        m.file = maildir.add(folder, data, seconds=int(m.utc.timestamp()), micro=file_micro(m), pid=7411, host=HOST,
                             flags=flags_for(m, folder), mtime=m.utc.timestamp())
        m.folder = folder
    for d in sorted(out.rglob("*")):  # git keeps no empty directories; Maildir readers skip dot files
        if d.is_dir() and d.name in ("cur", "new", "tmp") and not any(d.iterdir()):
            (d / ".gitkeep").write_bytes(b"")
    return mails, special


def main(argv: list[str] | None = None) -> int:
    from examples.sample_manifest import manifest

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "sample-maildir")
    parser.add_argument("--manifest", type=Path, default=HERE / "sample-manifest.json")
    parser.add_argument("--drafts", type=Path, default=HERE / "drafts")
    args = parser.parse_args(argv)
    mails, special = build(args.out)
    drafts = write_drafts(args.drafts)
    data = manifest(mails, special, drafts)
    args.manifest.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = data["counts"]
    print(f"{args.out}: {counts['total']} messages ({counts['by_folder']}); manifest {args.manifest}; "
          f"{len(drafts)} drafts in {args.drafts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
