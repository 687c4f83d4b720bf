"""A language's strings are read file by file, when first needed (bot/l10n.py `Strings`), and say
exactly what the whole language read at once says."""

from __future__ import annotations

from pathlib import Path

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser

from bot.config import ROOT
from bot.l10n import LANGUAGES, MESSAGE_ID, Locales, Strings


def _files(lang: str) -> list[Path]:
    return sorted((ROOT / "locales" / lang).glob("*.ftl"))


def test_a_language_is_read_one_file_at_a_time():
    locales = Locales()
    strings = locales.get("fa")._bundle
    assert len(strings._files) == len(_files("fa"))  # nothing parsed at start
    assert locales.get("fa").button("cmd-start")
    left = [p.name for p in strings._files]
    assert "commands.ftl" not in left and len(left) == len(_files("fa")) - 1


def test_every_message_reads_as_the_whole_language_read_at_once():
    for lang in LANGUAGES:
        whole = FluentBundle([lang], use_isolating=False)
        keys: list[str] = []
        for path in _files(lang):
            text = path.read_text("utf-8")
            whole.add_resource(FluentParser().parse(text))
            keys += MESSAGE_ID.findall(text)
        assert len(keys) > 300 and len(set(keys)) == len(keys)  # no message in two files
        one_by_one = Strings(lang, _files(lang))
        for key in keys:
            assert one_by_one.has_message(key), key
            expected = whole.format_pattern(whole.get_message(key).value, {})
            assert one_by_one.bundle.format_pattern(one_by_one.bundle.get_message(key).value, {}) == expected, key
        assert not one_by_one.has_message("no-such-message") and not one_by_one._files


def test_a_message_in_two_files_is_the_first_files_as_fluent_reads_them(tmp_path):
    (tmp_path / "a.ftl").write_text("twice = from a\n", "utf-8")
    (tmp_path / "b.ftl").write_text("only-b = b\ntwice = from b\n", "utf-8")
    strings = Strings("en", sorted(tmp_path.glob("*.ftl")))
    assert strings.has_message("only-b")
    value, _ = strings.bundle.format_pattern(strings.bundle.get_message("twice").value, {})
    assert value == "from a"
