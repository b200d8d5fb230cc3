"""The template library: loading, metadata, and sandboxed rendering.

A template is a jinja2 file ``<name>.j2`` whose first lines are a jinja
comment holding TOML metadata::

    {#
    name = "congratulations"
    purpose = "Congratulate someone on their news."
    fits = "They announced a new role, a launch or funding."
    subject = "Congratulations on {{ news }}"
    required = ["first_name", "news"]
    optional = ["my_name"]            # or a table of defaults
    [sample]                          # example values, for previews and tests
    first_name = "Sam"
    news = "the new role at Acme"
    #}
    Hi {{ first_name }}, ...

Library templates live in ``templates/`` beside the package; the user's own
directory (``OUTREACH_TEMPLATES_DIR``) overrides them by name.  Rendering uses
the bounded sandbox of ``outreach.notes.sandbox`` with ``StrictUndefined``, so a user
template cannot reach Python internals, cannot take more than its time and size
budget, and a missing variable is an error, never a blank.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaError
from jinja2 import TemplateSyntaxError, UndefinedError, meta
from jinja2.exceptions import SecurityError

from outreach import resources
from outreach.config import templates_dir
from outreach.errors import TemplateError
from outreach.notes import sandbox

SUFFIX = ".j2"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HEADER = re.compile(r"\A\{#-?(.*?)-?#\}[ \t]*\r?\n?", re.S)
# Control characters other than tab; any of them in a header could start a new header line.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One template's metadata and source."""

    name: str
    purpose: str
    fits: str
    subject: str  # jinja source of the subject line
    required: tuple[str, ...]
    optional: dict[str, str]  # variable -> default
    sample: dict[str, str]
    path: Path
    origin: str  # "library" | "user"
    body: str = field(repr=False)
    bcc: str = ""  # jinja source of Bcc addresses (e.g. the introducer), comma-separated
    reply: bool = False  # the note answers the last message in the thread

    @property
    def variables(self) -> tuple[str, ...]:
        return self.required + tuple(self.optional)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A filled-in template: header values are single-line and safe."""

    template: str
    subject: str
    body: str
    bcc: tuple[str, ...] = ()
    reply: bool = False


# -- locating ------------------------------------------------------------------


def library_dir() -> Path:
    """The template library shipped with outreach (templates/ in the repository)."""
    return resources.templates_dir()


def user_dir() -> Path:
    return templates_dir()


def available(user: Path | None = None) -> dict[str, TemplateInfo]:
    """Every template by name, user ones overriding the library; sorted by name."""
    found: dict[str, TemplateInfo] = {}
    for directory, origin in ((library_dir(), "library"), (user or user_dir(), "user")):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob(f"*{SUFFIX}")):
            found[path.stem] = load_file(path, origin)
    return dict(sorted(found.items()))


def load(name: str, user: Path | None = None) -> TemplateInfo:
    """The template called ``name``: the user's file if there is one, else the library's."""
    if not _NAME.match(name):
        raise TemplateError(f"{name!r}: not a template name (lower-case letters, digits, '-' and '_')")
    for directory, origin in ((user or user_dir(), "user"), (library_dir(), "library")):
        path = directory / f"{name}{SUFFIX}"
        if path.is_file():
            return load_file(path, origin)
    known = ", ".join(available(user)) or "none"
    raise TemplateError(f"unknown template {name!r} (available: {known}; see 'outreach templates')")


def load_file(path: Path, origin: str = "user") -> TemplateInfo:
    """Parse one template file; a malformed header is an error naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read template: {exc}") from exc
    return _parse(text, path, origin)


def _parse(text: str, path: Path, origin: str) -> TemplateInfo:
    match = _HEADER.match(text)
    if not match:
        raise TemplateError(f"{path}: missing metadata header (a '{{# ... #}}' comment of TOML on line 1)")
    try:
        meta = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: metadata header: {exc}") from exc
    name = _text(meta, "name", path)
    if name != path.stem:
        raise TemplateError(f"{path}: metadata name {name!r} differs from the file name {path.stem!r}")
    required = meta.get("required", [])
    optional = meta.get("optional", {})
    if isinstance(optional, list):
        optional = dict.fromkeys(optional, "")
    if not (isinstance(required, list) and all(isinstance(v, str) for v in required)):
        raise TemplateError(f"{path}: metadata 'required' must be a list of variable names")
    if not (isinstance(optional, dict) and all(isinstance(v, str) for v in optional.values())):
        raise TemplateError(f"{path}: metadata 'optional' must be a list of names or a table of defaults")
    sample = meta.get("sample", {})
    if not isinstance(sample, dict):
        raise TemplateError(f"{path}: metadata 'sample' must be a table")
    info = TemplateInfo(
        name=name,
        purpose=_text(meta, "purpose", path),
        fits=_text(meta, "fits", path),
        subject=_text(meta, "subject", path),
        required=tuple(required),
        optional=dict(optional),
        sample={str(k): str(v) for k, v in sample.items()},
        path=path,
        origin=origin,
        body=text[match.end() :],
        bcc=str(meta.get("bcc", "")),
        reply=bool(meta.get("reply", False)),
    )
    for source in (info.subject, info.body, info.bcc):
        _compile(info, source)  # syntax errors surface at load, with the file name
    return info


def _text(meta: dict[str, Any], key: str, path: Path) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{path}: metadata needs a non-empty '{key}'")
    return value.strip()


# -- rendering -----------------------------------------------------------------


def render(template: str | TemplateInfo, variables: Mapping[str, object], user: Path | None = None) -> Rendered:
    """Fill a template; every problem is a TemplateError naming the template."""
    info = template if isinstance(template, TemplateInfo) else load(template, user)
    values: dict[str, object] = {**info.optional, **{k: v for k, v in variables.items() if v is not None}}
    missing = [v for v in _referenced(info) if v not in values]
    if missing:
        noun = "variable" if len(missing) == 1 else "variables"
        raise TemplateError(
            f"template {info.name!r} needs {noun} {', '.join(repr(m) for m in missing)}"
            f" (pass --var {missing[0]}=...)"
        )
    subject = safe_header(_run(info, info.subject, values))
    body = _run(info, info.body, values)
    bcc = tuple(a for a in re.split(r"[,\s]+", safe_header(_run(info, info.bcc, values))) if a)
    for address in bcc:
        if address.count("@") != 1 or any(c in address for c in "<>\"()"):
            raise TemplateError(f"template {info.name!r}: Bcc {address!r} is not an email address")
    if not subject:
        raise TemplateError(f"template {info.name!r}: the subject renders empty")
    return Rendered(template=info.name, subject=subject, body=_tidy(body), bcc=bcc, reply=info.reply)


def safe_header(value: object) -> str:
    """One line of text: CR, LF and other control characters become spaces, runs collapse."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def _referenced(info: TemplateInfo) -> list[str]:
    return list(_names(info.subject, info.body, info.bcc))


@lru_cache(maxsize=256)
def _names(*sources: str) -> tuple[str, ...]:
    env = sandbox.environment()
    names: set[str] = set()
    for source in sources:
        names |= meta.find_undeclared_variables(env.parse(source))
    return tuple(sorted(names - set(env.globals)))


def _run(info: TemplateInfo, source: str, values: Mapping[str, object]) -> str:
    try:
        return sandbox.render(_compile(info, source), values)
    except sandbox.BudgetExceeded as exc:
        raise TemplateError(f"template {info.name!r}: stopped: {exc}") from None
    except RecursionError:
        raise TemplateError(f"template {info.name!r}: stopped: a macro calls itself without end") from None
    except MemoryError:
        raise TemplateError(f"template {info.name!r}: stopped: out of memory") from None
    except SecurityError as exc:
        raise TemplateError(f"template {info.name!r}: not allowed in the sandbox: {exc}") from None
    except UndefinedError as exc:
        raise TemplateError(f"template {info.name!r}: {exc}") from None
    except (JinjaError, ArithmeticError, TypeError, ValueError) as exc:
        raise TemplateError(f"template {info.name!r}: cannot render: {exc}") from None


def _compile(info: TemplateInfo, source: str):
    try:
        return _compiled(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{info.path}:{exc.lineno}: template syntax: {exc.message}") from None


@lru_cache(maxsize=256)
def _compiled(source: str):
    """Compiling costs about a millisecond; the same source always compiles the same."""
    return sandbox.environment().from_string(source)


def _tidy(body: str) -> str:
    """Trim trailing spaces and collapse the blank lines that optional blocks leave behind."""
    lines = [line.rstrip() for line in body.strip("\n").splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip() + "\n"
