"""PNG charts for /chart (matplotlib, headless), with Persian labels drawn correctly.

Matplotlib 3.11+ lays text out itself (libraqm: letter joining and right-to-left order), so labels
are passed as they are; before 3.11 they are shaped with arabic_reshaper and put in visual order
with python-bidi (doing both would reverse them). The font must have Arabic-script glyphs:
DejaVu Sans does (bundled with matplotlib); Vazirmatn (`apt-get install fonts-vazirmatn` where the
distribution has it) is preferred when installed."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import arabic_reshaper
from bidi.algorithm import get_display
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from desk.text import fa_digits

FONTS = ["Vazirmatn", "Vazir", "DejaVu Sans"]
LAYS_OUT_RTL = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 11)


def _font() -> str:
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in FONTS if name in available), "DejaVu Sans")


def shape(text: str, lang: str = "fa") -> str:
    """Text as matplotlib must draw it: joined letter forms, right-to-left runs in visual order."""
    if lang != "fa":
        return text
    text = fa_digits(text)
    return text if LAYS_OUT_RTL else get_display(arabic_reshaper.reshape(text))


def _figure(title: str, lang: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.add_subplot()
    ax.set_title(shape(title, lang), fontfamily=_font(), fontsize=14)
    return fig, ax


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _ticks(ax, labels: list[str], lang: str, *, axis: str = "x") -> None:
    shaped = [shape(label, lang) for label in labels]
    (ax.set_xticks if axis == "x" else ax.set_yticks)(range(len(labels)), shaped, fontfamily=_font())


def bar_chart(
    title: str,
    labels: list[str],
    values: list[float],
    *,
    xlabel: str = "",
    ylabel: str = "",
    lang: str = "fa",
    horizontal: bool = False,
    limit: float | None = None,
) -> bytes:
    """A bar chart as PNG bytes; labels and titles may be Persian."""
    fig, ax = _figure(title, lang)
    font = _font()
    positions = range(len(values))
    if horizontal:
        ax.barh(positions, values, color="#2a9d8f")
        _ticks(ax, labels, lang, axis="y")
        if limit:
            ax.set_xlim(0, limit)
    else:
        ax.bar(positions, values, color="#264653")
        _ticks(ax, labels, lang, axis="x")
        if limit:
            ax.set_ylim(0, limit)
    for pos, value in zip(positions, values):
        text = fa_digits(f"{value:g}") if lang == "fa" else f"{value:g}"
        if horizontal:
            ax.text(value, pos, " " + text, va="center", fontfamily=font, fontsize=9)
        else:
            ax.text(pos, value, text, ha="center", va="bottom", fontfamily=font, fontsize=9)
    if all(float(v).is_integer() for v in values):  # counts: whole-number ticks
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(shape(xlabel, lang), fontfamily=font)
    ax.set_ylabel(shape(ylabel, lang), fontfamily=font)
    if lang == "fa":  # Persian digits on the value axis too
        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(FuncFormatter(lambda v, _: fa_digits(f"{v:g}")))
    return _png(fig)
