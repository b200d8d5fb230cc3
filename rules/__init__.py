"""The lint rules and vocabularies, as data; the wheel carries this folder as outreach.rules."""
