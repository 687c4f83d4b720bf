"""Cells of a workbook that are never formulas: text a person or a card wrote is data.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and some read a leading tab
or carriage return the same way) as a formula, so a citizen's suggestion `=HYPERLINK(...)` would run
on the admin's computer. Every sheet writes its rows with `row()`: strings become text cells, and a
string that starts like a formula gets a leading apostrophe (the OWASP advice: it stays visible and
inert in every program, also after a copy to CSV). Numbers, dates and None are written as they are."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import Cell, WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A value safe to put in a cell: a formula-like string is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell(ws, value, **style) -> Cell:
    """One cell for `ws.append` (write-only and ordinary sheets alike); a string is always text."""
    c = WriteOnlyCell(ws, value=inert(value))
    if isinstance(value, str):
        c.data_type = "s"
    for name, v in style.items():
        setattr(c, name, v)
    return c


def row(ws, values: Iterable, **style) -> list[Cell]:
    """A row for `ws.append(...)`, every cell made by `cell()`."""
    return [cell(ws, v, **style) for v in values]


def append(ws, values: Iterable, **style) -> None:
    """`ws.append(values)` with every cell made by `cell()`: the way a sheet writes a row."""
    ws.append(row(ws, values, **style))
