"""The bounded jinja2 sandbox templates render in.

jinja2's immutable sandbox keeps a template away from Python internals and from
changing the values it is given.  A template can still ask for a lot of work, so
every render also runs on a budget, and a careless or hostile template ends in
one ``BudgetExceeded`` (a one-line error for the user) instead of a hang, a
traceback or a gigabyte:

* size: no value longer than ``MAX_SIZE`` characters is built.  What could build
  one is checked before the work is done: repetition and powers, widths and counts
  given to filters and string methods (``center``, ``indent``, ``ljust``, ``batch``,
  format widths, ``replace``), the joins behind macro and block output.
* output: rendering streams and stops at ``MAX_SIZE`` characters.
* time: ``TIME_BUDGET`` seconds, looked at on every call, every item of a
  ``range`` and every piece of output; in the main thread an interval timer also
  stops a loop that neither calls nor prints anything.
* recursion: a macro calling itself without end stops at the interpreter's limit.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SIZE = 20_000  # characters of output, or of any value built on the way; a note is far shorter
TIME_BUDGET = 1.0  # seconds; a note renders in about a millisecond
MAX_RANGE = 10_000  # items of one range()


class BudgetExceeded(Exception):
    """A render asked for more than its budget; the message says which part."""


class _Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"takes longer than {TIME_BUDGET:g}s to render")


_current: ContextVar[_Budget | None] = ContextVar("outreach_render_budget", default=None)


def render(template: Any, values: Mapping[str, object]) -> str:
    """Render a compiled sandbox template within the budget; BudgetExceeded when it asks too much."""
    with _bounded():
        size = 0
        pieces = []
        for piece in template.generate(values):
            size += len(piece)
            if size > MAX_SIZE:
                raise BudgetExceeded(f"renders more than {MAX_SIZE} characters")
            _tick()
            pieces.append(piece)
        return "".join(pieces)


@contextmanager
def _bounded() -> Iterator[None]:
    token = _current.set(_Budget(TIME_BUDGET))
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if timer:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, TIME_BUDGET * 1.5)  # a backstop: the ticks normally stop it first
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _current.reset(token)


def _on_alarm(_signum: int, _frame: object) -> None:
    raise BudgetExceeded(f"takes longer than {TIME_BUDGET:g}s to render")


def _tick() -> None:
    budget = _current.get()
    if budget is not None:
        budget.tick()


# -- size checks, made before the work ----------------------------------------------------

# The string methods and filters that take a width or count and build that much.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_COUNT_FILTERS = frozenset({"center", "batch", "slice"})
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}:]*:([^{}]*)\}")
_NESTED_SPEC = re.compile(r"\{[^{}:]*:[^{}]*\{")


def _too_big(n: int) -> bool:
    return n > MAX_SIZE


def _check_ints(what: str, args: tuple, kwargs: Mapping[str, object]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and _too_big(abs(value)):
            raise BudgetExceeded(f"{what}({value}) would build more than {MAX_SIZE} characters")


def _check_percent(fmt: str, args: object) -> None:
    values = args if isinstance(args, tuple) else (args,)
    for width, precision in _PERCENT_WIDTH.findall(fmt):
        for spec in (width, precision):
            if spec.isdigit() and _too_big(int(spec)):
                raise BudgetExceeded(f"format width {spec} is more than {MAX_SIZE} characters")
    if "*" in fmt:
        _check_ints("a '*' width", values, {})


def _check_braces(fmt: str, args: tuple, kwargs: Mapping[str, object]) -> None:
    for spec in _BRACE_SPEC.findall(fmt):
        for number in re.findall(r"\d+", spec):
            if _too_big(int(number)):
                raise BudgetExceeded(f"format width {number} is more than {MAX_SIZE} characters")
    if _NESTED_SPEC.search(fmt):  # a width taken from the arguments: '{:{w}}'
        _check_ints("a nested format width", args, kwargs)


def _check_replace(value: str, old: object, new: object, count: object = -1) -> None:
    if not (isinstance(old, str) and isinstance(new, str)):
        return
    times = value.count(old) if old else len(value) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    if len(value) + times * (len(new) - len(old)) > MAX_SIZE:
        raise BudgetExceeded(f"replace would build more than {MAX_SIZE} characters")


def _check_method(obj: Callable, args: tuple, kwargs: Mapping[str, object]) -> None:
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _WIDTH_METHODS:
        _check_ints(name, args, kwargs)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, *args[:3])


def _guarded_filter(name: str, function: Callable) -> Callable:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if name in _COUNT_FILTERS:
            _check_ints(name, args[1:], kwargs)
        elif name == "indent" and args:
            width = args[1] if len(args) > 1 else kwargs.get("width", 4)
            width = len(width) if isinstance(width, str) else width
            if isinstance(width, int) and _too_big(abs(width) * (str(args[0]).count("\n") + 1)):
                raise BudgetExceeded(f"indent would build more than {MAX_SIZE} characters")
        elif name == "format" and args and isinstance(args[0], str):
            _check_percent(args[0], args[1:] if len(args) > 2 else (args[1] if len(args) > 1 else ()))
            _check_braces(args[0], args[1:], kwargs)
        elif name == "replace" and len(args) >= 3 and isinstance(args[0], str):
            _check_replace(*args[:4])
        return function(*args, **kwargs)

    guarded.__name__ = getattr(function, "__name__", name)
    # keep jinja's way of passing the context / environment to the filters that want it
    for marker in ("jinja_pass_arg",):
        if hasattr(function, marker):
            setattr(guarded, marker, getattr(function, marker))
    return guarded


class _Range:
    """range() of at most MAX_RANGE items, each looking at the clock as it is taken."""

    def __init__(self, *args: int):
        self.numbers = range(*args)
        if len(self.numbers) > MAX_RANGE:
            raise BudgetExceeded(f"range of {len(self.numbers)} items; at most {MAX_RANGE}")

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[int]:
        for number in self.numbers:
            _tick()
            yield number


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and ints and (right > 64 or abs(left).bit_length() * right > 4096):
            raise BudgetExceeded("number too large")
        if operator == "*":
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_SIZE:
                raise BudgetExceeded(f"repetition would build more than {MAX_SIZE} characters")
        if operator == "%" and isinstance(left, str):
            _check_percent(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _tick()
        for value in (*args, *kwargs.values()):  # e.g. a macro doubling its argument at each call
            if isinstance(value, str | list | tuple) and len(value) > MAX_SIZE:
                raise BudgetExceeded(f"a value of more than {MAX_SIZE} characters or items was built")
        _check_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, whose widths are checked before formatting."""
        formatting = super().wrap_str_format(value)
        if formatting is None:
            return None
        fmt = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_braces(fmt, args, kwargs)
            return formatting(*args, **kwargs)

        return checked

    @staticmethod
    def concat(pieces: Any) -> str:  # macro, block and filter-block output is joined here
        out = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_SIZE:
                raise BudgetExceeded(f"renders more than {MAX_SIZE} characters")
            out.append(piece)
        return "".join(out)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The one sandbox: strict about missing variables, no loader, ``range`` the only global."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters = {name: _guarded_filter(name, function) for name, function in env.filters.items()}
    # No loader: include/import/extends cannot read files.  Keep only the harmless global.
    env.globals = {"range": _Range}
    return env
