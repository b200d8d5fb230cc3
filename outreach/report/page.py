"""The report as one self-contained HTML document: inline CSS and SVG, no script, nothing fetched."""

from __future__ import annotations

from collections import Counter
from html import escape

from outreach.network.contacts import ContactSummary, Referral
from outreach.notes.suggest import Suggestion, ago, every
from outreach.report import charts, graph
from outreach.report.gather import BalanceLine, Report
from outreach.report.standing import Standing, due_on, standing

LOSING_TOUCH_ROWS = 30  # due and cold contacts listed by name; the rest are counted
EVIDENCE_ROWS = 40  # the latest acts listed under each balance line

CSS = """
:root{--fine:#2f8f5b;--due:#d08b00;--cold:#c8372d;--ink:#1d232b;--muted:#69727d;--line:#d9dde2}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);max-width:900px;
margin:2em auto;padding:0 1em;background:#fff}
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:2em 0 .4em;border-bottom:1px solid var(--line)}
p.lead,.muted,.summary{color:var(--muted)}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:1px solid var(--line)}tr+tr td{border-top:1px solid #f0f2f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:.8em;color:#fff}
.badge.cold{background:var(--cold)}.badge.due{background:var(--due)}.badge.fine{background:var(--fine)}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg .axis{fill:var(--muted)}svg .tick{stroke:#eceef1}svg .due-line{stroke:var(--due);stroke-dasharray:3 3}
svg .name{fill:var(--ink)}svg .track{stroke-width:2}svg .cold-tick{stroke:var(--cold);stroke-width:1.5}
.contact.fine .dot,.contact.fine .track{fill:var(--fine);stroke:var(--fine)}
.contact.due .dot,.contact.due .track{fill:var(--due);stroke:var(--due)}
.contact.cold .dot,.contact.cold .track{fill:var(--cold);stroke:var(--cold)}
.dot{fill-opacity:.8}.cold-marker{fill:var(--cold);font-weight:700}.due-marker{fill:var(--due);font-weight:700}
svg .due{fill:var(--muted)}
.spark .zero{stroke:var(--line)}.spark .balance{fill:none;stroke:var(--ink);stroke-width:1.5}
.spark .plus{fill:var(--fine)}.spark .minus{fill:var(--cold)}.spark .even{fill:var(--muted)}
details summary{cursor:pointer;color:var(--muted)}details ol{margin:.3em 0;padding-left:1.4em;font-size:.9em}
.referrals rect{fill:#f4f6f8;stroke:#b9c0c8}.referrals text{fill:var(--ink)}
.edge path{fill:none;stroke:#9aa3ad;stroke-width:1.5}.arrowhead{fill:#9aa3ad}
.edge.owed-thanks path{stroke:var(--cold);stroke-dasharray:5 3}.edge.owed-update path{stroke:var(--due);
stroke-dasharray:5 3}.owed-label{font-size:11px;fill:var(--cold)}.owed-update .owed-label{fill:var(--due)}
.note{border:1px solid var(--line);border-radius:6px;padding:.6em 1em;margin:.8em 0}
.note pre{white-space:pre-wrap;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;background:#f7f8fa;
padding:.6em;border-radius:4px}
"""


def render(report: Report, *, notes: bool = True, title: str = "", extra: str = "") -> str:
    """The whole report; ``notes=False`` lists suggestions without their drafts, ``extra`` is HTML
    placed after them (the digest's drafts that need another look)."""
    heading = title or f"Your network on {report.now:%A %d %B %Y}"
    body = [
        f"<h1>{escape(heading)}</h1>",
        _summary(report),
        _glance_section(report.contacts),
        _balance_section(report),
        _referral_section(report.referrals),
        _suggestion_section(report.suggestions, notes),
        extra,
        '<p class="muted">Made by outreach from your own mail; this file fetches nothing and runs no script.</p>',
    ]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(heading)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")  # fmt: skip


def _summary(report: Report) -> str:
    counts = Counter(standing(c) for c in report.contacts)
    owed = sum(1 for r in report.referrals if r.owed)
    return (f'<p class="lead">{len(report.contacts):,} people you really correspond with: '
            f'<span class="badge cold">{counts[Standing.COLD]:,} cold</span> '
            f'<span class="badge due">{counts[Standing.DUE]:,} due</span> '
            f'<span class="badge fine">{counts[Standing.FINE]:,} fine</span>; '
            f"{len(report.referrals):,} introductions, {owed:,} still owed a thank-you or an update; "
            f"{len(report.suggestions)} suggestion(s) this week.</p>")  # fmt: skip


def _glance_section(contacts: list[ContactSummary]) -> str:
    dated = [c for c in contacts if c.days_since is not None]
    out = ["<h2>The network at a glance</h2>",
           '<p class="muted">Your strongest ties, most overdue at the top. A dot is how long since you were last in '
           "touch, measured in that person's own usual gap; bigger dots are stronger ties; the small red tick on "
           "each row is where that tie counts as cold. Hover for the figures.</p>"]  # fmt: skip
    if not dated:
        return "".join(out) + "<p>No contacts yet: run <code>outreach sync</code> first.</p>"
    out.append(charts.glance(contacts))
    rest = dated[charts.GLANCE_ROWS:]
    if rest:
        counts = Counter(standing(c) for c in rest)
        out.append(f'<p class="summary" data-not-drawn="{len(rest)}">And {len(rest):,} weaker ties not drawn: '
                   f"{counts[Standing.COLD]:,} cold, {counts[Standing.DUE]:,} due, {counts[Standing.FINE]:,} fine."
                   "</p>")  # fmt: skip
    out.append(_losing_touch(contacts))
    return "".join(out)


def _losing_touch(contacts: list[ContactSummary]) -> str:
    behind = [c for c in contacts if standing(c) is not Standing.FINE]
    if not behind:
        return "<p>Nobody is overdue.</p>"
    rows = []
    for c in behind[:LOSING_TOUCH_ROWS]:
        state = standing(c).value
        due = due_on(c)
        rows.append(f'<tr class="{state}" data-address="{escape(c.address)}"><td>{escape(charts.label(c))}</td>'
                    f'<td><span class="badge {state}">{state}</span></td>'
                    f"<td>{ago(c.days_since or 0)}</td><td>{every(c.cadence_days)}</td>"
                    f"<td>{due:%Y-%m-%d}</td><td class=num>{c.strength_norm:.2f}</td></tr>")  # fmt: skip
    more = len(behind) - LOSING_TOUCH_ROWS
    tail = f'<p class="summary">And {more:,} more, weaker ties.</p>' if more > 0 else ""
    return ("<h3>Losing touch</h3><table><tr><th>who</th><th></th><th>last in touch</th><th>usually</th>"
            "<th>due on</th><th>strength</th></tr>" + "".join(rows) + "</table>" + tail)  # fmt: skip


def _balance_section(report: Report) -> str:
    out = ["<h2>Balance over time</h2>",
           '<p class="muted">Favours you gave minus favours you asked for or received, act by act, for your '
           "strongest ties with favours on record. Above the line you have given more. Hover a mark or open the "
           "evidence for the sentence behind each step.</p>"]  # fmt: skip
    if not report.balances:
        return "".join(out) + "<p>No favours on record yet.</p>"
    start = min(line.points[0].date for line in report.balances)
    rows = []
    for line in report.balances:
        c = line.contact
        rows.append(f'<tr data-address="{escape(c.address)}"><td>{escape(charts.label(c))}</td>'
                    f"<td>{charts.sparkline(line, start, report.now)}</td>"
                    f"<td class=num>{c.balance:+.1f}</td><td>{_evidence(line)}</td></tr>")  # fmt: skip
    return ("".join(out) + f'<table><tr><th>who</th><th>{start:%Y-%m} → {report.now:%Y-%m}</th><th>now</th>'
            "<th></th></tr>" + "".join(rows) + "</table>")  # fmt: skip


def _evidence(line: BalanceLine) -> str:
    shown = line.points[-EVIDENCE_ROWS:]
    items = "".join(
        f"<li><time>{p.date:%Y-%m-%d}</time> {escape(p.entry.effect)} ({p.entry.weight:+.1f}): "
        f"“{escape(p.entry.act.sentence)}” <span class=muted>[{escape(p.entry.subject)}]</span></li>"
        for p in reversed(shown)
    )
    note = f" (latest {len(shown)} of {len(line.points):,})" if len(shown) < len(line.points) else ""
    return f"<details><summary>{len(line.points)} acts: evidence{note}</summary><ol>{items}</ol></details>"


def _referral_section(referrals: list[Referral]) -> str:
    out = ["<h2>Who introduced whom</h2>",
           '<p class="muted">Each arrow runs from the person who introduced you to the person they introduced. '
           "Red dashes: you have not thanked them yet; amber: you met, but never told them how it went.</p>"]
    if not referrals:
        return "".join(out) + "<p>No introductions on record.</p>"
    out.append(graph.referral_graph(referrals))
    ranked = graph.drawn_referrals(referrals, len(referrals))  # the order the graph picks from
    rest = ranked[graph.GRAPH_EDGES :]
    if rest:
        owed = sum(1 for r in rest if r.owed)
        out.append(f'<p class="summary">And {len(rest):,} older introductions not drawn ({owed:,} still owed).</p>')
    owed_rows = [r for r in ranked if r.owed]
    if owed_rows:
        items = "".join(
            f"<li>{escape(r.referrer_name or r.referrer)} introduced you to {escape(r.person_name or r.person or '')}"
            f"{f' on {r.date:%Y-%m-%d}' if r.date else ''}: <strong>{graph.OWED_LABEL[r.owed]}</strong></li>"
            for r in owed_rows[:LOSING_TOUCH_ROWS]
        )
        out.append(f"<h3>Still owed</h3><ul>{items}</ul>")
    return "".join(out)


def _suggestion_section(suggestions: list[Suggestion], notes: bool) -> str:
    out = ["<h2>This week's suggestions</h2>"]
    if not suggestions:
        return "".join(out) + "<p>No one to reach out to this week.</p>"
    for s in suggestions:
        badges = " ".join(f'<span class="badge {_signal_class(x)}">{escape(x)}</span>' for x in s.signals)
        card = [f'<div class="note" data-address="{escape(s.address)}"><strong>{escape(s.name or s.address)}'
                f"</strong> <span class=muted>&lt;{escape(s.address)}&gt;</span> {badges}<br>{escape(s.reason)}"]
        if notes and s.draft is not None:
            card.append(f"<p><b>Subject:</b> {escape(s.draft.subject)}</p><pre>{escape(s.draft.body)}</pre>")
        elif notes and s.error:
            card.append(f"<p class=muted>No draft: {escape(s.error)}</p>")
        card.append("</div>")
        out.append("".join(card))
    if not notes:
        out.append('<p class="muted">Drafts for these: <code>outreach suggest</code>.</p>')
    return "".join(out)


def _signal_class(signal: str) -> str:
    return {"cold": "cold", "thanks": "cold", "update": "due", "owed": "due"}.get(signal, "fine")
