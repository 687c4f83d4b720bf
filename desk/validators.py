"""Input validators for form answers: each returns the normalised value or raises ValidationError.

ValidationError.code is a short stable string the UI maps to a localised message; .params carries
values for that message (limits, lengths).
"""

import re
from collections.abc import Iterable
from datetime import date

import jdatetime

from desk.text import BLANKS, normalize_digits


class ValidationError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_SEPARATORS = re.compile(r"[\s\-_.()]+")


def _digits_only(s: str) -> str:
    return _SEPARATORS.sub("", normalize_digits(s))


def national_id(s: str) -> str:
    """Iranian national code (kod-e melli): 10 digits with a mod-11 check digit."""
    code = _digits_only(s)
    if not code.isdigit() or not 8 <= len(code) <= 10:
        raise ValidationError("national-id-format")
    code = code.zfill(10)
    if len(set(code)) == 1:
        raise ValidationError("national-id-repeated")
    r = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    if int(code[9]) != (r if r < 2 else 11 - r):
        raise ValidationError("national-id-checksum")
    return code


_MOBILE = re.compile(r"(?:\+?(?:00)?98)?0?(9\d{9})")


def mobile(s: str) -> str:
    """Iranian mobile number in any usual spelling -> canonical 09xxxxxxxxx."""
    m = _MOBILE.fullmatch(_digits_only(s))
    if not m:
        raise ValidationError("mobile-format")
    return "0" + m.group(1)


def mobile_from_contact(phone: str) -> str:
    """Number of a shared Telegram/Bale contact (e.g. "989121234567", "+98912...") -> 09xxxxxxxxx.
    A number that is not an Iranian mobile is refused with "mobile-not-iranian"."""
    try:
        return mobile(phone)
    except ValidationError:
        raise ValidationError("mobile-not-iranian") from None


def postal_code(s: str) -> str:
    """Iranian postal code: 10 digits; the first five (area part) never use the digits 0 or 2."""
    code = _digits_only(s)
    if not (code.isdigit() and len(code) == 10):
        raise ValidationError("postal-code-format")
    if any(c in "02" for c in code[:5]) or len(set(code)) == 1:
        raise ValidationError("postal-code-invalid")
    return code


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def number(s: str, min: float | None = None, max: float | None = None, integer: bool = True) -> int | float:
    """A number typed by the user; Persian digits, thousands separators and the Persian decimal
    separator are accepted."""
    text = normalize_digits(s).replace("\u066b", ".").replace("/", ".")
    text = re.sub(r"[\s,\u066c\u060c]", "", text)
    if not _NUMBER.fullmatch(text):
        raise ValidationError("number-format")
    value: int | float = float(text)
    if integer:
        if not float(text).is_integer():
            raise ValidationError("number-not-integer")
        value = int(text.split(".")[0])
    if min is not None and value < min:
        raise ValidationError("number-too-small", min=min)
    if max is not None and value > max:
        raise ValidationError("number-too-large", max=max)
    return value


_JALALI = re.compile(r"(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})")


def jalali_date(s: str, min: date | None = None, max: date | None = None) -> date:
    """A Jalali date such as 1403/5/12 or 1403-05-12 (Persian digits too) -> Gregorian date."""
    m = _JALALI.fullmatch(normalize_digits(s))
    if not m:
        raise ValidationError("date-format")
    try:
        value = jdatetime.date(*map(int, m.groups())).togregorian()
    except ValueError:
        raise ValidationError("date-invalid") from None
    if min is not None and value < min:
        raise ValidationError("date-too-early", min=min)
    if max is not None and value > max:
        raise ValidationError("date-too-late", max=max)
    return value


def _text(s: str, max_len: int) -> str:
    if not s:
        raise ValidationError("empty")
    if len(s) > max_len:
        raise ValidationError("too-long", max=max_len, length=len(s))
    return s


def short_text(s: str, max_len: int) -> str:
    """One line of text: inner whitespace collapsed to single spaces."""
    return _text(" ".join(s.split()).strip(BLANKS), max_len)


def long_text(s: str, max_len: int) -> str:
    """Free text: line breaks kept, surrounding blanks stripped."""
    return _text(s.strip(BLANKS), max_len)


def choice(value: str, options: Iterable[str]) -> str:
    if value not in set(options):
        raise ValidationError("choice-invalid")
    return value


def multi_choice(values: Iterable[str], options: Iterable[str], min: int = 0, max: int | None = None) -> list[str]:
    """Selected option values, de-duplicated, in the order of the options."""
    options = list(options)
    chosen = set(values)
    if not chosen <= set(options):
        raise ValidationError("choice-invalid")
    if len(chosen) < min:
        raise ValidationError("choice-too-few", min=min)
    if max is not None and len(chosen) > max:
        raise ValidationError("choice-too-many", max=max)
    return [o for o in options if o in chosen]
