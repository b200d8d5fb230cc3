"""Mail in the sample that must never count as a relationship.

Newsletters (List-Id / List-Unsubscribe), a mailing list with real people posting,
no-reply and role-address notifications, Precedence: bulk promotions, and one
announcement to 46 people.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from examples.sample_cast import ME, OLIVIA
from examples.sample_engine import Mail, Person, Thread, local

DIGEST = Person("digest", "The Operators' Digest", "digest@operatorsdigest.example", tz=-300, style="plain")
CLINICTECH = Person("clinictech", "Clinic Tech Weekly", "newsletter@clinictech.example", tz=0, style="plain")
CALENDAR = Person("calendar", "Calendar", "no-reply@calendar.example", tz=0, style="plain")
CODEHOST = Person("codehost", "Codehost", "notifications@codehost.example", tz=0, style="plain")
BILLING = Person("billing", "Cloudhost Billing", "no-reply@billing.cloudhost.example", tz=0, style="plain")
SUMMIT = Person("summit", "Clinic Ops Summit", "events@clinicops-summit.example", tz=60, style="plain")
LIST = Person("list", "Chicago Founders Circle", "founders@lists.commonroom.example", tz=-360, style="plain")
LIST_POSTERS = [
    Person("rosa", "Rosa Delgado", "rosa@delgado-labs.example", tz=-360, sig="Rosa"),
    Person("ben", "Ben Okoye", "ben.okoye@tillpoint.example", tz=-360, sig="Ben", sig_dash=False),
    Person("hana", "Hana Sato", "hana@satoworks.example", tz=-360, style="alt", sig="Hana Sato\nsatoworks.example"),
    Person("marek", "Marek Novák", "marek@novak-data.example", tz=-360, sig="Marek", name_encoding="Q"),
]

DIGEST_TOPICS = [
    "The quiet power of weekly reviews", "Pricing pages that convert", "How to run a pre-mortem",
    "Onboarding is a product", "Hiring your first ops person", "When to say no to a big customer",
    "Dashboards nobody reads", "The case for boring technology", "Writing a one-page strategy",
    "Churn, honestly measured", "Board meetings without theatre", "Remote rituals that work",
    "The first hundred customers", "Support as a research team", "Budgeting for small teams",
    "Sales for founders who hate sales", "Roadmaps as bets", "Meeting-free Wednesdays, a year on",
    "Running a lean finance function", "The operator's reading list", "Decision logs",
    "Customer councils", "Fixing the handoff between sales and success", "Quarterly planning in a day",
    "What to automate first", "Notes on founder burnout",
]
HEADLINES = [
    "Why most OKRs fail in the second quarter", "A field guide to the annual price increase",
    "Five questions for every churned customer", "The hidden cost of a custom contract",
    "What 40 operators said about hiring in 2025", "How a 12-person team closes its books in two days",
    "Stop writing status updates nobody reads", "The spreadsheet that replaced our BI tool",
    "Lessons from a failed reorg", "How to price an add-on", "A template for first-week onboarding",
    "What your support queue says about your roadmap", "Running a customer advisory board on a budget",
    "The difference between a process and a ritual", "Why your forecast is always late",
    "A short history of the weekly business review", "The founder's guide to saying no",
    "How small teams handle on-call without burning out", "Making meetings optional",
]
CLINIC_TOPICS = [
    "No-shows fell 18% at clinics using text reminders", "What front desks really think of patient portals",
    "Telehealth physio: the numbers after three years", "The staffing crunch in outpatient rehab",
    "Five scheduling mistakes that cost clinics money", "Insurance pre-authorisation, explained",
    "How a 6-site practice cut phone volume in half", "Interview: running ops for a physio group",
    "Waitlists that actually fill cancellations", "The state of clinic software, spring edition",
    "Why clinics still use fax", "Patient intake forms: a teardown", "Holiday scheduling without tears",
    "Data privacy basics for small practices", "Reporting that clinic owners read",
    "The case for per-location pricing", "Five front-desk tools compared", "Chatbots at the front desk?",
    "A year of online booking: what changed",
]


def newsletter(rng: random.Random) -> list[Thread]:
    out = []
    start = datetime(2024, 11, 19, 7, 0)
    for n, topic in enumerate(DIGEST_TOPICS * 2):
        when = local((start + timedelta(days=14 * n)).strftime("%Y-%m-%d %H:%M"), DIGEST)
        links = rng.sample(HEADLINES, 3)
        issue = 112 + n
        text = (
            f"The Operators' Digest, issue {issue}: {topic}\n\n"
            + "\n\n".join(f"* {h}\n  https://operatorsdigest.example/r/{issue}-{i}" for i, h in enumerate(links))
            + "\n\nThanks for reading! Forward this to a colleague who runs things.\n\n"
            "You are receiving this because you subscribed at operatorsdigest.example.\n"
            f"Unsubscribe: https://operatorsdigest.example/u/{rng.getrandbits(40):010x}"
        )
        html = (
            '<!DOCTYPE html><html><body style="margin:0;background:#f4f4f4">'
            '<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">'
            f'<table width="600" style="background:#fff;font-family:Georgia,serif"><tr><td><h1>{topic}</h1>'
            + "".join(f'<p><a href="https://operatorsdigest.example/r/{issue}-{i}">{h}</a></p>'
                      for i, h in enumerate(links))
            + '<p>Thanks for reading!</p><p style="font-size:11px;color:#888">'
            '<a href="https://operatorsdigest.example/u">Unsubscribe</a></p></td></tr></table>'
            "</td></tr></table></body></html>"
        )
        out.append(Thread(f"Issue #{issue}: {topic}", Mail(
            when=when, sender=DIGEST, to=[ME], body=text, html=html, sig=False, automated="list",
            headers=[
                ("List-Id", "The Operators' Digest <digest.operatorsdigest.example>"),
                ("List-Unsubscribe",
                 "<https://operatorsdigest.example/u>, <mailto:unsubscribe@operatorsdigest.example>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("Precedence", "list"),
            ])))
    start = datetime(2026, 3, 5, 6, 30)
    for n, topic in enumerate(CLINIC_TOPICS):
        when = local((start + timedelta(days=14 * n)).strftime("%Y-%m-%d %H:%M"), CLINICTECH)
        html = (
            f'<html><body><div class="preheader">{topic}</div><h2>{topic}</h2>'
            "<p>Plus: three tools worth a look and a reader question on recall letters.</p>"
            '<p><a href="https://clinictech.example/read">Read the full issue</a></p>'
            '<p style="font-size:10px"><a href="https://clinictech.example/unsub">Unsubscribe</a> | '
            "Clinic Tech Weekly, 1 Example Way, London</p></body></html>"
        )
        out.append(Thread(f"Clinic Tech Weekly: {topic}", Mail(
            when=when, sender=CLINICTECH, to=[ME], body="", html=html, sig=False, automated="list-unsubscribe",
            headers=[
                ("List-Unsubscribe", "<https://clinictech.example/unsub?u=alex>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("Feedback-ID", "ctw:newsletter:esp"),
            ])))
    return out


def notifications(rng: random.Random) -> list[Thread]:
    out = []
    invites = [
        ("2025-01-24 18:05", "Invitation: Coffee with Kevin Brandt @ Thu Jan 30, 2025 8:30am - 9am (CST)"),
        ("2025-06-10 19:10", "Invitation: Call with Margaret Okafor @ Tue Jun 17, 2025 4pm - 4:20pm (CDT)"),
        ("2025-11-03 09:00", "Reminder: Larkspur all-hands @ Thu Nov 6, 2025 10am - 11am (CST)"),
        ("2026-03-02 08:00", "Invitation: Fernwood weekly planning @ Weekly from 9am to 9:30am on Monday (CST)"),
        ("2026-06-01 08:00", "Updated invitation: Fernwood weekly planning @ Weekly on Monday 9:30am (CDT)"),
        ("2026-09-16 08:00", "Reminder: Clinic Ops Summit talk @ Thu Sep 17, 2026 2:15pm - 3pm (CDT)"),
        ("2026-10-28 10:06", "Accepted: Alex / Priya @ Tue Nov 3, 2026 10am - 10:30am (CST)"),
        ("2026-11-02 08:00", "Reminder: Alex / Priya @ Tue Nov 3, 2026 10am - 10:30am (CST)"),
    ]
    for spec, subject in invites:
        html = (f'<html><body><table><tr><td><h3>{subject}</h3><p>Calendar: alex@morgan.example</p>'
                '<p><a href="https://calendar.example/event">More options</a></p><p style="color:#777">'
                "Invitation from Calendar. You are receiving this email because you are an attendee of "
                "the event. Forwarding this invitation could allow any recipient to modify your RSVP."
                "</p></td></tr></table></body></html>")
        out.append(Thread(subject, Mail(when=local(spec, ME), sender=CALENDAR, to=[ME], body="", html=html,
                                        sig=False, automated="no-reply")))
    prs = ["Add per-location pricing", "Fix timezone bug in reminders", "Waitlist auto-fill",
           "Front desk view: keyboard shortcuts", "Cedar pilot: import script", "Upgrade Postgres driver",
           "SMS reminder templates", "Speed up calendar sync"]
    for n, title in enumerate(prs):
        when = local(f"2026-{3 + n:02d}-{10 + n:02d} 15:{10 + 3 * n:02d}", CODEHOST)
        body = (f"@ines-fw requested your review on: fernwood/app#{12 + 9 * n} {title}.\n\n"
                f"-- \nReply to this email directly or view it on Codehost:\n"
                f"https://codehost.example/fernwood/app/pull/{12 + 9 * n}\n"
                "You are receiving this because your review was requested.")
        out.append(Thread(f"[fernwood/app] {title} (PR #{12 + 9 * n})", Mail(
            when=when, sender=CODEHOST, to=[ME], body=body, sig=False, automated="role-address",
            headers=[("X-Codehost-Reason", "review_requested")])))
    for n in range(9):
        month = 3 + n
        amount = [12, 12, 48, 48, 51, 63, 63, 71, 88][n]
        when = local(f"2026-{month:02d}-01 04:{rng.randint(10, 59):02d}", BILLING)
        body = (f"Your receipt for {datetime(2026, month, 1):%B %Y}\n\nAmount paid: ${amount}.00\n"
                "Account: fernwood-prod\n\nThis is an automated message; replies to this address are not read.")
        out.append(Thread(f"Your Cloudhost receipt for {datetime(2026, month, 1):%B %Y}", Mail(
            when=when, sender=BILLING, to=[ME], body=body, sig=False, automated="no-reply")))
    promos = [
        ("2026-04-14 09:00", "Early-bird tickets for Clinic Ops Summit end Friday"),
        ("2026-06-09 09:00", "Announcing our 2026 speakers"),
        ("2026-08-25 09:00", "Three weeks to go: your Clinic Ops Summit guide"),
        ("2026-10-06 09:00", "Thank you for joining us: recordings now available"),
    ]
    for spec, subject in promos:
        body = (f"{subject}.\n\nDear attendee,\n\nWe would love to see you in Chicago. Congratulations to "
                "this year's award finalists, and thank you to our sponsors.\n\n"
                "To stop receiving event mail, reply with UNSUBSCRIBE.")
        out.append(Thread(subject, Mail(when=local(spec, SUMMIT), sender=SUMMIT, to=[ME], body=body, sig=False,
                                         automated="precedence-bulk", headers=[("Precedence", "bulk")])))
    return out


def mailing_list() -> list[Thread]:
    rosa, ben, hana, marek = LIST_POSTERS

    def post(spec: str, who: Person, body: str) -> Mail:
        inbound = who is not ME
        headers = [
            ("List-Id", "Chicago Founders Circle <founders.lists.commonroom.example>"),
            ("List-Post", "<mailto:founders@lists.commonroom.example>"),
            ("List-Unsubscribe", "<mailto:founders-unsubscribe@lists.commonroom.example>"),
            ("Precedence", "list"),
        ] if inbound else []
        return Mail(when=local(spec, who), sender=who, to=[LIST], body=body, headers=headers,
                    automated="list" if inbound else "to-list")

    return [
        Thread("[founders] Payroll for teams under ten?",
               post("2026-03-18 10:00", rosa, "Hi all, what are people using for payroll with fewer than ten "
                    "employees across two states? Our accountant has opinions; I'd like data."),
               post("2026-03-18 12:30", ben, "We use one of the big ones and it's fine. The multi-state part "
                    "is where they all get awkward."),
               post("2026-03-18 13:05", ME, "Same experience here: fine until the second state. We ended up "
                    "with a part-time bookkeeper who knows the filings, which was cheaper than it sounds."),
               post("2026-03-19 08:40", hana, "+1 to the bookkeeper. Software didn't fix it for us either.")),
        Thread("[founders] Office hours in May",
               post("2026-04-28 16:00", marek, "Reminder: founder office hours are back in May, first Thursday "
                    "of the month at the Common Room. Bring a problem, leave with three opinions.")),
        Thread("[founders] Healthcare compliance basics",
               post("2026-07-09 11:15", hana, "Has anyone found a plain-English guide to what a small "
                    "scheduling tool needs for healthcare privacy? Everything I find is written for hospitals."),
               post("2026-07-09 15:20", rosa, "Following. We hit the same wall last year and paid a lawyer, "
                    "which was useful but expensive.")),
    ]


FIRST = ["Aisha", "Ben", "Carla", "Deepak", "Elena", "Farid", "Grace", "Hugo", "Ivy", "Jamal", "Kira", "Luis",
         "Maya", "Noah", "Omar", "Paula", "Quinn", "Rita", "Sanjay", "Tessa", "Uma", "Victor", "Wen", "Yusuf"]
LAST = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fox", "Gupta", "Hill", "Ito", "Jones", "Kim", "Lopez",
        "Moore", "Nair", "Ortiz", "Park", "Reed", "Shah", "Tran", "Vega", "Wong", "Young"]


def announcement(rng: random.Random) -> list[Thread]:
    """One mail to 46 people: Larkspur alumni news from the CEO."""
    names = sorted({(rng.choice(FIRST), rng.choice(LAST)) for _ in range(80)})[:45]
    people = [Person(f"alum{i}", f"{f} {la}", f"{f.lower()}.{la.lower()}@alumni.larkspur-analytics.example")
              for i, (f, la) in enumerate(names)]
    to = people[:22] + [ME] + people[22:43]
    cc = people[43:45]
    body = (
        "Dear Larkspur alumni,\n\nA short note to share some news before it goes public tomorrow: Larkspur has "
        "agreed to join Meridian Data. The team, the product and the Chicago office all stay as they are.\n\n"
        "Many of you built the foundations this rests on. I hope you'll join us for an alumni evening at the "
        "office on 6 August.\n\nWarmly,\nOlivia"
    )
    return [Thread("Larkspur news, and an alumni evening", Mail(
        when=local("2026-07-15 17:00", OLIVIA), sender=OLIVIA, to=to, cc=cc, body=body, automated="audience-46"))]


def all_bulk(rng: random.Random) -> list[Thread]:
    return newsletter(rng) + notifications(rng) + mailing_list() + announcement(rng)
