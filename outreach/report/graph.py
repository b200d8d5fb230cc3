"""Who introduced whom: the referral graph as inline SVG, layered left to right.

A referrer stands left of the people they introduced; someone who was introduced
and then introduced others stands in a middle column.  Within a column, people
are ordered by where the people who introduced them stand, which keeps most
edges from crossing.  A layered drawing of a few dozen edges needs no graph
layout library.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape

from outreach.network.contacts import Referral
from outreach.report.charts import fit

GRAPH_EDGES = 30  # introductions drawn; the rest are counted
OWED_LABEL = {"thanks": "thank them", "update": "close the loop"}
_BOX_W, _BOX_H, _GAP, _COLUMN = 170, 22, 8, 270


@dataclass(frozen=True, slots=True)
class Node:
    key: str  # the address, or "name:..." for a person known only by name
    label: str


def drawn_referrals(referrals: list[Referral], limit: int = GRAPH_EDGES) -> list[Referral]:
    """The introductions worth drawing: those still owed something first, then the newest."""
    ranked = sorted(referrals, key=lambda r: (r.owed is None, -(r.date.timestamp() if r.date else 0.0)))
    return ranked[:limit]


def referral_graph(referrals: list[Referral], limit: int = GRAPH_EDGES) -> str:
    """The SVG of up to ``limit`` introductions (see ``drawn_referrals``); '' when there are none."""
    edges = drawn_referrals(referrals, limit)
    if not edges:
        return ""
    nodes: dict[str, Node] = {}
    sources: dict[str, list[str]] = defaultdict(list)
    for r in edges:
        a, b = _node(r.referrer, r.referrer_name), _node(r.person, r.person_name)
        nodes.setdefault(a.key, a)
        nodes.setdefault(b.key, b)
        sources[b.key].append(a.key)
    columns = _columns(list(nodes), sources)
    place = _place(columns, sources)
    rows = max(len(c) for c in columns)
    width = 20 + (len(columns) - 1) * _COLUMN + _BOX_W
    height = 16 + rows * (_BOX_H + _GAP)
    out = [f'<svg class="referrals" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="Who introduced you to whom">'
           '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
           'orient="auto"><path d="M0,0L8,4L0,8z" class="arrowhead"/></marker></defs>']  # fmt: skip
    for r in edges:
        out.append(_edge(r, nodes, place))
    for key, (x, y) in place.items():
        node = nodes[key]
        out.append(f'<g class="node" data-key="{escape(key)}"><title>{escape(node.label)}</title>'
                   f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="5"/>'
                   f'<text x="{x + 8}" y="{y + 15}">{escape(fit(node.label, 24))}</text></g>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)


def _node(address: str | None, name: str) -> Node:
    if address:
        return Node(address, name or address)
    return Node(f"name:{name.lower()}", name or "someone")


def _columns(keys: list[str], sources: dict[str, list[str]]) -> list[list[str]]:
    """Nodes by column: 0 for who introduced without being introduced, else one right of their introducers."""
    depth = {key: 0 for key in keys}
    for _ in range(len(keys)):  # longest path, bounded: a cycle of introductions cannot loop forever
        changed = False
        for key, froms in sources.items():
            want = min(max(depth[f] for f in froms) + 1, len(keys))
            if want > depth[key]:
                depth[key] = want
                changed = True
        if not changed:
            break
    used = sorted(set(depth.values()))
    columns: list[list[str]] = [[] for _ in used]
    for key in keys:
        columns[used.index(depth[key])].append(key)
    return columns


def _place(columns: list[list[str]], sources: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Top-left corner of each node's box; columns after the first ordered by their introducers' rows."""
    place: dict[str, tuple[int, int]] = {}
    row: dict[str, float] = {}
    for i, column in enumerate(columns):
        if i:
            column.sort(key=lambda k: sum(row.get(f, 0.0) for f in sources[k]) / max(len(sources[k]), 1))
        for j, key in enumerate(column):
            row[key] = j
            place[key] = (10 + i * _COLUMN, 8 + j * (_BOX_H + _GAP))
    return place


def _edge(r: Referral, nodes: dict[str, Node], place: dict[str, tuple[int, int]]) -> str:
    a, b = _node(r.referrer, r.referrer_name).key, _node(r.person, r.person_name).key
    (ax, ay), (bx, by) = place[a], place[b]
    x1, y1 = ax + _BOX_W, ay + _BOX_H / 2
    x2, y2 = bx - 2, by + _BOX_H / 2
    if bx <= ax:  # an introduction back to an earlier column (a cycle): loop around below
        x1, x2 = ax + _BOX_W / 2, bx + _BOX_W / 2
    bend = max((x2 - x1) / 2, 40)
    owed = r.owed or "done"
    when = f"{r.date:%Y-%m-%d}" if r.date else "undated"
    title = f"{nodes[a].label} introduced you to {nodes[b].label} ({when}): {OWED_LABEL.get(owed, 'nothing owed')}"
    if r.sentence:
        title += f" — “{r.sentence}”"
    tag = ""
    if owed in OWED_LABEL:
        tag = (f'<text class="owed-label" x="{round((x1 + x2) / 2, 1)}" y="{round((y1 + y2) / 2 - 4, 1)}" '
               f'text-anchor="middle">{OWED_LABEL[owed]}</text>')  # fmt: skip
    return (f'<g class="edge owed-{owed}" data-from="{escape(a)}" data-to="{escape(b)}" data-owed="{owed}">'
            f"<title>{escape(title)}</title>"
            f'<path d="M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}" marker-end="url(#arrow)"/>'
            f"{tag}</g>")  # fmt: skip
