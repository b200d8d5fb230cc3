"""Everyday conversations that give each relationship its rhythm.

Each entry is (subject, who starts: "me" or "them", [message texts in turn]).
They carry no asks, gives or thanks on purpose: every act in the sample is planted
explicitly in ``sample_story.py`` so the manifest can list them exactly. The
generator rejects chatter that contains act vocabulary.
"""

from __future__ import annotations

Convo = tuple[str, str, list[str]]

MARGARET: list[Convo] = [
    ("Quarterly planning, round two", "me", [
        "Hi Margaret,\n\nWe finished quarterly planning today. I took your line about saying no to three things "
        "for every yes quite literally and cut the reporting revamp. The team looked relieved, which tells me "
        "something.\n\nHow was Lisbon?",
        "Alex,\n\nLisbon was bright and loud and exactly what I needed. Cutting the revamp was brave; the relief "
        "is the tell. Watch whether anyone quietly starts it again in six weeks.\n\nM",
    ]),
    ("That book on decision journals", "them", [
        "Alex — I finished the decision journal book on the plane. Most of it is padding, but chapter four on "
        "writing down what you expect before you decide is worth the price. I've started doing it for "
        "client calls.",
        "I bought it after you mentioned it at dinner and stalled in chapter two. I'll skip ahead to four. "
        "Writing the expectation down first sounds painfully simple, which probably means I need it.",
        "It is painfully simple. That is the whole trick.",
    ]),
    ("A small win", "me", [
        "Margaret,\n\nThe churn dashboard shipped and the support team used it in their Monday stand-up without "
        "anyone asking them to. First time something I built got adopted without a launch email.\n\nAlex",
        "That is the best kind of launch. Write down what was different this time while you still remember; "
        "you'll want that list later.",
    ]),
    ("Hiring loop", "me", [
        "Hi Margaret,\n\nWe're interviewing for a senior PM and I keep noticing that our loop rewards people who "
        "are good at interviews rather than good at the job. I've started giving candidates a real problem from "
        "last quarter instead of the usual case study. Early days, but the conversations are much better.",
        "Real problems beat invented ones every time. Just make sure the problem isn't one only insiders could "
        "crack. Otherwise you'll hire people who already think like you.",
        "Good point. I'll strip the internal jargon out of it this week.",
    ]),
    ("Re: the offsite", "them", [
        "How did the offsite go? You sounded nervous about the roadmap session.",
        "Better than feared. We spent the first morning on what customers actually complained about last year "
        "and the roadmap almost wrote itself after that. Two arguments, both useful.",
        "Two useful arguments is a good offsite. Zero would have worried me.",
    ]),
    ("Pricing page experiment", "me", [
        "Margaret,\n\nWe ran the pricing page test. Removing the cheapest tier raised average contract size and "
        "didn't dent sign-ups at all. I half expected a riot from sales.",
        "Nobody riots over good news. Keep an eye on the customers who would have picked that tier; some of "
        "them will turn up in support with unhappy questions in a couple of months.",
    ]),
    ("Saw your talk", "me", [
        "Hi Margaret,\n\nSomeone posted the recording of your operators talk. The bit about meetings as a tax on "
        "the people who don't speak in them has been rattling around my head all week.",
        "Ha, that line got me two angry emails and about thirty nods. I'm keeping it.",
    ]),
    ("Board decks", "them", [
        "Alex, one thought after our last chat. Most board decks I see are written to survive the meeting, not "
        "to change anyone's mind. If you end up writing one, start from the decision you want, then work back.",
        "That's a useful way to see it. Our last board deck was forty slides of survival. I'll try it the other "
        "way round next quarter.",
    ]),
    ("Summer", "me", [
        "Margaret,\n\nTaking the last two weeks of July off, fully off, laptop in a drawer. Writing it here so I "
        "can't back out.",
        "Good. I'll hold you to it. Read something with no business lessons in it whatsoever.",
        "A detective novel, then. Three of them.",
    ]),
    ("A question I keep asking myself", "me", [
        "Hi Margaret,\n\nI keep coming back to whether I want to run a product org one day or build something of "
        "my own. I don't need an answer, I'm mostly writing it down because you once told me to say these things "
        "out loud.",
        "Saying it out loud is the first step. The second is noticing which answer you're disappointed by when "
        "you imagine it decided. Sit with that for a month.",
    ]),
    ("First month", "me", [
        "Margaret,\n\nOne month into Fernwood. Eleven clinic interviews, two paying pilots, one very tired founder. "
        "The scheduling pain is even worse than I thought, which is good news in a strange way.",
        "Eleven interviews in a month is a real pace. Keep a list of the phrases clinic owners use for the "
        "problem; those are your marketing copy later.",
    ]),
    ("Co-founder conversations", "me", [
        "Hi Margaret,\n\nHad a long walk with Ines, the engineer I mentioned. We agree on almost everything except "
        "how fast to hire, which seems like the right thing to disagree about early.",
        "It is. Agreeing on everything would have been the warning sign. Write down the hiring disagreement now, "
        "in both your words, and look at it again in six months.",
        "We did exactly that on a napkin. I'll keep the napkin.",
    ]),
    ("Clinic visit", "me", [
        "Spent yesterday at a physio clinic in Evanston watching the front desk juggle three calendars and a "
        "paper diary. Nobody there thinks of it as a software problem; they think of it as Tuesday.",
        "That sentence belongs in your pitch. 'They think of it as Tuesday' is the whole market.",
    ]),
    ("Re: writing weekly updates", "them", [
        "Are you still writing the Friday notes to yourself? I found my old ones from 2012 in a box and they were "
        "more honest than anything I wrote for the board that year.",
        "Still writing them, most weeks. This week's says 'too many meetings, not enough clinics', which is "
        "probably the honest version of every week.",
    ]),
    ("Autumn", "them", [
        "Alex, the leaves are turning here and I'm in that reflective autumn mood. Two years since we started "
        "these notes. You've changed more than you realise.",
        "Two years already. I reread some of my early emails to you last week and winced a little. In a good way, "
        "mostly.",
    ]),
    ("Unit economics, simply", "me", [
        "Hi Margaret,\n\nI rebuilt our unit economics on one page without any of the pitch-deck rounding. "
        "It's less pretty and much more useful. Payback is eleven months, which I can live with for now.",
        "One honest page is worth a whole data room. Eleven months is fine at your stage. Watch it each quarter.",
    ]),
    ("Re: the reading list", "them", [
        "Alex, I'm putting together the winter reading list for my operators group. Anything you read this year "
        "that changed how you work? Fiction counts.",
        "The decision journal book, chapter four only. And a novel about a lighthouse keeper that taught me more "
        "about routines than any productivity book.",
        "The lighthouse keeper goes on the list. Chapter four too, with your caveat.",
    ]),
    ("Fundraising weather", "them", [
        "Alex, the angels I talk to are in a cautious mood this autumn. Lots of 'come back with renewals'. "
        "Not a judgement on you, just the weather.",
        "That matches what I'm hearing. The renewals are coming in, so I'll go back out with those in hand "
        "early next year.",
        "Good plan. Renewals travel further than decks.",
    ]),
    ("Ines", "me", [
        "Margaret,\n\nInes gave her first customer demo on her own today and it went better than mine usually "
        "do. A strange and wonderful feeling.",
        "That's the feeling of a team forming. Enjoy it, and tell her so.",
    ]),
    ("Front desk software, again", "me", [
        "Margaret,\n\nA competitor launched a front-desk app this week that looks a lot like ours. I spent a "
        "grumpy evening on it and then realised their customers are hospitals, not clinics.",
        "Grumpy evenings are allowed, once. Different customers, different product. Keep going.",
    ]),
]

DANIEL: list[Convo] = [
    ("ingest latency", "them", [
        "Alex,\n\nThe nightly ingest crept past four o'clock again. I think it's the new customer with the giant "
        "CSVs, not anything we changed. Going to split their files tomorrow and see.",
        "That would fit. Their account went live the same week. Let me know what the split does.",
        "Split worked. Back under two o'clock. Filing it under boring wins.",
    ]),
    ("Friday demo", "me", [
        "Dan,\n\nI'd like the dashboard filters in the Friday demo if they're in a showable state. No pressure if "
        "not; we can show the export flow instead.",
        "Filters are fine to show as long as nobody clicks the date picker on Safari. I'll drive.",
    ]),
    ("lunch", "them", [
        "Ramen place reopened on Clark. Tomorrow?",
        "Yes. 12:15, before the crowd.",
    ]),
    ("Retro notes", "me", [
        "Hi Dan,\n\nPosted the retro notes. I tried to keep the 'what went badly' list about the process and not "
        "about people, but reread the part about the release freeze and tell me if it stings.",
        "Read it. It's fair. The freeze was a mess and everyone knows it, no point pretending otherwise.",
    ]),
    ("on-call rota", "them", [
        "Heads up: I swapped my on-call week with Tariq so I can be at my sister's wedding. Rota is updated.",
        "Noted, and enjoy the wedding. Is it the one in Milwaukee?",
        "That's the one. Bringing earplugs for the band.",
    ]),
    ("The migration", "me", [
        "Dan,\n\nHow are we looking on the Postgres migration? The sales team keeps asking me about the faster "
        "reports and I'd like to give them a date that isn't a guess.",
        "Realistic answer: end of the month. Optimistic answer: the week after next. I'd say end of the month and "
        "be pleasantly early.",
        "End of the month it is.",
    ]),
    ("that bug", "them", [
        "Found the duplicate-invoice bug. It was the retry loop double-posting when the payment API timed out. "
        "One line. Three weeks. Classic.",
        "One line, three weeks, a very Larkspur ratio. Good find.",
    ]),
    ("Chess", "them", [
        "Rematch this week? I've been studying openings on the train like a lunatic.",
        "You're on. Thursday after the all-hands.",
        "Thursday. Prepare to lose slightly more slowly than usual.",
    ]),
    ("Roadmap draft", "me", [
        "Hi Dan,\n\nShared the draft roadmap with the leads. The big change from last time is that the data "
        "quality work moves up to Q2. I suspect you'll like that part.",
        "I like that part very much. The rest looks sane. The mobile line in Q4 is optimistic, but it's Q4, "
        "nobody believes Q4.",
    ]),
    ("conference", "them", [
        "Got the talk accepted at the data engineering meetup. Fifteen slides on why our pipeline is boring on "
        "purpose.",
        "That's a great topic. Boring on purpose is a rare skill.",
    ]),
    ("Team dinner", "me", [
        "Dan,\n\nBooked the back room at Lula for the team dinner on the 12th. Menu is fixed, vegetarian option "
        "included. Tell people to show up hungry.",
        "Perfect. Tariq will order the octopus regardless of the fixed menu.",
    ]),
    ("flaky tests", "them", [
        "CI has been flaky all week. Turns out two tests share a temp directory and race each other. Fixed, but "
        "I feel like I've aged a year.",
        "Racing temp directories, the oldest story. Glad it's sorted.",
    ]),
    ("Holiday schedule", "me", [
        "Hi Dan,\n\nI'm out from the 22nd to the 2nd. Tariq has the keys to the kingdom while I'm away. Try not "
        "to ship anything exciting.",
        "Nothing exciting. Only the dullest, safest deploys. Have a good break.",
    ]),
    ("metrics review doc", "them", [
        "Wrote up the metrics definitions we argued about in the planning meeting. The active-user definition now "
        "excludes our own staff, which took about a third off the number. Oops.",
        "A third. That's quite the correction. Better we find it than a customer does.",
        "Exactly what I told Olivia.",
    ]),
    ("New standing desk", "them", [
        "Finally got a standing desk. Day one: stood for twenty seconds, sat down, felt guilty.",
        "That's roughly how mine went. It took me a month to stand through a whole meeting.",
    ]),
    ("Q3 numbers", "me", [
        "Dan,\n\nQ3 numbers are in. Retention up two points, mostly from the accounts that adopted the scheduled "
        "exports. Your team's work showed up in the chart, which doesn't happen often for infrastructure.",
        "Ha. Infrastructure showing up in a chart. I'll frame it.",
    ]),
    ("Leaving", "me", [
        "Dan,\n\nBefore the announcement goes out: I'm leaving Larkspur at the end of February to start something "
        "of my own. You're one of the people I wanted to tell myself rather than through Olivia's email.",
        "Wow. I had a feeling. Larkspur is going to be noticeably duller without you, but this is the right call. "
        "Drinks before you go, non-negotiable.",
        "Non-negotiable accepted. Last week of February.",
    ]),
    ("how's the new thing", "them", [
        "So how is life on the other side? Do you miss the Monday metrics meeting yet?",
        "I do not miss the Monday metrics meeting. I miss the people. The new thing is exciting and terrifying "
        "in roughly equal measure.",
    ]),
    ("saw this", "them", [
        "Saw a physio clinic near my place with a handwritten sign saying 'booking system down, call us'. Made me "
        "laugh.",
        "Ha. That sign is basically my business plan. Which clinic?",
        "The one on Damen. Go sell them something.",
    ]),
    ("Reorg", "them", [
        "Larkspur reorg news: data platform is now its own group and I'm in it. Same work, more meetings.",
        "Same work, more meetings, the universal reorg outcome. Does Tariq come with you?",
        "He does. The band stays together.",
    ]),
    ("summer", "them", [
        "Things are busy here. We're shipping the new warehouse in July and I've basically moved into the office. "
        "Let's get a beer when things calm down.",
        "Sounds good. Good luck with the warehouse launch.",
    ]),
]

SAM: list[Convo] = [
    ("this weekend", "them", [
        "Alex! Are you around this weekend? Thinking of doing the lakefront ride if the weather holds.",
        "Around on Sunday. Saturday is my nephew's birthday party, which means an afternoon of bouncy castle.",
        "Sunday it is. Meet at the Fullerton bridge at nine.",
    ]),
    ("podcast rec", "me", [
        "Sam,\n\nStarted the history podcast you mentioned. I'm four episodes into the fall of Constantinople and "
        "can't stop.",
        "Told you. The siege episodes are the best part. Don't skip the one about the chain across the harbour.",
    ]),
    ("Re: the band", "them", [
        "Our band finally has a gig. It's at a bar with a capacity of about forty, so bring everyone you know.",
        "I'm in. Which night? I'll drag my cousin along, she still thinks you can't play.",
        "Friday the 14th. Tell your cousin to prepare to be amazed. Or at least mildly surprised.",
    ]),
    ("running", "me", [
        "Signed up for the half marathon in May. Someone has to stop me from doing this again next year.",
        "I'll stop you next year. This year, I'm signing up too so you're not alone.",
    ]),
    ("moving", "them", [
        "We found an apartment! Two bedrooms, a tiny balcony, and a landlord who answers his phone. Moving on the "
        "first.",
        "A landlord who answers his phone is a unicorn. The balcony sounds lovely too.",
    ]),
    ("Re: trivia night", "them", [
        "Trivia team needs a fourth on Wednesday. The theme is 90s films, which is your entire personality.",
        "You know me too well. I'm in.",
    ]),
    ("Old photos", "me", [
        "Found a box of photos from the Minneapolis trip. You with the terrible goatee features prominently.",
        "That goatee was a phase. A long phase. Burn the photos.",
        "Framing one for your birthday instead.",
    ]),
    ("new job?", "them", [
        "Update: I'm switching teams at work, moving from platform to the payments group. Same company, new "
        "problems.",
        "Payments, brave. Every bug is a customer's money. How do you feel about it?",
        "Excited and a bit scared. Mostly excited.",
    ]),
    ("bike", "me", [
        "Sam,\n\nMy bike finally died. The frame cracked right at the seat post. Any thoughts on where to look for "
        "a used one?",
        "The co-op on Milwaukee Avenue has a good used rack and they don't upsell. Go on a weekday morning.",
    ]),
    ("Re: dinner", "them", [
        "Maya is making her famous lasagne on Saturday. You're invited, and you are not bringing wine from the gas "
        "station this time.",
        "That was one time. I'll bring a proper bottle and a dessert.",
    ]),
    ("startup life", "them", [
        "How's the founder life? You've gone quiet on the group chat, which I'm choosing to read as busy rather "
        "than dead.",
        "Busy, not dead. Two pilots running and I'm learning more about physiotherapy scheduling than any person "
        "should.",
        "Ha. Send a sign of life occasionally.",
    ]),
    ("summer plans", "me", [
        "Any summer plans? I'm trying to pick one week to be properly offline and failing.",
        "We're doing a week in the Upper Peninsula in August. There is no signal there. You could come.",
    ]),
    ("Re: game night", "them", [
        "Game night Thursday. We're playing the one with the trains again, prepare to lose.",
        "I will not lose. I've been practising against the app.",
        "Practising against the app is a confession, not a strategy.",
    ]),
    ("long time", "me", [
        "Sam,\n\nJust realised it's been weeks. Founder brain. How are you, and how is the payments group treating "
        "you?",
        "Good! Payments is intense but I like the people. Let's grab a beer soon, I want the full startup story.",
    ]),
]

HELEN: list[Convo] = [
    ("Catching up", "me", [
        "Hi Helen,\n\nIt's been a while since Brightpath days. I've been at Larkspur for two years now, running "
        "the analytics product. How are things with you?",
        "Alex! Lovely to hear from you. Brightpath is in a busy stretch; we're rebuilding the onboarding flow "
        "for the third time, and this time it's going to stick. Good to hear Larkspur is going well.",
    ]),
    ("Saw your post", "them", [
        "Saw your post about churn dashboards. Clear and to the point. It reminded me of the metrics wiki you "
        "wrote at Brightpath that people still quote.",
        "People still quote that wiki? That's both flattering and slightly alarming, since half of it is wrong "
        "by now.",
    ]),
    ("Re: product leadership dinner", "them", [
        "Are you going to the product leadership dinner next month? It would be nice to see you in person.",
        "I'm planning to. I'll look for you at the bar.",
    ]),
    ("Brightpath onboarding", "them", [
        "Onboarding v3 is out and activation is up eight points. I'm cautiously delighted.",
        "Eight points is a big jump. Cautious delight seems like the right mood.",
    ]),
    ("End of year", "me", [
        "Hi Helen,\n\nEnd of year reflection: the thing I use most from working with you is the habit of writing the "
        "decision before the meeting. Still doing it.",
        "That makes my year. I stole it from someone else, so it's a well-travelled habit.",
    ]),
    ("Spring", "them", [
        "Spring has arrived in the Bay Area, which means three days of sun and then fog for the rest of the year. "
        "How is Chicago?",
        "Still grey, but the lake is thawing. I'll take it.",
    ]),
]

JOSE: list[Convo] = [
    ("Café in Valencia", "them", [
        "Alex,\n\nI'm writing from a café in Valencia where the espresso costs one euro and the Wi-Fi is "
        "optimistic. The studio is busy, mostly packaging work for a brand of olive oil. ¿Y tú?",
        "One-euro espresso sounds like a better office than mine. Larkspur is fine; we're deep in planning "
        "season. Olive oil packaging sounds like a fun change from dashboards.",
        "It is. Dashboards never smell this good.",
    ]),
    ("Type specimen", "them", [
        "Made a small type specimen for a foundry here, all in shades of terracotta. I'm unreasonably proud of it.",
        "It's beautiful. The terracotta on the italic page is lovely.",
    ]),
    ("Re: Lisbon?", "me", [
        "José,\n\nI might be in Lisbon in September for a conference. Any chance you'll be on that side of the "
        "peninsula?",
        "Maybe! I have a client in Porto that month. If the dates line up I'll take the train down.",
    ]),
    ("Año nuevo", "them", [
        "Feliz año, Alex. This year I want fewer clients and better ones. We'll see how long that resolution "
        "survives.",
        "Feliz año. Fewer and better is a good resolution. Mine is to read more fiction, which is easier to keep.",
    ]),
    ("Sketchbook", "me", [
        "José,\n\nI started carrying a sketchbook, inspired by yours. My drawings are terrible but I notice more "
        "on walks.",
        "Terrible drawings are the best kind. Noticing is the whole point, the drawing is just the excuse.",
    ]),
    ("Porto", "them", [
        "Porto was wet and wonderful. The client loved the second round, hated the first, which is the "
        "traditional order.",
        "Second round loved is the best possible outcome. Glad the rain held off for some of it.",
    ]),
    ("Fernwood colours", "me", [
        "José,\n\nWe're living with the logo sketches on the office wall. The green one is winning. My co-founder "
        "says it looks like a calm clinic, which I think is the point.",
        "A calm clinic is exactly the point. Green was my favourite too, ¡qué bien!",
    ]),
    ("verano", "them", [
        "It's 38 degrees here and the studio fan has given up. Working from the beach bar until further notice.",
        "Working from a beach bar is not a hardship story, José.",
        "You're right. Sympathy withdrawn.",
    ]),
]

NINA: list[Convo] = [
    ("London", "me", [
        "Hi Nina,\n\nGood to meet you at the healthtech breakfast. I've been thinking about your point that clinic "
        "software fails at the front desk, not in the back office.",
        "Good to meet you too. It's my favourite hill to die on. Most vendors never sit at a front desk for a "
        "whole day.",
    ]),
    ("Front desk day", "me", [
        "Nina,\n\nI took your challenge and sat at a front desk for a full day. You were right. Nobody there opens "
        "the back-office screen, ever.",
        "Ha, welcome to the club. The receptionists are the real product managers.",
    ]),
    ("Winter", "them", [
        "Grim January in London. Our office heating has two settings, arctic and sauna.",
        "Chicago says hello with minus twenty. I'll trade you arctic for sauna.",
    ]),
    ("Hiring in London", "them", [
        "We're growing the ops team here. It's hard to find people who like both spreadsheets and patients.",
        "That combination is rare. The best one I know moved to Denver last year, sadly.",
    ]),
    ("Autumn check-in", "me", [
        "Hi Nina,\n\nQuick note from this side of the Atlantic. Fernwood's two pilot clinics are live and the front "
        "desk staff, true to your theory, are the ones driving it.",
        "Of course they are. Lovely to hear it's live.",
    ]),
]

CHRIS: list[Convo] = [
    ("fantasy league", "them", [
        "Draft is Sunday. You're picking third, try not to take a kicker in the first round again.",
        "That was a strategy. A bad one, but a strategy.",
    ]),
    ("Denver", "me", [
        "Chris,\n\nHow is Denver treating you? Still hiking every weekend or has the altitude won?",
        "Still hiking. The altitude won for the first month, now I'm smug about it.",
    ]),
    ("Re: that show", "them", [
        "Finished the heist show you mentioned. The finale was ridiculous and I loved all of it.",
        "The finale is ridiculous. The heist in episode six is the real high point.",
    ]),
    ("cabin", "them", [
        "Renting a cabin near Breckenridge in February. Bring skis, or at least a willingness to fall over.",
        "A willingness to fall over I can provide. Count me in for the long weekend.",
        "Long weekend it is.",
    ]),
    ("new place", "them", [
        "Moved into a place with a view of the foothills. The kitchen is the size of a shoebox.",
        "A view beats a kitchen. Mostly. Send a picture.",
    ]),
    ("Re: fantasy league", "me", [
        "Chris,\n\nYou won the league. Insufferable. I demand a rematch next season.",
        "Rematch granted. The trophy stays on my mantel until then.",
    ]),
    ("work stuff", "them", [
        "Work is intense. We're launching the new climbing gym booking system and it's held together with tape.",
        "Booking systems held together with tape, my favourite genre. Good luck with the launch.",
    ]),
    ("spring", "me", [
        "Chris,\n\nFirst warm weekend here. Thinking of you up in the mountains while I walk along a flat lake.",
        "Flat lakes have their charm. Come out in the summer and I'll show you a proper trail.",
    ]),
    ("quick hello", "them", [
        "Quick hello from a very snowy Denver. Work is busy, life is good. Hope the startup is going well.",
        "Hello from a slushy Chicago. The startup is going, which is the most any founder can say.",
    ]),
]

KEVIN: list[Convo] = [
    ("meetup", "them", [
        "Hey Alex, are you going to the product meetup next week? The speaker is the growth lead from that fintech.",
        "I might. Depends on whether the roadmap meeting lets me leave on time.",
    ]),
    ("new course", "them", [
        "Started an online course on product analytics. Lots of SQL. Feeling rusty.",
        "SQL comes back quickly. Good luck with it.",
    ]),
    ("interview update", "them", [
        "Had a final round at a logistics startup today. Felt good but who knows.",
        "Fingers crossed. Final rounds are hard to read.",
    ]),
    ("planner app", "them", [
        "Planner app update: 300 sign-ups on the waitlist. Small but it's something.",
        "Three hundred people on a waitlist is a real start.",
    ]),
]
