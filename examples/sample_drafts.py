"""Sample outgoing drafts for the demo's lint step: some bad on purpose, some good.

Each is an .eml from Alex to someone in the sample mailbox; ``expect`` says what a
reader of the rules should expect the linter to say about it.
"""

from __future__ import annotations

from email.utils import format_datetime
from pathlib import Path

from examples.sample_cast import DANIEL, HELEN, MARCUS, MARGARET, ME, SAM, TOM
from examples.sample_engine import Person, fmt_addr, local
from tests.support import mail

DRAFTS: list[dict] = [
    {
        "file": "01-big-ask-weak-tie.eml", "to": TOM, "subject": "Quick ask", "verdict": "bad",
        "expect": ["money ask above threshold ($50,000)", "asking a weak tie for a lot (Tom: two messages, "
                   "March 2025)", "ask without any give", "time ask above threshold (an hour)"],
        "body": """\
Hi Tom,

We met briefly at the Health Tech Forum last year. I'm raising a pre-seed round for Fernwood and I'd like you to
invest $50,000. Could you also introduce me to two or three other partners at Meridian who might join?

I can do an hour-long call any day next week so you can ask questions.

Alex
""",
    },
    {
        "file": "02-presumptuous-scheduling.eml", "to": MARCUS, "subject": "Pricing workshop on Thursday",
        "verdict": "bad",
        "expect": ["unilateral scheduling (\"I've booked\", \"I've sent you an invite\")", "demand (\"make sure\")",
                   "time ask above threshold (two hours)", "asking again before giving"],
        "body": """\
Hi Marcus,

I've booked two hours in your calendar this Thursday at 3pm for the pricing workshop we discussed, and I've
sent you an invite. Make sure you bring your notes on the clinic companies in your portfolio. I'll assume
that works unless I hear otherwise.

Alex
""",
    },
    {
        "file": "03-whiny-and-long.eml", "to": DANIEL, "subject": "Sorry to bother you",
        "verdict": "bad",
        "expect": ["self-pity / apology phrases (\"sorry to bother you\", \"I know you're busy\", \"nobody\")",
                   "too long / hard to read", "asking a contact gone cold", "ask without any give"],
        "body": """\
Hi Dan,

Sorry to bother you, I know you're incredibly busy and probably don't have time for this, and I completely
understand if you just ignore this email like everyone else seems to be doing lately. It has been a really
hard few months for me, honestly, because the startup is taking so much longer than I thought it would and
nobody seems to answer my emails anymore, which is discouraging when you have put your whole life into
something, and I have been feeling like I am shouting into the void most days.

Anyway, I was wondering if maybe, if it's not too much trouble, you could possibly look over our entire data
pipeline design, which is about forty pages, and also maybe spend a day or two helping us set up our
warehouse, since you did such a great job at Larkspur and I really don't know who else to ask at this point.
I hate to ask, I really do, and I'm sorry again for asking, but I'm kind of desperate.

Sorry again, and thanks in advance for anything at all.

Alex
""",
    },
    {
        "file": "04-good-thank-referrer.eml", "to": SAM, "subject": "Thank you for Priya",
        "verdict": "good",
        "expect": ["no findings: thanks the referrer, closes the loop, asks nothing"],
        "body": """\
Hi Sam,

Thank you for introducing me to Priya. We spoke last week, her intake checklist has already changed how we
build the front-desk view, and Cedar wants to pilot Fernwood at two sites in January.

None of that happens without your note. Dinner is on me next time you're free.

Alex
""",
    },
    {
        "file": "05-good-give-first.eml", "to": HELEN, "subject": "Something for the onboarding team",
        "verdict": "good",
        "expect": ["no findings: shares a resource and offers an introduction, asks nothing"],
        "body": """\
Hi Helen,

I came across this teardown of patient onboarding flows and thought of your team's work on activation:
https://news.example/onboarding-teardown. The section on progressive sign-up is the best I've read.

Also, Priya Raman runs operations at a four-site physio group and has sharp views on onboarding. If it's
useful, I'd be glad to introduce you.

Alex
""",
    },
    {
        "file": "06-good-small-ask.eml", "to": MARGARET, "subject": "Pilot pricing",
        "verdict": "good",
        "expect": ["no findings: gives first (pilot notes), then one small, specific time ask (15 minutes) "
                   "with an easy way out"],
        "body": """\
Hi Margaret,

I wrote up what we learned from our first two pilots, and I'd be glad to share it for your workshops. It's
attached as a link: https://fernwood.example/pilot-notes.

Cedar now wants a two-site pilot in January, and I'm torn between a free pilot and a discounted paid one.
Would you have 15 minutes in the next couple of weeks to talk it through? If not, no problem at all.

Alex
""",
    },
]


def _eml(n: int, d: dict) -> bytes:
    to: Person = d["to"]
    when = local(f"2026-11-16 {8 + n:02d}:{5 * n:02d}", ME)
    headers = [("Date", format_datetime(when)), ("From", fmt_addr(ME)), ("To", fmt_addr(to)),
               ("Subject", d["subject"]), ("Message-ID", f"<draft-{n:02d}.20261116@morgan.example>"),
               ("MIME-Version", "1.0")]
    return mail.message(headers, mail.part('text/plain; charset="us-ascii"', d["body"].encode("ascii"), "7bit"))


def write_drafts(out: Path) -> list[dict]:
    """Write the drafts as .eml files into out; return their manifest entries."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for n, d in enumerate(DRAFTS, 1):
        (out / d["file"]).write_bytes(_eml(n, d))
        entries.append({"file": d["file"], "to": d["to"].address, "to_key": d["to"].key,
                        "subject": d["subject"], "verdict": d["verdict"], "expect": d["expect"]})
    return entries
