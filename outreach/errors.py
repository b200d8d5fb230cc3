"""One family of exceptions: anything the user can fix is an OutreachError.

The CLI prints these as one line and exits with status 2; anything else is a bug.
"""


class OutreachError(Exception):
    """A problem with input, configuration or the environment, stated for the user."""


class ConfigError(OutreachError):
    """A setting is missing or invalid."""


class DataError(OutreachError, ValueError):
    """A bundled or user data file (rules, vocabularies, templates, the sample) is missing or broken.

    Also a ValueError: the loaders of those files have always raised one for a malformed file.
    """


class StoreError(OutreachError):
    """The SQLite store cannot be opened, read or migrated."""


class SourceError(OutreachError):
    """A mail source cannot be read (missing path, login failed, folder missing)."""


class TemplateError(OutreachError):
    """A template is unknown, malformed, misses a variable or breaks the sandbox."""


class DeliveryError(OutreachError):
    """A draft cannot be written, appended to Drafts or sent."""
