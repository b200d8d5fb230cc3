"""The people in the sample mailbox: Alex Morgan and the dozen people around them."""

from __future__ import annotations

from examples.sample_engine import Person

ME = Person(
    "me", "Alex Morgan", "alex@morgan.example", tz=-360, dst="us", style="plain",
    role="the user", demonstrates="the mailbox owner; From of everything in Sent",
)

MARGARET = Person(
    "margaret", "Margaret Okafor", "margaret@okafor-advisory.example", tz=-300, dst="us", style="alt",
    sig="Margaret Okafor\nOkafor Advisory | operating advice for early-stage teams\nokafor-advisory.example",
    role="close mentor",
    demonstrates="strongest tie: two years of mail both ways every few weeks, fast replies; asks for advice "
    "and 20 minutes, thanks both ways, a give-offer of half a day, an out-of-office auto-reply that must "
    "not count",
    latency=(1.5, 20.0),
)
DANIEL = Person(
    "daniel", "Daniel Reyes", "daniel.reyes@larkspur-analytics.example", tz=-360, dst="us", style="wrap",
    sig="Dan\n\nDaniel Reyes | Staff Engineer | Larkspur Analytics", sig_dash=False,
    role="former colleague gone cold",
    demonstrates="regular mail every few weeks for a year and a half, silent since mid-June 2026 (about five "
    "months at 'now'): the clearest cold contact; plain text hard-wrapped at 72 columns",
    latency=(0.5, 10.0),
)
SAM = Person(
    "sam", "Sam Whitfield", "sam@whitfield.example", tz=-480, dst="us", style="alt", sig="Sam", sig_dash=False,
    role="friend and referrer (never thanked for the introduction)",
    demonstrates="introduced Alex to Priya on 2026-10-26 after Alex asked; Alex answered Priya only and never "
    "thanked Sam: the suggester must propose thanking Sam (referral thank-you template)",
    latency=(3.0, 40.0),
)
PRIYA = Person(
    "priya", "Priya Raman", "priya.raman@cedarphysio.example", tz=-300, dst="us", style="alt",
    sig="Priya Raman\nHead of Operations, Cedar Physio Group\ncedarphysio.example",
    role="new contact introduced by Sam",
    demonstrates="referrer = Sam; a short, intense, recent thread (call, thanks, a shared checklist, a pilot)",
    latency=(2.0, 20.0),
)
HELEN = Person(
    "helen", "Helen Zhou", "helen.zhou@brightpath.example", tz=-480, dst="us", style="plain",
    sig="Helen Zhou\nVP Product, Brightpath", sig_dash=False,
    role="former manager who helped a lot (Alex owes her)",
    demonstrates="reviewed Alex's pitch deck and introduced Alex to Marcus; Alex thanked her but never gave "
    "anything back: she belongs in --owed",
    latency=(4.0, 48.0),
)
MARCUS = Person(
    "marcus", "Marcus Lee", "marcus@northbeam.example", tz=-480, dst="us", style="plain",
    sig="Marcus Lee\nPartner, Northbeam Angels",
    role="angel investor, weak tie (introduced by Helen)",
    demonstrates="Alex asked him for money ($25,000) and time (a half-day workshop = 240 minutes); he "
    "passed and offered 30 minutes instead; referrer = Helen",
    latency=(20.0, 120.0),
)
KEVIN = Person(
    "kevin", "Kevin Brandt", "kevin.brandt@inboxly.example", tz=-360, dst="us", style="plain", sig="",
    role="keeps asking",
    demonstrates="asks again and again (time, review, intro, money, job lead, another intro), thanks once; "
    "Alex gives (time, resume notes, an introduction)",
    latency=(1.0, 12.0),
)
JORDAN = Person(
    "jordan", "Jordan Blake", "jordan.blake@talentbridge.example", tz=-300, dst="us", style="html",
    sig="Jordan Blake\nSenior Talent Partner | TalentBridge\nM: +1 555 0142 | talentbridge.example\n\n"
    "This e-mail and any attachments are confidential and intended solely for the addressee.",
    sig_dash=False,
    role="recruiter",
    demonstrates="mostly inbound, one polite reply from Alex: a weak tie; HTML-only Outlook-style mail",
    latency=(6.0, 72.0),
)
JOSE = Person(
    "jose", "José García", "jose@garcia-studio.example", tz=60, dst="eu", style="plain", name_encoding="Q",
    sig="José García\nDesign · garcia-studio.example",
    role="designer friend",
    demonstrates="RFC 2047 Q-encoded display name, quoted-printable UTF-8 bodies, a message without "
    "Message-ID; new role (Alex congratulates, José thanks); offered to sketch a logo",
    latency=(3.0, 36.0),
)
NINA = Person(
    "nina", "Nina Petrova", "nina@halcyon.example", tz=0, dst="eu", style="b64",
    sig="Nina\n\nNina Petrova | COO, Halcyon Health", sig_dash=False,
    role="peer founder",
    demonstrates="congratulations both ways (her company 'raised $40 million' is not a money ask); base64 "
    "text parts",
    latency=(4.0, 48.0),
)
CHRIS = Person(
    "chris", "Chris Donovan", "chris@donovan.example", tz=-420, dst="us", style="plain",
    sig="Chris", sig_dash=False,
    role="old friend gone quiet",
    demonstrates="every six weeks or so until April 2026, then nothing: cold; Alex shared an article and "
    "Chris thanked him; one message has no Date header",
    latency=(4.0, 60.0),
)
EMILIE = Person(
    "emilie", "Émilie Dubois", "emilie.dubois@clinicops-summit.example", tz=60, dst="eu", style="html",
    name_encoding="B",
    sig="Émilie Dubois\nProgramme Chair, Clinic Ops Summit", sig_dash=False,
    role="conference organiser",
    demonstrates="RFC 2047 B-encoded name, HTML-only mail; asked Alex for a 45-minute talk and thanked him "
    "afterwards",
    latency=(6.0, 40.0),
)
TOM = Person(
    "tom", "Tom Becker", "tom.becker@meridianhv.example", tz=-300, dst="us", style="plain",
    sig="Tom Becker\nMeridian Health Ventures",
    role="met once at a conference",
    demonstrates="the weakest real tie: two messages in March 2025 (target of the bad 'big ask' draft)",
    latency=(30.0, 90.0),
)
OLIVIA = Person(
    "olivia", "Olivia Grant", "olivia.grant@larkspur-analytics.example", tz=-360, dst="us", style="plain",
    sig="Olivia Grant\nCEO, Larkspur Analytics",
    role="sender of a 46-recipient announcement",
    demonstrates="large audience: says little about any one recipient; at most a negligible tie",
)

PEOPLE = [MARGARET, DANIEL, SAM, PRIYA, HELEN, MARCUS, KEVIN, JORDAN, JOSE, NINA, CHRIS, EMILIE, TOM, OLIVIA]


def title_for(when) -> str:
    """Alex's signature line: Larkspur until the end of February 2026, then Fernwood."""
    if when is not None and (when.year, when.month) >= (2026, 3):
        return "Founder, Fernwood | fernwood.example"
    return "Product Lead, Larkspur Analytics"
