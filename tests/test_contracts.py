"""The typed contracts between layers: every outbox kind has a renderer, every staff action a rule
(and a prompt for each input it takes), and the layers import only what docs/ARCHITECTURE.md allows."""

import ast
from pathlib import Path

from bot.views.notifications import renderer_for
from bot.views.staff import PROMPTS
from desk.outbox import OutboxKind
from desk.staff import ACTIONS, INPUT_ACTIONS, StaffAction

ROOT = Path(__file__).resolve().parent.parent


def test_every_outbox_kind_has_a_renderer():
    missing = [kind for kind in OutboxKind if renderer_for(kind) is None]
    assert missing == []


def test_every_staff_action_has_a_rule_and_its_inputs_a_prompt():
    assert set(ACTIONS) == set(StaffAction)
    assert {action: len(PROMPTS[action]) for action in INPUT_ACTIONS} == {
        action: len(ACTIONS[action].inputs) for action in INPUT_ACTIONS
    }


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_handler_module_imports_another():
    handlers = sorted((ROOT / "handlers").glob("*.py"))
    names = {f"handlers.{p.stem}" for p in handlers if p.stem != "__init__"}
    assert len(names) > 10
    crossing = {p.stem: sorted(_imports(p) & (names | {"handlers"})) for p in handlers if p.stem != "__init__"}
    assert {k: v for k, v in crossing.items() if v} == {}


def test_desk_imports_no_messenger_and_no_upper_layer():
    bad = {}
    for path in sorted((ROOT / "desk").glob("*.py")):
        found = {
            m for m in _imports(path) if m.split(".")[0] in ("aiogram", "bot", "handlers", "openpyxl", "matplotlib")
        }
        if found:
            bad[path.name] = sorted(found)
    assert bad == {}


def test_no_module_imports_a_feature_if_present():
    users = [
        str(p.relative_to(ROOT))
        for folder in ("bot", "desk", "handlers", "models")
        for p in (ROOT / folder).rglob("*.py")
        if "importlib" in _imports(p)
    ]
    assert users == []


def test_a_request_reads_its_card_snapshot_typed_whatever_schema_wrote_it():
    from desk.catalog import load_catalog, snapshot
    from models import Request

    for card in load_catalog(ROOT / "catalog").services.values():
        typed = Request(card=snapshot(card)).snapshot
        assert typed.title == card.title.model_dump(exclude_none=True)
        assert [s.code for s in typed.stages] == [s.code for s in card.stages]
        assert [(f.name, f.type) for f in typed.form] == [(f.name, f.type) for f in card.form]
        assert typed.show_ids_in_full == card.show_ids_in_full
    # a snapshot written before a key existed, with a key since dropped
    old = Request(
        card={"title": {"fa": "a service"}, "stages": [{"code": "a", "title": {"fa": "stage a"}, "gone": 1}]}
    ).snapshot
    assert old.stage("a").title == {"fa": "stage a"} and old.form == [] and old.show_ids_in_full is False
    assert old.next_stage(None).code == "a" and old.next_stage("a") is None


def test_each_form_field_type_is_its_own_class_that_reads_its_own_answers():
    from datetime import date

    import pytest

    from desk import catalog as c
    from desk.validators import ValidationError

    cards = c.load_catalog(ROOT / "catalog").services.values()
    fields = {f.type: f for card in cards for f in card.form}
    assert {t: type(f) for t, f in fields.items()} == {
        "text": c.TextField,
        "longtext": c.LongTextField,
        "number": c.NumberField,
        "date": c.DateField,
        "national_id": c.NationalIdField,
        "mobile": c.MobileField,
        "postal_code": c.PostalCodeField,
        "choice": c.ChoiceField,
        "multichoice": c.MultiChoiceField,
        "yesno": c.YesNoField,
        "document": c.DocumentField,
        "photo": c.PhotoField,
        "location": c.LocationField,
    }
    today = date(2026, 1, 1)
    choice = fields["choice"]
    assert choice.parse(f" {choice.options[0].label.fa} ", today) == choice.options[0].value
    assert fields["text"].parse("  a name ", today) == "a name"
    for kind in ("yesno", "multichoice", "document", "photo", "location"):
        with pytest.raises(ValidationError) as e:
            fields[kind].parse("anything", today)
        assert e.value.code == "use-buttons"
    assert fields["document"].accept == ["pdf", "jpg", "png"] and fields["photo"].accept == ["jpg", "png"]


def test_no_test_module_imports_another():
    """Shared helpers live in tests/factories.py and fixtures in conftest.py; a test module imports neither
    another test module nor conftest."""
    crossing = {
        p.name: sorted(m for m in _imports(p) if m.startswith(("tests.test_", "tests.conftest")))
        for p in sorted((ROOT / "tests").glob("*.py"))
    }
    assert {k: v for k, v in crossing.items() if v} == {}
