import shutil
import typing
from datetime import date
from pathlib import Path

import pytest

from desk import audit
from desk.catalog import CatalogError, Field, card_hash, check, load_catalog, snapshot
from desk.text import fa_digits

ROOT = Path(__file__).resolve().parent.parent / "catalog"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT)


def test_shipped_catalog_loads(catalog):
    assert check(ROOT) == (True, "catalog OK: 4 services, 4 agencies, 7 units")
    assert len(catalog.services) >= 4
    assert len({card.agency for card in catalog.services.values()}) >= 3
    assert {unit.place for unit in catalog.units.values()} == {"hq", "line"}


def test_forms_together_use_every_field_type(catalog):
    used = {f.type for card in catalog.services.values() for f in card.form}
    assert used == set(typing.get_args(Field.model_fields["type"].annotation))
    assert all(3 <= len(card.form) <= 7 for card in catalog.services.values())
    assert max(len({f.type for f in card.form}) for card in catalog.services.values()) >= 6


def test_every_card_fills_the_information_package(catalog):
    for card in catalog.services.values():
        assert card.stages and card.documents and card.laws and len(card.faq) >= 3, card.code
        assert all(audit.published_items(card).values()), card.code  # §3 of the audit: every item published
        for text in [
            card.title,
            card.description,
            card.complaint,
            card.access_hours,
            card.fee.how,
            card.responsible.unit,
            card.responsible.person,
            *card.laws,
            *card.documents,
            *(s.title for s in card.stages),
            *(q for f in card.faq for q in (f.q, f.a)),
            *(f.label for f in card.form),
            *(o.label for f in card.form for o in f.options),
        ]:
            assert text.fa and text.en, (card.code, text)


def test_seed_card_is_faithful(catalog):
    card = catalog.services["desk-oversight"]
    agency = catalog.agencies[card.agency]
    assert agency.title.en == "Management and Planning Organization of Tehran Province"
    assert agency.parent.en == "Administrative and Recruitment Affairs Organization"
    assert (card.type, card.nature, card.level, card.trigger) == ("G2G", "sovereign", "provincial", "due_date")
    assert (card.volume.count, card.volume.per, card.duration_days, card.visits) == (60, "year", 60, 1)
    assert (card.frequency.times, card.frequency.per, card.fee.amount) == (2, "year", 0)
    assert card.web == "mardom.ir" and len(card.laws) == 6
    assert fa_digits("1538588") in card.laws[1].fa
    assert [s.electronic for s in card.stages] == [True, False, True]
    assert card.stages[0].channel == ["internet", "other"]
    assert len(card.sla.responsibilities) == 8 and card.inquiries == []
    assert catalog.units[card.unit].place == "hq"


def test_search_folds_persian_and_ranks_title_first(catalog):
    permit = catalog.services["building-permit-inquiry"]
    keyword = permit.keywords[0]
    assert catalog.search(keyword)[0] is permit
    arabic = keyword.replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
    assert permit in catalog.search(arabic)
    assert [c.code for c in catalog.search("pension certificate", "en")] == ["pension-certificate"]
    desk = catalog.services["desk-oversight"].title.fa.replace("\u200c", "")  # typed without ZWNJ
    assert catalog.search(desk)[0].code == "desk-oversight"
    assert catalog.search(fa_digits("186"))[0].code == "tax-clearance"
    assert catalog.search("   ") == [] and catalog.search("zzzz") == []
    assert [c.code for c in catalog.by_agency("sso")] == ["pension-certificate"]


def test_field_helpers(catalog):
    card = catalog.services["pension-certificate"]
    today = date(2025, 5, 5)
    assert card.field("birth_date").limits(today) == (date(1921, 3, 21), today)
    assert card.field("contents").limits(today) == (1, None)
    assert card.field("id_card").accept == ["jpg", "png"]
    assert catalog.services["tax-clearance"].field("notes").max_length == 1000
    assert catalog.services["desk-oversight"].field("agency_name").max_length == 150
    assert catalog.services["building-permit-inquiry"].field("renovation_code").type == "text"


def test_snapshot_and_hash(catalog):
    card = catalog.services["tax-clearance"]
    snap = snapshot(card)
    assert snap["code"] == "tax-clearance" and snap["form"][0]["type"] == "national_id"
    assert card_hash(card) == card_hash(load_catalog(ROOT).services["tax-clearance"])
    changed = card.model_copy(update={"version": card.version + 1})
    assert card_hash(changed) != card_hash(card)


CARD = """
code = "x"
version = 1
title = "X"
agency = "inta"
unit = "inta-fars"
description = "d"
type = "G2C"
nature = "sovereign"
level = "national"
trigger = "citizen_request"
laws = ["law"]
volume = { per = "month", count = 1 }
duration_days = 1
frequency = { per = "ever" }
visits = 0
fee = { amount = 0, how = "free" }
responsible = { unit = "u", person = "p" }
access_hours = "h"
complaint = "c"
delivery = "edesk"

[[stages]]
code = "s"
title = "S"
electronic = true
channel = "internet"

[[form]]
name = "a"
type = "text"
label = "A"

[[form]]
name = "b"
type = "choice"
label = "B"
options = [{ value = "y", label = "Y" }]

[[form]]
name = "c"
type = "document"
label = "C"

[[form]]
name = "d"
type = "date"
label = "D"
max = "today"
"""


def broken(tmp_path, old: str, new: str, agencies: tuple[str, str] = ("", "")) -> str:
    root = tmp_path / "catalog"
    (root / "services").mkdir(parents=True)
    text = (ROOT / "agencies.toml").read_text()
    (root / "agencies.toml").write_text(text.replace(*agencies) if agencies[0] else text)
    if old:
        assert old in CARD  # the text to break is there
    (root / "services" / "x.toml").write_text(CARD.replace(old, new) if old else CARD)
    ok, message = check(root)
    assert not ok
    return message


def test_minimal_card_is_valid(tmp_path):
    root = tmp_path / "catalog"
    (root / "services").mkdir(parents=True)
    shutil.copy(ROOT / "agencies.toml", root)
    (root / "services" / "x.toml").write_text(CARD)
    card = load_catalog(root).services["x"]
    assert card.title.get("en") == "X" and card.field("c").accept == ["pdf", "jpg", "png"]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            'options = [{ value = "y", label = "Y" }]',
            "",
            "services/x.toml: form[1].options: required for choice fields",
        ),
        ('name = "b"', 'name = "a"', "services/x.toml: form[1].name: duplicate field name 'a'"),
        ('type = "text"', 'type = "textarea"', "services/x.toml: form[0].type: Input should be 'text'"),
        ('label = "A"', 'lable = "A"', "services/x.toml: form[0].lable: Extra inputs are not permitted"),
        ('label = "A"', 'label = { en = "A" }', "services/x.toml: form[0].label.fa: Field required"),
        ('label = "C"', 'label = "C"\naccept = ["pdf", "exe"]', "services/x.toml: form[2].accept: use kinds among"),
        ('label = "C"', 'label = "C"\nmax_size_mb = 50', "services/x.toml: form[2].max_size_mb: Input should be less"),
        ('max = "today"', 'max = "1404/12/30"', "services/x.toml: form[3].max: use a Jalali date"),
        ('label = "A"', 'label = "A"\nmin = 3', "services/x.toml: form[0].min: not allowed for text fields"),
        ('label = "A"', 'label = "A"\nprefill = "mobile"', "services/x.toml: form[0].prefill: mobile can only fill"),
        ('unit = "inta-fars"', 'unit = "nowhere"', "services/x.toml: unit: unknown unit 'nowhere'"),
        ('unit = "inta-fars"', 'unit = "sso-isfahan-b2"', "services/x.toml: unit: unit 'sso-isfahan-b2' belongs to"),
        ('agency = "inta"', 'agency = "nobody"', "services/x.toml: agency: unknown agency 'nobody'"),
        ('code = "x"', 'code = "y"', "services/x.toml: code: must equal the file name 'x'"),
        (
            'channel = "internet"',
            'channel = "internet"\nreason_not_electronic = "identity_check"',
            "services/x.toml: stages[0].reason_not_electronic: must be none for an electronic stage",
        ),
        ("electronic = true", "electronic = false", "services/x.toml: stages[0].reason_not_electronic: required"),
        ('delivery = "edesk"', 'delivery = "outside"', "services/x.toml: not_edesk_reason: required when delivery"),
        (
            'volume = { per = "month", count = 1 }',
            'volume = { per = "week", count = 1 }',
            "services/x.toml: volume.per: Input should be",
        ),
        ('laws = ["law"]', "laws = []", "services/x.toml: laws: List should have at least 1 item"),
        ('title = "X"', 'title = "X', "services/x.toml: "),  # TOML syntax error names the file
    ],
)
def test_broken_cards_report_file_and_field(tmp_path, old, new, expected):
    assert expected in broken(tmp_path, old, new)


def test_empty_stages_and_agency_problems_are_all_reported(tmp_path):
    card_without_stages = CARD.split("[[stages]]")[0] + "stages = []\n" + "[[form]]" + CARD.split("[[form]]", 1)[1]
    message = broken(
        tmp_path, 'agency = "inta"', 'agency = "inta"', ('agency = "mpo-tehran"\ntitle', 'agency = "mpo"\ntitle')
    )
    assert "agencies.toml: unit[6].agency: unknown agency 'mpo'" in message
    (tmp_path / "catalog" / "services" / "x.toml").write_text(card_without_stages)
    (tmp_path / "catalog" / "services" / "z.toml").write_text(
        CARD.replace('code = "x"', 'code = "z"').replace('type = "G2C"', 'type = "B2B"')
    )
    ok, message = check(tmp_path / "catalog")
    assert not ok
    assert "services/x.toml: stages: List should have at least 1 item" in message
    assert "services/z.toml: type: Input should be 'G2C', 'G2B' or 'G2G'" in message
    assert "agencies.toml: unit[6].agency" in message
    with pytest.raises(CatalogError) as e:
        load_catalog(tmp_path / "catalog")
    assert len(e.value.problems) == 3
