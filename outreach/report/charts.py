"""The network at a glance and balance sparklines, as inline SVG (no script, no fonts fetched).

Hand-written rather than drawn by a chart library: both are a few lines and
circles each, and writing the SVG ourselves keeps every mark addressable for
the tests (``class``/``data-*``) and the hover text in SVG ``<title>``.
"""

from __future__ import annotations

import math
from datetime import datetime
from html import escape

from outreach.network.contacts import ContactSummary
from outreach.report.gather import BalanceLine
from outreach.report.standing import Standing, due_on, overdue_ratio, standing

GLANCE_ROWS = 40  # contacts drawn in the glance chart; the rest are counted, not drawn
_ROW = 20
_TOP = 34
_WIDTH = 780
_LABEL_RIGHT = 190  # names end here
_PLOT_LEFT, _PLOT_RIGHT = 200, 590
_MAX_RATIO = 8.0  # silence beyond 8x the cadence is drawn at the edge
_TICKS = ((0.0, "0"), (0.5, "½×"), (1.0, "due"), (2.0, "2×"), (4.0, "4×"), (8.0, "8×+"))


def label(c: ContactSummary) -> str:
    return c.name or c.address


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def glance(contacts: list[ContactSummary], rows: int = GLANCE_ROWS) -> str:
    """The strongest ``rows`` contacts, most overdue first, each a dot on one row of its own.

    x is the silence as a multiple of the contact's own cadence (so one "due" line
    serves everyone), the dot's size the strength, its colour the standing; the
    small tick on each row is where that contact turns cold.
    """
    drawn = [c for c in contacts if c.days_since is not None][:rows]
    drawn.sort(key=lambda c: (-overdue_ratio(c), -c.strength_norm, c.address))
    height = _TOP + _ROW * len(drawn) + 12
    out = [f'<svg class="glance" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
           f'width="{_WIDTH}" height="{height}" role="img" aria-label="Days since last contact against the '
           f'usual cadence">']  # fmt: skip
    out.append(_axis(height))
    for i, c in enumerate(drawn):
        out.append(_glance_row(c, _TOP + _ROW * i + _ROW // 2))
    out.append("</svg>")
    return "".join(out)


def _x(ratio: float) -> float:
    share = math.log2(1 + min(max(ratio, 0.0), _MAX_RATIO)) / math.log2(1 + _MAX_RATIO)
    return round(_PLOT_LEFT + (_PLOT_RIGHT - _PLOT_LEFT) * share, 1)


def _axis(height: int) -> str:
    parts = []
    for ratio, text in _TICKS:
        x = _x(ratio)
        cls = "tick due-line" if ratio == 1.0 else "tick"
        parts.append(f'<line class="{cls}" x1="{x}" x2="{x}" y1="{_TOP - 8}" y2="{height - 8}"/>'
                     f'<text class="axis" x="{x}" y="{_TOP - 14}" text-anchor="middle">{text}</text>')  # fmt: skip
    parts.append(f'<text class="axis" x="{_LABEL_RIGHT}" y="{_TOP - 14}" text-anchor="end">'
                 f'silence ÷ usual cadence →</text>'
                 f'<text class="axis" x="{_PLOT_RIGHT + 30}" y="{_TOP - 14}">next note due</text>')  # fmt: skip
    return "".join(parts)


def _glance_row(c: ContactSummary, y: int) -> str:
    state = standing(c)
    ratio = overdue_ratio(c)
    x = _x(ratio)
    cold_x = _x(c.cold_after_days / c.cadence_days) if c.cadence_days > 0 else _PLOT_RIGHT
    radius = round(3 + 6 * math.sqrt(max(c.strength_norm, 0.0)), 1)
    due = due_on(c)
    when = f"due {due:%Y-%m-%d}" if due else ""
    marker = {Standing.COLD: '<tspan class="cold-marker">COLD</tspan> ',
              Standing.DUE: '<tspan class="due-marker">due</tspan> '}.get(state, "")  # fmt: skip
    title = (f"{label(c)} <{c.address}>: {c.days_since:.0f} days since last contact, usually every "
             f"{c.cadence_days:.0f} days ({c.cadence_source}); cold after {c.cold_after_days:.0f} days; "
             f"strength {c.strength_norm:.2f}; {state.value}")  # fmt: skip
    return (f'<g class="contact {state.value}" data-address="{escape(c.address)}" data-standing="{state.value}">'
            f"<title>{escape(title)}</title>"
            f'<text class="name" x="{_LABEL_RIGHT}" y="{y + 4}" text-anchor="end">{escape(fit(label(c), 28))}</text>'
            f'<line class="track" x1="{_PLOT_LEFT}" x2="{x}" y1="{y}" y2="{y}"/>'
            f'<line class="cold-tick" x1="{cold_x}" x2="{cold_x}" y1="{y - 5}" y2="{y + 5}"/>'
            f'<circle class="dot" cx="{x}" cy="{y}" r="{radius}"/>'
            f'<text class="due" x="{_PLOT_RIGHT + 30}" y="{y + 4}">{marker}{when}</text></g>')  # fmt: skip


# -- balance over time -------------------------------------------------------------------

SPARK_WIDTH, SPARK_HEIGHT = 260, 40
SPARK_MARKS = 60  # the latest acts get a hoverable mark each; older ones only shape the line


def sparkline(line: BalanceLine, start: datetime, end: datetime) -> str:
    """The running balance as a step line on a time axis shared by every line (``start``..``end``).

    Above the middle line the user has given more than received.  Each of the
    latest acts is a mark whose ``<title>`` is the sentence that shows it.
    """
    span = max((end - start).total_seconds(), 1.0)
    top = max([abs(p.balance) for p in line.points] + [1.0])
    mid = SPARK_HEIGHT / 2

    def xy(when: datetime, balance: float) -> tuple[float, float]:
        x = 2 + (SPARK_WIDTH - 4) * min(max((when - start).total_seconds() / span, 0.0), 1.0)
        return round(x, 1), round(mid - (mid - 4) * balance / top, 1)

    path = [f"M2,{mid}"]
    previous = mid
    for p in line.points:
        x, y = xy(p.date, p.balance)
        path.append(f"L{x},{previous}L{x},{y}")
        previous = y
    path.append(f"L{SPARK_WIDTH - 2},{previous}")
    marks = []
    for p in line.points[-SPARK_MARKS:]:
        x, y = xy(p.date, p.balance)
        sign = "plus" if p.entry.weight > 0 else ("minus" if p.entry.weight < 0 else "even")
        tip = (f"{p.date:%Y-%m-%d} {p.entry.effect} ({p.entry.weight:+.1f}, balance {p.balance:+.1f}): "
               f"“{p.entry.act.sentence}”")
        marks.append(f'<circle class="act {sign}" cx="{x}" cy="{y}" r="2.5"><title>{escape(tip)}</title></circle>')
    return (f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
            f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" data-address="{escape(line.contact.address)}">'
            f'<line class="zero" x1="0" x2="{SPARK_WIDTH}" y1="{mid}" y2="{mid}"/>'
            f'<path class="balance" d="{"".join(path)}"/>{"".join(marks)}</svg>')  # fmt: skip
