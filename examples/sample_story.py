"""The planted storyline of the sample mailbox: every act in it, on purpose.

Each Act's sentence appears verbatim in its message (whitespace aside); the
manifest lists them so tests can expect exactly these and nothing else.
"""

from __future__ import annotations

from examples.sample_cast import (
    CHRIS,
    DANIEL,
    EMILIE,
    HELEN,
    JORDAN,
    JOSE,
    KEVIN,
    MARCUS,
    MARGARET,
    ME,
    NINA,
    PRIYA,
    SAM,
    TOM,
)
from examples.sample_engine import Act, Mail, Person, Thread, local


def M(spec: str, sender: Person, to: list[Person], body: str, **kw) -> Mail:  # noqa: N802 - reads like a table
    return Mail(when=local(spec, sender), sender=sender, to=to, body=body, **kw)


def story() -> list[Thread]:
    return mentor() + colleague() + referral() + helper_and_investor() + asker() + others()


def mentor() -> list[Thread]:
    return [
        Thread(
            "Platform lead or product?",
            M("2025-01-14 08:40", ME, [MARGARET],
              "Hi Margaret,\n\nOlivia floated the idea of me taking over the platform team in addition to the "
              "analytics product. It's more scope and more people, but I'd be further from customers. I'd love "
              "your advice on whether to push for the platform lead role or stay on the product side.\n\n"
              "No rush at all.\n\nAlex",
              acts=[Act("ask", "advice", "I'd love your advice on whether to push for the platform lead role or "
                        "stay on the product side.")]),
            M("2025-01-14 21:05", MARGARET, [ME],
              "Alex,\n\nShort version: stay close to customers unless the platform role comes with a problem you "
              "actually want to solve. Scope for its own sake is a trap. Ask Olivia what would change for "
              "customers if you took it. If she can't answer crisply, you have your answer.\n\nMargaret"),
            M("2025-01-15 07:30", ME, [MARGARET],
              "That question is exactly the one I wasn't asking. I'll put it to her on Thursday."),
        ),
        Thread(
            "An offer, and a decision",
            M("2025-06-10 17:20", ME, [MARGARET],
              "Hi Margaret,\n\nA healthtech company has made me an offer to lead product, and I'm honestly torn. "
              "Would you have 20 minutes for a call next week? I'd like to talk it through before I answer "
              "them on Friday.\n\nAlex",
              acts=[Act("ask", "time", "Would you have 20 minutes for a call next week?", minutes=20)]),
            M("2025-06-10 19:02", MARGARET, [ME],
              "Of course. Tuesday at 4pm your time? I'll call you.\n\nM"),
            M("2025-06-18 09:15", ME, [MARGARET],
              "Margaret,\n\nThank you for the call yesterday. Saying out loud that I'd be joining for the title "
              "and not the problem settled it. I turned the offer down this morning and I feel lighter already."
              "\n\nAlex",
              acts=[Act("thanks", "", "Thank you for the call yesterday.")]),
            M("2025-06-18 12:40", MARGARET, [ME],
              "Lighter is the right feeling. Good decision, well made."),
        ),
        Thread(
            "Pricing essay",
            M("2025-10-07 10:05", ME, [MARGARET],
              "Margaret,\n\nI came across this essay on pricing for vertical software and thought of your "
              "workshop series on it: https://essays.example/pricing-vertical-saas. The section on charging per "
              "location rather than per seat felt like something you'd have opinions about.\n\nAlex",
              acts=[Act("give", "resource", "I came across this essay on pricing for vertical software and "
                        "thought of your workshop series on it: https://essays.example/pricing-vertical-saas.")]),
            M("2025-10-08 08:30", MARGARET, [ME],
              "I have many opinions about it, most of them favourable. I'm going to use the per-location example "
              "in the November session. Thank you for sending it my way.",
              acts=[Act("thanks", "", "Thank you for sending it my way.")]),
        ),
        Thread(
            "News",
            M("2026-02-05 18:45", ME, [MARGARET],
              "Margaret,\n\nI handed in my notice today. I'm leaving Larkspur at the end of the month to start "
              "Fernwood: scheduling software for independent physiotherapy clinics. Ines, the engineer I told "
              "you about, is joining as co-founder.\n\nYou've been part of this decision for a year, so I wanted "
              "you to hear it from me before the announcement.\n\nAlex"),
            M("2026-02-06 07:50", MARGARET, [ME],
              "Alex,\n\nCongratulations. This is the right move, and you are making it for the right reasons. "
              "I'm happy to spend half a day with you and Ines on the go-to-market plan once you've had a few "
              "weeks of customer conversations.\n\nMargaret",
              acts=[Act("give", "congrats", "Congratulations."),
                    Act("give", "offer", "I'm happy to spend half a day with you and Ines on the go-to-market "
                        "plan once you've had a few weeks of customer conversations.", minutes=240)]),
            M("2026-02-06 08:20", ME, [MARGARET],
              "That means a lot. We'll take you up on it in April."),
        ),
        Thread(
            "August",
            M("2026-08-03 09:10", ME, [MARGARET],
              "Hi Margaret,\n\nMid-summer update: both pilot clinics renewed, and we've started charging per "
              "location as the essay suggested. Cash runway is fourteen months.\n\nAlex"),
            Mail(when=local("2026-08-03 09:10", MARGARET).replace(minute=11), sender=MARGARET, to=[ME],
                 subject="Automatic reply: August", quote="none", sig=False,
                 body="I'm away from email until 14 August with limited access. For anything urgent, contact "
                 "office@okafor-advisory.example.",
                 headers=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")],
                 automated="auto-submitted"),
        ),
        Thread(
            "Re: August",
            M("2026-08-17 08:05", MARGARET, [ME],
              "Back from the lake. Fourteen months of runway and renewals on both pilots is a strong summer. "
              "Per-location pricing suits you; it's what clinics already think in.\n\nM"),
        ),
        Thread(
            "Hiring slowly",
            M("2026-11-09 16:30", ME, [MARGARET],
              "Margaret,\n\nThank you for the push on hiring slowly. We held off on the second engineer in "
              "September, and with the Cedar pilot coming I'm very glad we have the runway.\n\nAlex",
              acts=[Act("thanks", "", "Thank you for the push on hiring slowly.")]),
            M("2026-11-12 07:45", MARGARET, [ME],
              "Lovely to hear. Cedar would be a big logo for you. Tell me how the first week goes.\n\nM"),
        ),
    ]


def colleague() -> list[Thread]:
    return [
        Thread(
            "ingestion spec",
            M("2025-03-04 16:10", DANIEL, [ME],
              "Alex,\n\nCould you take a look at the ingestion spec before Thursday? Mostly the section on "
              "retries; I'm not sure the backoff numbers make sense for the big accounts.",
              acts=[Act("ask", "review", "Could you take a look at the ingestion spec before Thursday?")]),
            M("2025-03-05 11:30", ME, [DANIEL],
              "Dan,\n\nLeft comments in the doc. The retry section reads well; I'd cap the backoff at five "
              "attempts for the big accounts, otherwise the nightly window overflows.\n\nAlex"),
            M("2025-03-05 13:02", DANIEL, [ME],
              "Thanks for the comments, they saved me a rewrite. Capping at five.",
              acts=[Act("thanks", "", "Thanks for the comments, they saved me a rewrite.")]),
        ),
        Thread(
            "Staff engineer!",
            M("2025-08-21 09:00", ME, [DANIEL],
              "Dan,\n\nJust saw the announcement. Congratulations on staff engineer, it's long overdue. The "
              "migration alone should have done it.\n\nAlex",
              acts=[Act("give", "congrats", "Congratulations on staff engineer, it's long overdue.")]),
            M("2025-08-21 09:40", DANIEL, [ME],
              "Ha, the migration did most of the talking. See you at the Friday drinks."),
        ),
    ]


def referral() -> list[Thread]:
    intro = M("2026-10-26 10:12", SAM, [ME, PRIYA],
              "Alex, meet Priya. Priya runs operations for Cedar Physio Group, which has four clinics around "
              "Chicago, and she has more opinions about appointment scheduling than anyone I know.\n\n"
              "Priya, meet Alex. Alex left Larkspur this spring to start Fernwood, which builds scheduling for "
              "independent physio clinics. I think you two will get along.\n\nI'll let you take it from here!",
              acts=[Act("introduction", "", "Alex, meet Priya.", person="priya", counterpart="sam")])
    return [
        Thread(
            "Podcast",
            M("2025-05-12 20:15", SAM, [ME],
              "You said you wanted something for the long runs. This episode on how airlines schedule crews is "
              "weirdly relevant to your work: https://podcasts.example/crew-scheduling",
              acts=[Act("give", "resource", "This episode on how airlines schedule crews is weirdly relevant to "
                        "your work: https://podcasts.example/crew-scheduling")]),
            M("2025-05-14 07:10", ME, [SAM],
              "Thanks for the link, I listened on my run this morning. The bit about buffer shifts is going "
              "straight into a planning doc.",
              acts=[Act("thanks", "", "Thanks for the link, I listened on my run this morning.")]),
        ),
        Thread(
            "clinic ops people?",
            M("2026-10-19 19:30", ME, [SAM],
              "Sam,\n\nOdd one: do you know anyone who runs operations at a multi-site physio or clinic group? "
              "I'd love an introduction to someone who lives with scheduling every day.\n\nAlex",
              acts=[Act("ask", "intro", "I'd love an introduction to someone who lives with scheduling every "
                        "day.")]),
            M("2026-10-20 08:05", SAM, [ME],
              "Maybe! My neighbour's sister does something like that. Let me check with her first."),
        ),
        Thread(
            "Alex, meet Priya (Fernwood / Cedar Physio)",
            intro,
            M("2026-10-27 08:30", ME, [PRIYA],
              "Hi Priya,\n\nGreat to e-meet you. Four clinics is exactly the setup I'm trying to understand. "
              "Would you have 30 minutes in the next couple of weeks for a call? I'd love to hear how you "
              "handle scheduling across your sites.\n\nAlex",
              acts=[Act("ask", "time", "Would you have 30 minutes in the next couple of weeks for a call?",
                        minutes=30)]),
            M("2026-10-28 09:20", PRIYA, [ME],
              "Hi Alex,\n\nI'm happy to make 30 minutes for a call. Does Tuesday the 3rd at 11am Eastern suit "
              "you?\n\nPriya",
              acts=[Act("give", "offer", "I'm happy to make 30 minutes for a call.", minutes=30)]),
            M("2026-10-28 10:05", ME, [PRIYA],
              "Tuesday at 11 Eastern is perfect. I'll send a calendar invite."),
        ),
        Thread(
            "Our call",
            M("2026-11-04 08:50", ME, [PRIYA],
              "Priya,\n\nThank you for the time yesterday. The way your front desk staff keep a paper overflow "
              "list for cancellations was the most useful thing I've heard in a month.\n\nAlex",
              acts=[Act("thanks", "", "Thank you for the time yesterday.")]),
            M("2026-11-05 14:10", PRIYA, [ME],
              "Alex,\n\nGood talking to you. As promised, here's the intake checklist we use across our four "
              "sites: https://docs.example/cedar-intake-checklist. Page two is the cancellation process.\n\n"
              "Priya",
              acts=[Act("give", "resource", "As promised, here's the intake checklist we use across our four "
                        "sites: https://docs.example/cedar-intake-checklist.")]),
            M("2026-11-06 09:00", ME, [PRIYA],
              "Page two is gold. I'm going to walk Ines through it this afternoon."),
        ),
        Thread(
            "Pilot in January?",
            M("2026-11-13 15:40", PRIYA, [ME],
              "Alex,\n\nGood news: our regional director wants to try Fernwood at two sites in January. She'll "
              "want to see a short pilot plan first.\n\nPriya"),
            M("2026-11-14 08:15", ME, [PRIYA],
              "That is wonderful news. I'll put together a one-page pilot plan and send it over by Wednesday."),
        ),
    ]


def helper_and_investor() -> list[Thread]:
    helen_intro = M("2026-04-08 13:25", HELEN, [ME, MARCUS],
                    "Alex, meet Marcus. Marcus is a partner at Northbeam Angels and has backed several clinic "
                    "software companies.\n\nMarcus, meet Alex. Alex worked with me at Brightpath and has just "
                    "started Fernwood. I think it's worth twenty minutes of your time.\n\nHelen",
                    acts=[Act("introduction", "", "Alex, meet Marcus.", person="marcus", counterpart="helen")])
    return [
        Thread(
            "Pitch deck",
            M("2026-01-12 21:00", ME, [HELEN],
              "Hi Helen,\n\nI'm about to start raising for Fernwood. Could you look over our pitch deck before "
              "I start sending it to angels? It's twelve slides, and I suspect slide four is doing too much.\n\n"
              "Alex",
              acts=[Act("ask", "review", "Could you look over our pitch deck before I start sending it to "
                        "angels?")]),
            M("2026-01-14 08:30", HELEN, [ME],
              "Send it over, I'll go through it this weekend.",
              acts=[Act("give", "offer", "Send it over, I'll go through it this weekend.")]),
            M("2026-01-19 07:40", HELEN, [ME],
              "Alex,\n\nHere are my notes on the deck, slide by slide.\n\n"
              "- Slide 2: lead with the clinic owner's Tuesday, not the market size.\n"
              "- Slide 4: you're right, split it. Problem on one, workflow on the other.\n"
              "- Slide 7: the pricing table needs one example clinic with real numbers.\n"
              "- Slide 11: cut the logo wall, you don't need it yet.\n\n"
              "It's a strong deck. Slide 4 was the only real problem.",
              acts=[Act("give", "resource", "Here are my notes on the deck, slide by slide.")]),
            M("2026-01-20 06:55", ME, [HELEN],
              "Helen,\n\nThank you, these notes are gold. Splitting slide four fixed the whole middle of the "
              "story.\n\nAlex",
              acts=[Act("thanks", "", "Thank you, these notes are gold.")]),
        ),
        Thread(
            "Healthcare angels",
            M("2026-04-06 17:35", ME, [HELEN],
              "Hi Helen,\n\nThe round is about half committed. Do you know any angels who've backed healthcare "
              "tools? An introduction would mean a lot.\n\nAlex",
              acts=[Act("ask", "intro", "Do you know any angels who've backed healthcare tools?")]),
            M("2026-04-07 09:10", HELEN, [ME], "One comes to mind. Give me a day."),
        ),
        Thread(
            "Alex, meet Marcus",
            helen_intro,
            M("2026-04-09 08:05", ME, [MARCUS], bcc=[HELEN], body=(
                "Thanks, Helen (moving you to Bcc)!\n\nMarcus, great to meet you. I'd love to tell you about "
                "Fernwood. Is there a good time for a short call in the next two weeks?\n\nAlex"),
              acts=[Act("thanks", "", "Thanks, Helen (moving you to Bcc)!", counterpart="helen")]),
            M("2026-04-10 16:45", MARCUS, [ME],
              "Good to meet you, Alex. Send me the deck and your round details first, and we'll go from there."),
            M("2026-04-20 10:30", ME, [MARCUS],
              "Marcus,\n\nDeck attached as a link: https://fernwood.example/deck. We're raising a $600,000 "
              "pre-seed round, and about half is committed. Would you consider investing $25,000? Separately, "
              "could you spare half a day in May to run a pricing workshop with our team? Your clinic "
              "portfolio would save us months.\n\nAlex",
              acts=[Act("ask", "money", "Would you consider investing $25,000?", amount=25000),
                    Act("ask", "time", "Separately, could you spare half a day in May to run a pricing "
                        "workshop with our team?", minutes=240)]),
            M("2026-04-28 18:20", MARCUS, [ME],
              "Alex,\n\nI'm going to pass on investing at this stage; I'd want to see the pilots renew first. "
              "I can't do a half-day workshop either, but I'm glad to do a 30-minute call on pricing in June.",
              acts=[Act("give", "offer", "I can't do a half-day workshop either, but I'm glad to do a "
                        "30-minute call on pricing in June.", minutes=30)]),
            M("2026-04-29 07:30", ME, [MARCUS],
              "Thank you for the quick and honest answer. I'll write again when the pilots renew.",
              acts=[Act("thanks", "", "Thank you for the quick and honest answer.")]),
        ),
        Thread(
            "Marcus",
            M("2026-04-09 08:10", ME, [HELEN],
              "Helen,\n\nThank you for connecting me with Marcus. I owe you one, and I'll tell you how it "
              "goes.\n\nAlex",
              acts=[Act("thanks", "", "Thank you for connecting me with Marcus.")]),
        ),
        Thread(
            "Marcus update",
            M("2026-07-06 12:00", ME, [HELEN],
              "Hi Helen,\n\nQuick update: Marcus passed for now and wants to see renewals first. Both pilots "
              "renewed last week, so I'll go back to him in the autumn.\n\nAlex"),
            M("2026-07-07 08:15", HELEN, [ME],
              "That's the right order of things. Renewals are a better pitch than any deck."),
        ),
        Thread(
            "How's the pilot?",
            M("2026-10-20 19:05", HELEN, [ME],
              "Alex, how are the clinics doing? I've been telling people about Fernwood at every product dinner."),
            M("2026-10-21 07:20", ME, [HELEN],
              "Helen, the clinics are doing well and we're talking to a four-site group next week. I'll send a "
              "proper update soon."),
        ),
    ]


def asker() -> list[Thread]:
    return [
        Thread(
            "coffee?",
            M("2025-01-22 12:30", KEVIN, [ME],
              "Hey Alex, we met at the product meetup last week. Could I buy you a coffee and pick your brain for "
              "30 minutes about moving into product?",
              acts=[Act("ask", "time", "Could I buy you a coffee and pick your brain for 30 minutes about "
                        "moving into product?", minutes=30)]),
            M("2025-01-24 18:00", ME, [KEVIN],
              "Hi Kevin,\n\nSure, happy to give you 30 minutes. Does Thursday at 8:30 at the Dollop on Clark "
              "work?\n\nAlex",
              acts=[Act("give", "offer", "Sure, happy to give you 30 minutes.", minutes=30)]),
            M("2025-01-24 18:20", KEVIN, [ME], "Works. See you there."),
        ),
        Thread(
            "resume",
            M("2025-05-06 22:10", KEVIN, [ME],
              "Alex, would you mind looking at my resume? I'm applying to a few PM roles and I think it reads "
              "like an engineer's.",
              acts=[Act("ask", "review", "Alex, would you mind looking at my resume?")]),
            M("2025-05-09 20:30", ME, [KEVIN],
              "Kevin,\n\nI've gone through it, notes below.\n\n- Lead each role with the outcome, then the how.\n"
              "- Cut the tools list in half.\n- The side project deserves its own section.\n\nAlex",
              acts=[Act("give", "offer", "I've gone through it, notes below.")]),
            M("2025-05-10 09:15", KEVIN, [ME],
              "Thanks, this is really helpful. Rewriting tonight.",
              acts=[Act("thanks", "", "Thanks, this is really helpful.")]),
        ),
        Thread(
            "data team at Larkspur",
            M("2025-09-02 13:40", KEVIN, [ME],
              "Could you introduce me to someone on the data team at Larkspur? I'm curious what the work is like "
              "before I apply.",
              acts=[Act("ask", "intro", "Could you introduce me to someone on the data team at Larkspur?")]),
        ),
        Thread(
            "Kevin <> Daniel",
            M("2025-09-04 09:30", ME, [KEVIN, DANIEL],
              "Kevin, meet Daniel. Dan is a senior engineer on our data platform and the person I'd ask about "
              "what the work is really like.\n\nDan, meet Kevin. Kevin is moving from engineering into product "
              "and is thinking about applying to the data team.\n\nI'll leave you two to it.\n\nAlex",
              acts=[Act("give", "intro", "Kevin, meet Daniel.", person="daniel", counterpart="kevin")]),
            M("2025-09-05 10:15", DANIEL, [KEVIN], cc=[ME], body=(
                "Nice to meet you, Kevin. I'm free Tuesday or Wednesday afternoon; pick one.")),
        ),
        Thread(
            "Kickstarter!",
            M("2026-01-27 11:00", KEVIN, [ME],
              "Alex! I launched a Kickstarter for my planner app. Would you back it at the $100 tier? Every "
              "backer counts in the first 48 hours.",
              acts=[Act("ask", "money", "Would you back it at the $100 tier?", amount=100)]),
            M("2026-01-29 20:10", ME, [KEVIN], "Good luck with the launch, Kevin!"),
        ),
        Thread(
            "landing page",
            M("2026-06-16 15:25", KEVIN, [ME],
              "Can you give me feedback on my new landing page? https://planner.example",
              acts=[Act("ask", "review", "Can you give me feedback on my new landing page?")]),
            M("2026-06-22 21:00", ME, [KEVIN],
              "A few quick notes: the headline says what it is but not who it's for, and the sign-up button is "
              "below the fold on a laptop."),
        ),
        Thread(
            "PM roles",
            M("2026-09-08 10:05", KEVIN, [ME],
              "Still looking. If you hear of any product roles at early-stage companies, could you send them my "
              "way?",
              acts=[Act("ask", "job", "If you hear of any product roles at early-stage companies, could you "
                        "send them my way?")]),
            M("2026-09-10 19:40", ME, [KEVIN], "Will do."),
        ),
        Thread(
            "Cedar Physio",
            M("2026-11-12 13:15", KEVIN, [ME],
              "Saw on LinkedIn you're working with Cedar Physio. Would you introduce me to Priya? I'd love to "
              "pitch my planner to their staff.",
              acts=[Act("ask", "intro", "Would you introduce me to Priya?", person="priya")]),
        ),
    ]


def others() -> list[Thread]:
    return [
        # José: a give-offer, a new role, congratulations and thanks
        Thread(
            "Logo for Fernwood?",
            M("2026-03-03 18:00", JOSE, [ME],
              "Alex,\n\nA little bird told me you've started your own company. I'd be glad to sketch a few logo "
              "ideas for Fernwood, no charge. Consider it a housewarming present.\n\nJosé",
              acts=[Act("give", "offer", "I'd be glad to sketch a few logo ideas for Fernwood, no charge.")]),
            M("2026-03-04 07:45", ME, [JOSE],
              "José, thank you, that is incredibly generous. Ines and I would love that.",
              acts=[Act("thanks", "", "José, thank you, that is incredibly generous.")]),
        ),
        Thread(
            "¡Nuevo trabajo!",
            M("2026-10-02 17:30", JOSE, [ME],
              "Alex,\n\nNews: I'm closing the studio for a while. I've accepted the Head of Design role at "
              "Quillworks in Madrid. Starting in November. A little scared, mostly excited.\n\nJosé"),
            M("2026-10-03 08:10", ME, [JOSE],
              "José,\n\nCongratulations on the Quillworks role! They're lucky to have you, and Madrid is "
              "lucky to have you back.\n\nAlex",
              acts=[Act("give", "congrats", "Congratulations on the Quillworks role!")]),
            M("2026-10-04 10:00", JOSE, [ME],
              "¡Gracias! Thank you, really. Come visit when you're in Europe.",
              acts=[Act("thanks", "", "Thank you, really.")]),
        ),
        # Nina: congratulations both ways; "$40 million" is news, not an ask
        Thread(
            "Series B!",
            M("2025-06-24 08:00", ME, [NINA],
              "Nina,\n\nI saw Halcyon raised $40 million. Congratulations on the Series B, you've earned every "
              "dollar of it.\n\nAlex",
              acts=[Act("give", "congrats", "Congratulations on the Series B, you've earned every dollar of "
                        "it.")]),
            M("2025-06-24 16:30", NINA, [ME],
              "Thank you, Alex! It's been a long road. Champagne for about a day, then back to work.",
              acts=[Act("thanks", "", "Thank you, Alex!")]),
        ),
        Thread(
            "Fernwood!",
            M("2026-03-10 12:00", NINA, [ME],
              "Alex, just saw the news about Fernwood. Congratulations! Front desks everywhere are about to "
              "get a friend.",
              acts=[Act("give", "congrats", "Congratulations!")]),
            M("2026-03-10 14:20", ME, [NINA],
              "Thank you, Nina! Your front-desk theory is basically our product strategy.",
              acts=[Act("thanks", "", "Thank you, Nina!")]),
        ),
        # Chris: Alex shares an article; Chris thanks
        Thread(
            "thought of you",
            M("2025-10-14 20:00", ME, [CHRIS],
              "Chris,\n\nSaw this piece about how climbing gyms handle peak-hour bookings and thought of you: "
              "https://news.example/climbing-gym-bookings. The bit about waitlists is clever.\n\nAlex",
              acts=[Act("give", "resource", "Saw this piece about how climbing gyms handle peak-hour bookings "
                        "and thought of you: https://news.example/climbing-gym-bookings.")]),
            M("2025-10-15 21:30", CHRIS, [ME],
              "Thanks for sending this, it's exactly the problem we have. Forwarded it to the whole team.",
              acts=[Act("thanks", "", "Thanks for sending this, it's exactly the problem we have.")]),
        ),
        # Émilie: a 45-minute talk, then thanks (HTML-only, Outlook-style quoting)
        Thread(
            "Speaking at Clinic Ops Summit 2026",
            M("2026-05-12 10:15", EMILIE, [ME],
              "Dear Alex,\n\nI'm the programme chair of Clinic Ops Summit, which takes place in Chicago on "
              "17 September. Would you be willing to give a 45-minute talk at Clinic Ops Summit on what you "
              "learned sitting at clinic front desks?\n\nKind regards,\nÉmilie",
              acts=[Act("ask", "time", "Would you be willing to give a 45-minute talk at Clinic Ops Summit on "
                        "what you learned sitting at clinic front desks?", minutes=45)]),
            M("2026-05-13 08:00", ME, [EMILIE],
              "Dear Émilie,\n\nI'd be glad to give the 45-minute talk. It's a topic I could go on about for "
              "far longer, so the limit will be good for me.\n\nAlex",
              acts=[Act("give", "offer", "I'd be glad to give the 45-minute talk.", minutes=45)]),
            M("2026-05-20 14:30", EMILIE, [ME],
              "Wonderful. I'll send the speaker pack in July. Slides are due on 1 September.\n\nÉmilie"),
        ),
        Thread(
            "Speaker pack",
            M("2026-07-15 11:00", EMILIE, [ME],
              "Dear Alex,\n\nThe speaker pack is now on the summit site under your name. Your slot is at "
              "14:15 in the main room.\n\nÉmilie"),
            M("2026-07-16 09:30", ME, [EMILIE], "Got it, 14:15 in the main room. See you in September."),
        ),
        Thread(
            "After the summit",
            M("2026-09-21 09:45", EMILIE, [ME],
              "Dear Alex,\n\nThank you for your talk on Thursday. The feedback forms put it in the top three of "
              "the day, and several clinic managers asked me for your slides.\n\nWarm regards,\nÉmilie",
              acts=[Act("thanks", "", "Thank you for your talk on Thursday.")]),
            M("2026-09-22 08:20", ME, [EMILIE],
              "Émilie, that's lovely to hear. I'll send the slides over today."),
        ),
        # Jordan: recruiter, mostly one-way
        Thread(
            "Director of Product opportunity",
            M("2025-03-11 09:00", JORDAN, [ME],
              "Hi Alex,\n\nI'm working with a Series B healthtech company that's hiring a Director of Product, "
              "and your background at Larkspur stood out. Do you have 15 minutes this week for a quick call?\n\n"
              "Best,\nJordan",
              acts=[Act("ask", "time", "Do you have 15 minutes this week for a quick call?", minutes=15)]),
            M("2025-03-18 09:00", JORDAN, [ME],
              "Hi Alex, just bumping this to the top of your inbox in case it got buried.\n\nJordan"),
        ),
        Thread(
            "Head of Product, Series A",
            M("2025-07-08 10:30", JORDAN, [ME],
              "Hi Alex,\n\nAnother role that made me think of you: Head of Product at a Series A scheduling "
              "startup in Austin. Remote-friendly, strong founders.\n\nJordan"),
            M("2025-07-09 20:00", ME, [JORDAN],
              "Hi Jordan,\n\nI'm not looking right now, but I'll keep you in mind if that changes.\n\nAlex",
              quote="outlook"),
        ),
        Thread(
            "Checking in",
            M("2025-11-18 09:15", JORDAN, [ME],
              "Hi Alex,\n\nChecking in before the end of the year. The market for product leaders is picking up "
              "again, and I have a few confidential searches open.\n\nJordan"),
        ),
        Thread(
            "Hiring at Fernwood?",
            M("2026-05-26 10:00", JORDAN, [ME],
              "Hi Alex,\n\nSaw you started Fernwood, exciting. When you're ready to make your first product or "
              "engineering hires, TalentBridge specialises in early-stage healthtech.\n\nJordan"),
        ),
        # Tom: met once
        Thread(
            "Good to meet you at Health Tech Forum",
            M("2025-03-27 18:30", ME, [TOM],
              "Hi Tom,\n\nGood to meet you at the Health Tech Forum reception. I enjoyed your point about clinic "
              "software being bought by the person who hates it least.\n\nAlex"),
            M("2025-03-31 11:00", TOM, [ME],
              "Likewise, Alex. It was a fun conversation. Safe travels back to Chicago."),
        ),
    ]
