"""Tracking codes (kod-e rahgiri): 12 digits = 11 random digits (first non-zero) + a Verhoeff check digit.

Verhoeff catches every single-digit error and every swap of two adjacent digits, so a mistyped code
is rejected before it reaches the database.
"""

import re
import secrets

from desk.text import normalize_digits

LENGTH = 12

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def _checksum(digits: str) -> int:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c


def _check_digit(payload: str) -> str:
    return str(_INV[_checksum(payload + "0")])


def new_code() -> str:
    payload = secrets.choice("123456789") + "".join(secrets.choice("0123456789") for _ in range(LENGTH - 2))
    return payload + _check_digit(payload)


def normalize(code: str) -> str | None:
    """The canonical 12-digit form of a typed code (Persian digits, spaces, dashes allowed), or None."""
    digits = re.sub(r"[\s\-_]+", "", normalize_digits(code))
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit() or digits[0] == "0":
        return None
    return digits if _checksum(digits) == 0 else None


def is_valid(code: str) -> bool:
    return normalize(code) is not None


def format_code(code: str) -> str:
    """Display grouping XXXX-XXXX-XXXX (ASCII digits; pass through fa_digits for the fa locale)."""
    digits = normalize(code) or code
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def looks_like_code(text: str) -> bool:
    """Text that a person meant as a tracking code (right length, digits and separators only),
    whether or not its check digit is right."""
    digits = re.sub(r"[\s\-_]+", "", normalize_digits(text))
    return digits.isascii() and digits.isdigit() and LENGTH - 1 <= len(digits) <= LENGTH + 1
