"""A request's service card as it was when submitted (`Request.card`, JSON), read typed:
`request.snapshot.title`, `.stages`, `.form`... Lenient on purpose: a snapshot written by an older
catalogue schema still reads (unknown keys are ignored, missing ones take their defaults); the
catalogue itself is validated strictly when it is loaded (desk/catalog.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

Text = dict[str, str]  # {"fa": ..., "en": ...}, as the catalogue's bilingual texts are stored


class _Snapshot(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class StageSnapshot(_Snapshot):
    code: str
    title: Text = {}


class OptionSnapshot(_Snapshot):
    value: str
    label: Text = {}


class FieldSnapshot(_Snapshot):
    name: str
    type: str = "text"
    label: Text | str = {}
    options: list[OptionSnapshot] = []


class CardSnapshot(_Snapshot):
    code: str = ""
    title: Text = {}
    stages: list[StageSnapshot] = []
    form: list[FieldSnapshot] = []
    show_ids_in_full: bool = False

    def stage(self, code: str | None) -> StageSnapshot | None:
        return next((s for s in self.stages if s.code == code), None)

    def field(self, name: str) -> FieldSnapshot | None:
        return next((f for f in self.form if f.name == name), None)

    def next_stage(self, code: str | None) -> StageSnapshot | None:
        """The stage after `code` (the first when `code` is not one of them), None after the last."""
        codes = [s.code for s in self.stages]
        i = codes.index(code) if code in codes else -1
        return self.stages[i + 1] if i + 1 < len(self.stages) else None
