"""Pictures of the network: a self-contained HTML report and the digest's HTML part.

``gather`` reads what the pictures show from the store (through the network and
notes read functions, never SQL), ``charts`` draws them as inline SVG, ``page``
lays out the HTML; ``standing`` (fine / due / cold, and the "due on" date) is
shared with the ``contacts`` table.
"""
