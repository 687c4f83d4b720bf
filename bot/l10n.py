"""Localisation: fluent bundles from locales/<lang>/*.ftl, Persian digits and Jalali dates on display."""

from __future__ import annotations

import html
import math
import os
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser

from bot.config import ROOT
from desk.calendar import jalali
from desk.text import fa_digits, isolate, ltr, strip_bidi
from desk.tracking import format_code

LANGUAGES = ("fa", "en")
# fluent.runtime replaces a placeable over 2,500 characters with "{???}" (a guard against expansion
# attacks in translations). Arguments this long (someone's long text) are put in after formatting.
LONG_ARGUMENT = 1000
_LTR, _RTL = ("L",), ("R", "AL")


class Safe(str):
    """Text that is already HTML (a rendered fragment): passed to a message unescaped."""


# a message starts a line with its id and "=" (its other lines are indented; terms start with "-")
MESSAGE_ID = re.compile(r"^([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=", re.MULTILINE)


class Strings:
    """One language's FluentBundle, each of its .ftl files parsed when one of its messages is first
    needed: a citizen's /start reads one file of ten, and parsing them all is most of reading a
    language. Which file has a message is read from the starts of its lines, as Fluent writes one;
    with a message in two files (Fluent keeps the first), or one asked for that no file names,
    every file is parsed, in order."""

    def __init__(self, lang: str, files: list[Path]):
        self.bundle = FluentBundle([lang], use_isolating=False)
        self._files = files
        found = [(key, path) for path in files for key in MESSAGE_ID.findall(path.read_text("utf-8"))]
        self._where = {key: path for key, path in reversed(found)}  # the first file's
        if len(self._where) < len(found):  # a message in two files: in order, as Fluent reads them
            self._parse_all()

    def _parse(self, path: Path) -> None:
        parser = FluentParser(with_spans=False)  # positions in the file serve tools, not the bot
        self.bundle.add_resource(parser.parse(path.read_text("utf-8")))
        self._files = [f for f in self._files if f != path]

    def _parse_all(self) -> None:
        for path in list(self._files):
            self._parse(path)

    def has_message(self, key: str) -> bool:
        if key in self._where and self._where[key] in self._files:
            self._parse(self._where[key])
        if self._files and not self.bundle.has_message(key):
            self._parse_all()
        return self.bundle.has_message(key)


class L10n:
    """The strings of one language. `l10n("key", name=...)` gives HTML with every argument
    escaped (user text never breaks a message); `l10n.button(...)` gives plain text."""

    def __init__(self, lang: str, bundle: Strings, fallback: L10n | None = None):
        self.lang = lang
        self._bundle = bundle
        self._fallback = fallback

    def __call__(self, key: str, **args) -> str:
        return self._format(key, {k: self._arg(v, escape=True) for k, v in args.items()})

    def button(self, key: str, **args) -> str:
        return self._format(key, {k: self._arg(v, escape=False) for k, v in args.items()})

    def error(self, exc, **extra) -> str:
        """The localized message of a desk.validators.ValidationError (`error-<code>`)."""
        return self(f"error-{exc.code}", **{**getattr(exc, "params", {}), **extra})

    def has(self, key: str) -> bool:
        return self._bundle.has_message(key)

    def _format(self, key: str, args: dict) -> str:
        if not self._bundle.has_message(key):
            if self._fallback is not None:
                return self._fallback._format(key, args)
            raise KeyError(f"missing locale key {key!r}")
        pattern = self._bundle.bundle.get_message(key).value
        if pattern is None:  # a message with attributes only
            raise KeyError(f"locale key {key!r} has no value")
        long = {k: v for k, v in args.items() if isinstance(v, str) and len(v) > LONG_ARGUMENT}
        if long:
            marker = os.urandom(6).hex()
            args = {**args, **{k: f"\ue000{marker}{k}\ue001" for k in long}}
        value, _errors = self._bundle.bundle.format_pattern(pattern, args)
        value = str(value)
        for k, v in long.items():
            value = value.replace(f"\ue000{marker}{k}\ue001", v)
        return value

    def _arg(self, v, *, escape: bool):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, int):
            return self.num(v)
        if isinstance(v, float):  # a size limit, a mean: in the language's digits too
            if v.is_integer():
                return self.num(int(v))
            if abs(v) < 0.05:  # one decimal would show 0: two significant digits (a 0.01 MB quota)
                places = 1 - math.floor(math.log10(abs(v)))
                return self.digits(f"{v:.{places}f}".rstrip("0").replace(".", self.button("decimal-separator")))
            return self.decimal(v, 1)
        if isinstance(v, (date, datetime)):
            return self.date(v)
        if isinstance(v, Safe):
            return str(v)
        if not escape:  # a button: plain text, without controls that would reorder it
            return strip_bidi(str(v)) if v is not None else ""
        if v is None:
            return ""
        text = html.escape(strip_bidi(str(v)), quote=False)
        return isolate(text) if self._foreign(text) else text

    def _foreign(self, text: str) -> bool:
        """Whether text has letters written the other way than this language's lines (Latin in a
        Persian line, Persian in an English one): then it is isolated, so it cannot reorder the
        line around it (a name before a masked ID, say)."""
        other = _LTR if self.lang == "fa" else _RTL
        return any(unicodedata.bidirectional(ch) in other for ch in text if ch.isalpha())

    # display helpers ---------------------------------------------------------------
    def num(self, n) -> str:
        s = f"{n:,}" if isinstance(n, int) and abs(n) >= 10000 else str(n)
        return self.digits(s.replace(",", self.button("thousands-separator")))

    def decimal(self, x: float, places: int = 1) -> str:
        return self.digits(f"{x:.{places}f}".replace(".", self.button("decimal-separator")))

    def join(self, items) -> str:
        """A list in running text, with the language's separator."""
        return self.button("list-separator").join(items)

    def digits(self, s: str) -> str:
        return fa_digits(s) if self.lang == "fa" else s

    def date(self, d: date | datetime, *, with_time: bool = False) -> str:
        return jalali(d, digits=self.lang if self.lang == "fa" else "en", with_time=with_time)

    def code(self, tracking_code: str) -> str:
        """A tracking code, read left to right in a Persian line."""
        return Safe(ltr(self.digits(format_code(tracking_code))))


class Locales:
    """Every language's strings. The desk's own language is read at start; another one when it is
    first needed (parsing a language's .ftl files takes a few hundred milliseconds, which a bot
    would otherwise spend before its first answer)."""

    def __init__(self, root: Path = ROOT / "locales", default: str = "fa"):
        self.root, self.default = root, default
        self._by_lang: dict[str, L10n] = {}
        self._fallback = L10n(default, self._bundle(default))
        self._by_lang[default] = self._fallback

    def _bundle(self, lang: str) -> Strings:
        return Strings(lang, sorted((self.root / lang).glob("*.ftl")))

    def _load(self, lang: str) -> L10n:
        if lang not in self._by_lang:
            self._by_lang[lang] = L10n(lang, self._bundle(lang), self._fallback)
        return self._by_lang[lang]

    def get(self, lang: str | None) -> L10n:
        return self._load(lang) if lang in LANGUAGES else self._fallback

    def pick(self, chosen: str | None, messenger_language: str | None) -> L10n:
        """The citizen's choice (/lang) first, else English for an English messenger, else Persian."""
        if chosen in LANGUAGES:
            return self._load(chosen)
        if messenger_language and messenger_language.lower().startswith("en"):
            return self._load("en")
        return self._fallback
