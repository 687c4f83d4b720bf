"""Text helpers: digit normalisation for input, Persian digits for display, search folding."""

import re

_PERSIAN_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))
_ARABIC_DIGITS = "".join(chr(0x0660 + i) for i in range(10))
_TO_ASCII = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)

# Invisible marks that ride along with pasted numbers: ZWSP, LRM/RLM, bidi embeddings/isolates, BOM.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Characters stripped from both ends (whitespace plus ZWNJ/ZWJ, which are meaningful only inside words).
BLANKS = " \t\r\n\u00a0\u200c\u200d"

# Arabic letter forms folded to their Persian counterparts for matching.
_FOLD = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u0624": "\u0648",  # waw with hamza -> waw
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u200c": " ",  # ZWNJ -> space, so "a\u200cb" and "a b" match
        "\u0640": None,  # tatweel
    }
)
# Bidirectional controls that reorder the text after them (embeddings, overrides, isolates).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
_SPACES = re.compile(r"\s+")


def normalize_digits(s: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; drop invisible marks; strip surrounding blanks."""
    return _INVISIBLE.sub("", s).translate(_TO_ASCII).strip(BLANKS)


def fa_digits(s: object) -> str:
    """ASCII digits to Persian digits, for display in the fa locale."""
    return str(s).translate(_TO_PERSIAN)


def normalize_text(s: str) -> str:
    """Fold text for search matching: Persian letter forms, ASCII digits, no diacritics,
    lower case, single spaces."""
    s = _DIACRITICS.sub("", normalize_digits(s).translate(_FOLD))
    return _SPACES.sub(" ", s).strip().casefold()


def strip_bidi(s: str) -> str:
    """Text without bidirectional controls: a name or an answer cannot reorder what follows it."""
    return _BIDI_CONTROLS.sub("", s)


def isolate(s: str) -> str:
    """Someone's text inside a line, in a direction of its own (first strong letter) that leaves the
    line around it alone: FSI ... PDI, its own stray controls removed."""
    return FSI + strip_bidi(s) + PDI


def ltr(s: str) -> str:
    """A code, an ID, a number, a file name or a command, read left to right inside a Persian line."""
    return LRI + strip_bidi(s) + PDI
