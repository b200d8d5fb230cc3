"""The ground truth of the sample mailbox, as JSON for tests and tuning.

Interactions: a message counts between Alex and a person when one of them sent it
and the other is in To/Cc (Bcc in Alex's own copy). Drafts, automated mail and the
46-recipient announcement do not count. Cadence is measured over distinct days
and over conversations (threads), never over messages minutes apart.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from datetime import UTC, datetime

from examples.sample_cast import ME, PEOPLE
from examples.sample_engine import NOW, Mail

REFERRERS = {"priya": "sam", "marcus": "helen"}
# Clear cases only; None = not asserted (balanced or too little history).
OWED = {"helen": True, "sam": True, "priya": True, "kevin": False, "daniel": False, "chris": False,
        "emilie": False}
# None: no decay. A 30-day half-life would rank Priya (eight mails in three weeks) above Margaret.
HALF_LIVES = [60, 90, 180, 365, None]
SENT_WEIGHTS = [1.0, 1.5, 2.0]


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def interactions(mails: list[Mail]) -> dict[str, list[Mail]]:
    by: dict[str, list[Mail]] = {p.key: [] for p in PEOPLE}
    for m in mails:
        if m.folder == "Drafts" or m.automated:
            continue
        if m.sender is ME:
            for p in {id(x): x for x in m.to + m.cc + m.bcc}.values():
                if p.key in by:
                    by[p.key].append(m)
        elif m.sender.key in by and ME in m.to + m.cc:
            by[m.sender.key].append(m)
    return by


def cadence(ms: list[Mail]) -> dict:
    days = sorted({m.utc.date() for m in ms})
    threads: dict[str, datetime] = {}
    for m in ms:
        root = m.references[0] if m.references else (m.in_reply_to or m.msgid)
        threads[root] = min(threads.get(root, m.utc), m.utc)
    starts = sorted(threads.values())
    day_gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    thread_gaps = [(b - a).total_seconds() / 86400 for a, b in zip(starts, starts[1:], strict=False)]
    last = max(m.utc for m in ms)
    since = (NOW - last).total_seconds() / 86400
    day_med = statistics.median(day_gaps) if day_gaps else None
    thr_med = statistics.median(thread_gaps) if thread_gaps else None
    cold = None
    if since <= 7:
        cold = False  # in touch this week, whatever the history
    elif len(starts) >= 5 and day_med and thr_med:
        if since >= 3 * max(day_med, thr_med):
            cold = True
        elif since <= 1.5 * thr_med:
            cold = False
    return {
        "interaction_days": len(days), "conversations": len(starts),
        "median_gap_days_distinct_days": day_med, "median_gap_days_conversations": round(thr_med, 1)
        if thr_med else None, "days_since_last": round(since, 1), "cold": cold,
    }


def reference_strength(ms: list[Mail], half_life: float | None, w_sent: float) -> float:
    total = 0.0
    for m in ms:
        age = (NOW - m.utc).total_seconds() / 86400
        decay = 1.0 if half_life is None else 0.5 ** (age / half_life)
        audience = len(m.to) + len(m.cc) + len(m.bcc)
        total += (w_sent if m.sender is ME else 1.0) * decay / max(1.0, math.log2(audience) + 1 if audience > 1
                                                                    else 1.0)
    return total


def strength(by: dict[str, list[Mail]]) -> dict:
    """Pairs that hold under every reference model (decay half-lives x sent weights)."""
    keys = [k for k, ms in by.items() if ms]
    orders = []
    scores = {}
    for h in HALF_LIVES:
        for w in SENT_WEIGHTS:
            s = {k: reference_strength(by[k], h, w) for k in keys}
            scores[(h, w)] = s
            orders.append(sorted(keys, key=lambda k, s=s: -s[k]))
    pairs = [[a, b] for a in keys for b in keys
             if a != b and all(s[a] > s[b] for s in scores.values())]
    top = {o[0] for o in orders}
    stable_rank = []
    for i, k in enumerate(orders[0]):
        if all(o[i] == k for o in orders):
            stable_rank.append([i + 1, k])
    return {
        "model": "sum over interactions of (sent ? w : 1) * 0.5**(age/half_life) / (1 + log2(recipients)); "
        f"half_life in {HALF_LIVES} days (None = no decay), w in {SENT_WEIGHTS}",
        "top": sorted(top)[0] if len(top) == 1 else None,
        "robust_pairs": sorted(pairs, key=lambda p: (keys.index(p[0]), keys.index(p[1]))),
        "same_rank_in_every_model": stable_rank,
        "order_half_life_90_w1_5": [k for k in sorted(keys, key=lambda k: -scores[(90, 1.5)][k])],
    }


def manifest(mails: list[Mail], special: dict[str, Mail], drafts: list[dict]) -> dict:
    by = interactions(mails)
    acts = []
    for m in mails:
        for a in m.acts:
            if a.counterpart:
                other = a.counterpart
            elif m.sender is ME:
                other = m.to[0].key
            else:
                other = m.sender.key
            assert _norm(a.sentence) in _norm(m.body), (m.subject, a.sentence)
            acts.append({
                "file": m.file, "message_id": m.msgid if m.message_id else None, "date": _iso(m.utc),
                "direction": "sent" if m.sender is ME else "received", "counterpart": other,
                "kind": a.kind, "subtype": a.subtype, "amount": a.amount, "minutes": a.minutes,
                "person": a.person, "referrer": other if a.kind == "introduction" else None,
                "sentence": _norm(a.sentence),
            })
    people = []
    for p in PEOPLE:
        ms = by[p.key]
        entry = {
            "key": p.key, "name": p.name, "address": p.address, "role": p.role, "demonstrates": p.demonstrates,
            "referrer": _addr(REFERRERS.get(p.key)), "owed": OWED.get(p.key),
            "sent_by_alex": sum(1 for m in ms if m.sender is ME),
            "received_from": sum(1 for m in ms if m.sender is not ME),
        }
        if ms:
            entry["first"] = _iso(min(m.utc for m in ms))
            entry["last"] = _iso(max(m.utc for m in ms))
            entry.update(cadence(ms))
        if p.key == "olivia":  # only reached Alex through the 46-recipient announcement
            entry["cold"] = None
        entry["acts"] = dict(sorted(Counter(
            f"{'sent' if a['direction'] == 'sent' else 'received'}:{a['kind']}"
            + (f":{a['subtype']}" if a["subtype"] else "") for a in acts if a["counterpart"] == p.key).items()))
        people.append(entry)

    automated = [m for m in mails if m.automated and m.automated not in ("draft",)]
    folders = Counter(m.folder for m in mails)
    return {
        "generator": "examples/generate_sample.py",
        "now": _iso(NOW),
        "me": {"name": ME.name, "address": ME.address},
        "maildir": "examples/sample-maildir",
        "folders": {"INBOX": "cur/ new/ tmp/ at the root", "Sent": ".Sent", "Drafts": ".Drafts",
                    "Archive": ".Archive"},
        "definitions": __doc__.strip().split("\n\n", 1)[1].replace("\n", " "),
        "counts": {
            "total": len(mails),
            "by_folder": dict(sorted(folders.items())),
            "unread_in_new": sum(1 for m in mails if "/new/" in f"/{m.file}"),
            "person_to_person": sum(1 for m in mails if not m.automated),
            "not_relationship": dict(sorted(Counter(m.automated for m in automated).items())),
            "drafts_folder": folders["Drafts"],
            "acts": len(acts),
            "contacts_expected": sorted(k for k, ms in by.items() if ms and k != "olivia"),
        },
        "people": people,
        "strength": strength({k: v for k, v in by.items()}),
        "cold": sorted(e["key"] for e in people if e.get("cold") is True),
        "not_cold": sorted(e["key"] for e in people if e.get("cold") is False),
        "referrals": [{"introducer": REFERRERS[k], "introduced": k, "thanked_after_introduction":
                       k == "marcus"} for k in sorted(REFERRERS)],
        "acts": acts,
        "not_contacts": _not_contacts(mails),
        "special": {
            "no_date": special["no_date"].file,
            "unparseable_date": special["bad_date"].file,
            "no_message_id": special["no_message_id"].file,
            "html_only": sorted(m.file for m in mails if m.sender.style == "html" or (m.html and not m.body)),
            "base64_text": sorted(m.file for m in mails if m.sender.style == "b64"),
            "rfc2047_display_names": sorted({m.sender.address for m in mails if m.sender.name_encoding}),
            "large_audience": [m.file for m in mails if m.automated and m.automated.startswith("audience")],
            "auto_reply": [m.file for m in mails if m.automated == "auto-submitted"],
            "bcc_in_sent_copy": [m.file for m in mails if m.bcc],
            "drafts_folder_not_interactions": [m.file for m in mails if m.folder == "Drafts"],
            "outlook_style_quote": [m.file for m in mails if m.quote == "outlook" or
                                    (m.sender.style == "html" and m.parent is not None)],
        },
        "drafts": drafts,
    }


def _addr(key: str | None) -> str | None:
    return next((p.address for p in PEOPLE if p.key == key), None) if key else None


def _not_contacts(mails: list[Mail]) -> list[dict]:
    seen: dict[str, str] = {}
    for m in mails:
        if m.automated in ("list", "list-unsubscribe", "no-reply", "role-address", "precedence-bulk"):
            seen.setdefault(m.sender.address, m.automated)
        if m.automated == "to-list":
            for p in m.to:
                seen.setdefault(p.address, "mailing-list address (List-Post)")
        if m.automated and m.automated.startswith("audience"):
            for p in m.to + m.cc:
                if p is not ME:
                    seen.setdefault(p.address, "co-recipient of a 46-recipient announcement")
    return [{"address": a, "why": w} for a, w in sorted(seen.items())]

