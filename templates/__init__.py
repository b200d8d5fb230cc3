"""The note template library, as data; the wheel carries this folder as outreach.templates."""
