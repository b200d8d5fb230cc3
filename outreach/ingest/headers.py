"""Header values: RFC 2047 encoded-words and RFC 5322 dates, read leniently.

Real mail mislabels charsets, drops base64 padding and smuggles NUL bytes into
subjects; none of that may reach the store as raw ``=?...?=`` or control
characters.  Dates in the common shape are read directly; the rest go to
``email.utils``' general parser, and an impossible stamp is refused, not rolled over.
"""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta
from email.utils import mktime_tz, parsedate_tz

_COMMON_DATE = re.compile(
    r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})(?!\d)"
)
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
           "nov": 11, "dec": 12}  # fmt: skip
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,80})\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(?<=\?=)[ \t]+(?==\?[^?\s]{1,80}\?[bBqQ]\?)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Labels that mail programs put on text in a wider charset of the same family.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "ks_c_5601-1987": "cp949",
              "euc-kr": "cp949", "shift_jis": "cp932"}  # fmt: skip


def strip_controls(text: str) -> str:
    """Without NUL or other control characters (tab and newline stay)."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded-words leniently: a missing pad, an unknown or mislabelled
    charset or a stray byte costs a replacement character, never the raw ``=?...?=``."""
    if "=?" not in value:
        return value
    value = _BETWEEN_WORDS.sub("", value)  # whitespace between two encoded-words is not text
    return strip_controls(_ENCODED_WORD.sub(_decode_word, value))  # decoded bytes may hold a NUL


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, text = match.groups()
    raw = text.encode("ascii", "replace")
    try:
        if encoding in "bB":
            data = binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
        else:
            data = binascii.a2b_qp(raw, header=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    charset = charset.partition("*")[0]  # an RFC 2231 language suffix
    charset = _SUPERSETS.get(charset.lower(), charset)
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            return data.decode("cp1252", errors="replace")


def parse_date(raw: str) -> datetime | None:
    common = _COMMON_DATE.match(raw)
    if common:  # most mail: "Tue, 3 Mar 2026 10:00:00 +0000", read without email.utils' general parser
        day, month, year, hour, minute, second, sign, tz_hours, tz_minutes = common.groups()
        offset = timedelta(hours=int(tz_hours), minutes=int(tz_minutes))
        try:
            if month.lower() in _MONTHS and 1970 <= int(year) <= 2200:
                local = datetime(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second or 0))
                return (local - offset if sign == "+" else local + offset).replace(tzinfo=UTC)
        except ValueError:  # 30 February, second 60: the general parser decides, as before
            pass
    try:
        parts = parsedate_tz(raw.strip())
        if parts is None:
            return None
        year, month, day, hour, minute, second = parts[:6]
        # parsedate_tz accepts 25:71 and rolls it over; a broken stamp is reported, not reinterpreted.
        if not (1970 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31):
            return None
        if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 60):
            return None
        return datetime.fromtimestamp(mktime_tz(parts), tz=UTC)
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None
