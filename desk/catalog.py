"""Service identity cards (shenasname-ye khedmat) kept as TOML data under catalog/.

catalog/agencies.toml holds [[agency]] and [[unit]] tables; catalog/services/<code>.toml holds one
card each. load_catalog() validates everything and reports every problem with its file and field path.
"""

import hashlib
import json
import re
import tomllib
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, StringConstraints, model_validator
from pydantic import Field as Spec
from pydantic import ValidationError as SchemaError

from desk.documents import IMAGE_KINDS, KINDS, MAX_SIZE_MB
from desk.text import normalize_text
from desk.validators import (
    ValidationError,
    jalali_date,
    long_text,
    mobile,
    national_id,
    number,
    postal_code,
    short_text,
)

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]

FieldType = Literal[
    "text", "longtext", "number", "date", "national_id", "mobile", "postal_code",
    "choice", "multichoice", "yesno", "document", "photo", "location",
]  # fmt: skip
DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 2000}
DEFAULT_ACCEPT = {"document": ["pdf", "jpg", "png"], "photo": ["jpg", "png"]}
PREFILL_TYPES = {"full_name": "text", "national_id": "national_id", "mobile": "mobile"}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A bilingual text: {fa = "...", en = "..."}; a bare string is taken as fa."""

    fa: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_string(cls, value: Any) -> Any:
        return {"fa": value} if isinstance(value, str) else value

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.fa


class Agency(Model):
    code: Code
    title: Text
    parent: Text | None = None  # the parent agency (dastgah-e madar)


class Unit(Model):
    code: Code
    agency: Code
    title: Text
    place: Literal["hq", "line"]  # headquarters (setad) / line unit (saf)
    province: Text
    city: Text


class Option(Model):
    value: Ident
    label: Text


class Field(Model):
    """What every form field has. A card's fields are one of the classes below (`FormField`, told
    apart by `type`), each with its own defaults and its own way to read a typed answer. The
    attributes of other types are accepted here only to be reported as misplaced (_field_problems)."""

    name: Ident
    type: FieldType
    label: Text
    help: Text | None = None
    required: bool = True
    max_length: int | None = Spec(None, gt=0)  # text, longtext
    min: int | float | str | None = None  # number: value; date: "1300/01/01" or "today[+-N]"; multichoice: count
    max: int | float | str | None = None
    options: list[Option] = []  # choice, multichoice
    accept: list[str] | None = None  # document, photo
    max_size_mb: float = Spec(MAX_SIZE_MB, gt=0, le=MAX_SIZE_MB)
    max_files: int = Spec(1, ge=1, le=10)
    # the citizen's profile attribute that answers this field; a known answer is not asked again
    prefill: Literal["full_name", "national_id", "mobile"] | None = None

    def limits(self, today: date) -> tuple[Any, Any]:
        """min and max ready for desk.validators."""
        return self.min, self.max

    def parse(self, text: str, today: date) -> Any:
        """The answer typed as text, normalised; raises ValidationError (a field answered with a
        button, a file or a shared location asks for that instead)."""
        raise ValidationError("use-buttons")


class TextField(Field):
    type: Literal["text"]
    max_length: int = Spec(DEFAULT_MAX_LENGTH["text"], gt=0)

    def parse(self, text: str, today: date) -> str:
        return short_text(text, self.max_length)


class LongTextField(Field):
    type: Literal["longtext"]
    max_length: int = Spec(DEFAULT_MAX_LENGTH["longtext"], gt=0)

    def parse(self, text: str, today: date) -> str:
        return long_text(text, self.max_length)


class NumberField(Field):
    type: Literal["number"]

    def parse(self, text: str, today: date) -> int | float:
        low, high = self.limits(today)
        return number(text, min=low, max=high)


class DateField(Field):
    type: Literal["date"]

    def limits(self, today: date) -> tuple[Any, Any]:
        """Date limits resolved against today."""
        lo, hi = (None if v is None else _date_limit(str(v), today) for v in (self.min, self.max))
        return lo, hi

    def parse(self, text: str, today: date) -> str:
        low, high = self.limits(today)
        return jalali_date(text, min=low, max=high).isoformat()


class NationalIdField(Field):
    type: Literal["national_id"]

    def parse(self, text: str, today: date) -> str:
        return national_id(text)


class MobileField(Field):
    """Typed, or shared with the messenger's contact button."""

    type: Literal["mobile"]

    def parse(self, text: str, today: date) -> str:
        return mobile(text)


class PostalCodeField(Field):
    type: Literal["postal_code"]

    def parse(self, text: str, today: date) -> str:
        return postal_code(text)


class ChoiceField(Field):
    """One option, by its button (or typed: its value or label)."""

    type: Literal["choice"]

    def parse(self, text: str, today: date) -> str:
        typed = text.strip()
        for o in self.options:
            if typed in (o.value, o.label.get("fa"), o.label.get("en")):
                return o.value
        raise ValidationError("use-buttons")


class MultiChoiceField(Field):
    """Options toggled by their buttons, then "done"."""

    type: Literal["multichoice"]

    def limits(self, today: date) -> tuple[Any, Any]:
        """How many options may be chosen (at least one when required)."""
        return (int(self.min) if self.min is not None else int(self.required)), (
            int(self.max) if self.max is not None else None
        )


class YesNoField(Field):
    type: Literal["yesno"]


class FileField(Field):
    """Files sent in the chat (up to max_files), then "done"."""


class DocumentField(FileField):
    type: Literal["document"]
    accept: list[str] | None = DEFAULT_ACCEPT["document"]


class PhotoField(FileField):
    type: Literal["photo"]
    accept: list[str] | None = DEFAULT_ACCEPT["photo"]


class LocationField(Field):
    """Shared with the messenger's location button."""

    type: Literal["location"]


FormField = Annotated[
    TextField | LongTextField | NumberField | DateField | NationalIdField | MobileField | PostalCodeField
    | ChoiceField | MultiChoiceField | YesNoField | DocumentField | PhotoField | LocationField,
    Discriminator("type"),
]  # fmt: skip


class Stage(Model):
    code: Code
    title: Text
    electronic: bool
    channel: list[Literal["internet", "email", "ivr", "sms", "other", "none"]]
    reason_not_electronic: Literal["identity_check", "authenticity_check", "no_infrastructure", "other", "none"] = (
        "none"
    )
    note: Text | None = None  # what "other" means, or how the stage is done

    @model_validator(mode="before")
    @classmethod
    def _single_channel(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("channel"), str):
            value = {**value, "channel": [value["channel"]]}
        return value


class Volume(Model):
    per: Literal["month", "season", "year"]
    count: int = Spec(ge=0)


class Frequency(Model):
    times: int = Spec(1, ge=1)
    per: Literal["ever", "month", "season", "year"]  # "ever" = once for good


class Fee(Model):
    amount: int = Spec(ge=0)  # rials
    how: Text
    account: str | None = None  # the bank account it is paid into
    epayment: bool = False
    title: Text | None = None  # what it is for, when a service has several fees
    # paid in the chat (when the bot has a payment provider token): "submit" (before the form is
    # submitted) or the code of the stage at which the citizen is asked to pay; None: not in the chat
    pay_at: Code | None = None


class Responsible(Model):
    unit: Text
    person: Text


class Faq(Model):
    q: Text
    a: Text


class Sla(Model):
    """Service level agreement terms beyond the card."""

    purpose: Text | None = None
    responsibilities: list[Text] = []
    obligations: Text | None = None
    period: Text | None = None
    termination: Text | None = None


class ServiceCard(Model):
    code: Code  # our stable key; equals the file name
    registry_id: str | None = None  # the service ID in the national service registry, once assigned
    version: int = Spec(ge=1)
    title: Text
    keywords: list[str] = []
    agency: Code
    unit: Code  # responsible unit
    description: Text
    type: Literal["G2C", "G2B", "G2G"]
    nature: Literal["sovereign", "enterprise"]
    level: Literal["national", "regional", "provincial", "urban", "rural"]
    trigger: Literal["citizen_request", "due_date", "agency_detection", "other"]
    event: Text | None = None  # the related event
    laws: list[Text] = Spec(min_length=1)
    volume: Volume
    duration_days: int = Spec(ge=0)  # working days; 0 = immediate
    frequency: Frequency
    visits: int = Spec(ge=0)
    visits_note: Text | None = None
    fee: Fee
    other_fees: list[Fee] = []  # a service with several fees and accounts
    web: str | None = None  # the service's information page
    phone: str | None = None  # the phone line that informs about it (appendix 2 §3)
    call_center: str | None = None  # an IVR or call centre number, if any
    system_name: Text | None = None
    responsible: Responsible
    access_hours: Text
    complaint: Text
    inquiries: list[Text] = []  # inter-agency inquiries (estelam) the agency makes itself
    delivery: Literal["in_person", "edesk", "both", "outside"]
    not_edesk_reason: Text | None = None
    signboard: bool = False  # guide signs about it stand at the in-person desk (declared by the agency)
    stages: list[Stage] = Spec(min_length=1)
    documents: list[Text] = []
    faq: list[Faq] = []
    form: list[FormField] = Spec(min_length=1)
    sla: Sla | None = None
    # the unit needs citizens' national IDs and mobile numbers in full on its cards (else they are masked)
    show_ids_in_full: bool = False

    def field(self, name: str) -> FormField:
        return next(f for f in self.form if f.name == name)


class CatalogError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    services: dict[str, ServiceCard]
    agencies: dict[str, Agency]
    units: dict[str, Unit]

    def by_agency(self, code: str) -> list[ServiceCard]:
        return [card for card in self.services.values() if card.agency == code]

    def search(self, query: str, lang: str = "fa") -> list[ServiceCard]:
        """Cards matching every word of the query in their title (best), keywords or description,
        in either language; Arabic/Persian letter forms and digits are folded."""
        words = normalize_text(query).split()
        if not words:
            return []
        scored = []
        for card in self.services.values():
            weighted = [
                (3, normalize_text(" ".join([card.code, card.title.fa, card.title.en or ""]))),
                (2, normalize_text(" ".join(card.keywords))),
                (1, normalize_text(f"{card.description.fa} {card.description.en or ''}")),
            ]
            scores = [max((w for w, text in weighted if word in text), default=0) for word in words]
            compact = "".join(words)
            if all(scores):
                scored.append((-sum(scores), card.title.get(lang), card))
            elif any(compact in text.replace(" ", "") for _, text in weighted):
                scored.append((0, card.title.get(lang), card))
        return [card for *_, card in sorted(scored, key=lambda t: t[:2])]


def snapshot(card: ServiceCard) -> dict:
    """JSON-able copy of a card, stored with a request so later edits do not rewrite history."""
    return card.model_dump(mode="json", exclude_none=True)


def card_hash(card: ServiceCard) -> str:
    data = json.dumps(snapshot(card), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def _date_limit(value: str, today: date) -> date:
    m = re.fullmatch(r"today\s*(?:([+-])\s*(\d+))?", value.strip())
    if m:
        days = int(m.group(2) or 0)
        return today + timedelta(days=-days if m.group(1) == "-" else days)
    return jalali_date(value)


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


FIELD_TYPES = frozenset(typing.get_args(FieldType))


def _schema_problems(file: Path, error: SchemaError, prefix: tuple = ()) -> list[str]:
    problems = []
    for e in error.errors():
        loc, msg = list(prefix + tuple(e["loc"])), e["msg"]
        # a form field's errors are told by its index, not by the class its type chose (form[0].label)
        loc = [p for i, p in enumerate(loc) if not (p in FIELD_TYPES and i and isinstance(loc[i - 1], int))]
        if e["type"] == "union_tag_invalid":  # an unknown field type: said as for any other choice
            loc.append("type")
            expected = e["ctx"]["expected_tags"].rsplit(", ", 1)
            msg = "Input should be " + " or ".join(expected)
        elif e["type"] == "union_tag_not_found":
            loc.append("type")
            msg = "Field required"
        where = _path(tuple(loc))
        problems.append(f"{file}: {where}: {msg}" if where else f"{file}: {msg}")
    return problems


def _field_problems(f: Field) -> list[tuple[str, str]]:
    out = []
    choices = f.type in ("choice", "multichoice")
    if choices and not f.options:
        out.append(("options", f"required for {f.type} fields"))
    if not choices and f.options:
        out.append(("options", f"not allowed for {f.type} fields"))
    values = [o.value for o in f.options]
    if len(set(values)) != len(values):
        out.append(("options", "duplicate option values"))
    if f.max_length is not None and f.type not in DEFAULT_MAX_LENGTH:
        out.append(("max_length", f"not allowed for {f.type} fields"))
    if f.prefill is not None and PREFILL_TYPES[f.prefill] != f.type:
        out.append(("prefill", f"{f.prefill} can only fill a {PREFILL_TYPES[f.prefill]} field"))
    if f.accept is not None:
        allowed = IMAGE_KINDS if f.type == "photo" else KINDS
        if f.type not in DEFAULT_ACCEPT:
            out.append(("accept", f"not allowed for {f.type} fields"))
        elif not f.accept or set(f.accept) - allowed:
            out.append(("accept", f"use kinds among {', '.join(sorted(allowed))}"))
    for key in ("min", "max"):
        bound = getattr(f, key)
        if bound is None:
            continue
        if f.type == "date":
            try:
                _date_limit(str(bound), date.today())
            except ValidationError:
                out.append((key, 'use a Jalali date "1300/01/01" or "today", "today+30", "today-365"'))
        elif f.type in ("number", "multichoice"):
            if isinstance(bound, str) or (f.type == "multichoice" and not float(bound).is_integer()):
                out.append((key, "must be a number" if f.type == "number" else "must be a whole count"))
        else:
            out.append((key, f"not allowed for {f.type} fields"))
    if f.type in ("number", "multichoice") and not {p for p, _ in out} & {"min", "max"}:
        if f.min is not None and f.max is not None and float(f.min) > float(f.max):
            out.append(("max", "smaller than min"))
        if f.type == "multichoice" and f.max is not None and float(f.max) > len(f.options):
            out.append(("max", "more than the number of options"))
    return out


def _card_problems(card: ServiceCard, stem: str, agencies: dict, units: dict) -> list[tuple[str, str]]:
    out = []
    if card.code != stem:
        out.append(("code", f"must equal the file name {stem!r}"))
    if card.agency not in agencies:
        out.append(("agency", f"unknown agency {card.agency!r}"))
    unit = units.get(card.unit)
    if unit is None:
        out.append(("unit", f"unknown unit {card.unit!r}"))
    elif unit.agency != card.agency:
        out.append(("unit", f"unit {card.unit!r} belongs to agency {unit.agency!r}, not {card.agency!r}"))
    if card.delivery in ("in_person", "outside") and card.not_edesk_reason is None:
        out.append(("not_edesk_reason", f"required when delivery is {card.delivery}"))
    for i, stage in enumerate(card.stages):
        electronic_channels = [c for c in stage.channel if c != "none"]
        if stage.electronic and not electronic_channels:
            out.append((f"stages[{i}].channel", "an electronic stage needs a channel"))
        if stage.electronic and stage.reason_not_electronic != "none":
            out.append((f"stages[{i}].reason_not_electronic", "must be none for an electronic stage"))
        if not stage.electronic and stage.reason_not_electronic == "none":
            out.append((f"stages[{i}].reason_not_electronic", "required for a stage that is not electronic"))
        if not stage.electronic and electronic_channels:
            out.append((f"stages[{i}].channel", "must be none for a stage that is not electronic"))
    codes = [s.code for s in card.stages]
    if len(set(codes)) != len(codes):
        out.append(("stages", "duplicate stage codes"))
    for where, fee in [("fee", card.fee), *((f"other_fees[{i}]", f) for i, f in enumerate(card.other_fees))]:
        if fee.pay_at is None:
            continue
        if not fee.epayment or fee.amount <= 0:
            out.append((f"{where}.pay_at", "only for a fee paid electronically (epayment = true) with an amount"))
        elif fee.pay_at != "submit" and fee.pay_at not in codes[1:]:
            out.append((f"{where}.pay_at", 'use "submit" or the code of a stage after the first'))
    seen: set[str] = set()
    for i, f in enumerate(card.form):
        if f.name in seen:
            out.append((f"form[{i}].name", f"duplicate field name {f.name!r}"))
        seen.add(f.name)
        out += [(f"form[{i}].{key}", msg) for key, msg in _field_problems(f)]
    return out


def _read(file: Path, problems: list[str]) -> dict | None:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(f"{file}: file not found")
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{file}: {e}")
    return None


def _load_list(file: Path, data: dict, key: str, model: type[Model], problems: list[str]) -> dict[str, Any]:
    items: dict[str, Any] = {}
    for i, raw in enumerate(data.get(key, [])):
        try:
            item: Any = model.model_validate(raw)
        except SchemaError as e:
            problems += _schema_problems(file, e, (key, i))
            continue
        if item.code in items:
            problems.append(f"{file}: {key}[{i}].code: duplicate code {item.code!r}")
        items[item.code] = item
    return items


def load_catalog(root: Path | str = "catalog") -> Catalog:
    root = Path(root)
    problems: list[str] = []
    agencies: dict[str, Agency] = {}
    units: dict[str, Unit] = {}
    file = root / "agencies.toml"
    data = _read(file, problems)
    if data is not None:
        for key in sorted(set(data) - {"agency", "unit"}):
            problems.append(f"{file}: {key}: unknown table (use [[agency]] and [[unit]])")
        agencies = _load_list(file, data, "agency", Agency, problems)
        units = _load_list(file, data, "unit", Unit, problems)
        for i, unit in enumerate(data.get("unit", [])):
            if isinstance(unit, dict) and unit.get("agency") not in agencies:
                problems.append(f"{file}: unit[{i}].agency: unknown agency {unit.get('agency')!r}")
    services: dict[str, ServiceCard] = {}
    files = sorted((root / "services").glob("*.toml"))
    if not files:
        problems.append(f"{root / 'services'}: no service cards")
    for file in files:
        data = _read(file, problems)
        if data is None:
            continue
        try:
            card = ServiceCard.model_validate(data)
        except SchemaError as e:
            problems += _schema_problems(file, e)
            continue
        problems += [f"{file}: {where}: {msg}" for where, msg in _card_problems(card, file.stem, agencies, units)]
        services[card.code] = card
    if problems:
        raise CatalogError(problems)
    return Catalog(services, agencies, units)


def check(root: Path | str = "catalog") -> tuple[bool, str]:
    """For `python -m bot catalog check`: (ok, a summary or the list of problems)."""
    try:
        catalog = load_catalog(root)
    except CatalogError as e:
        return False, f"{len(e.problems)} problem(s) in the catalog:\n{e}"
    return True, (
        f"catalog OK: {len(catalog.services)} services, {len(catalog.agencies)} agencies, {len(catalog.units)} units"
    )
