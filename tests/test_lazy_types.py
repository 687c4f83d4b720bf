"""aiogram's types built on first use (bot/lazy_types.py) read updates as aiogram's eager build does,
and every one of them can still be built."""

from __future__ import annotations

import json
import subprocess
import sys

import aiogram.methods
import aiogram.types
from aiogram.types import Update
from pydantic import BaseModel

from bot import lazy_types
from bot.config import ROOT

USER = {"id": 7, "is_bot": False, "first_name": "Ali \u202eevil", "language_code": "fa"}
PRIVATE = {"id": 7, "type": "private", "first_name": "Ali"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Unit", "is_forum": True}
UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "date": 1700000000,
            "chat": PRIVATE,
            "from": USER,
            "text": "/start x",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    },
    {
        "update_id": 2,
        "message": {
            "message_id": 6,
            "date": 1700000001,
            "chat": PRIVATE,
            "from": USER,
            "document": {"file_id": "f1", "file_unique_id": "u1", "file_name": "a.pdf", "file_size": 10},
            "caption": "doc",
        },
    },
    {
        "update_id": 3,
        "message": {
            "message_id": 7,
            "date": 1700000002,
            "chat": PRIVATE,
            "from": USER,
            "photo": [{"file_id": "p1", "file_unique_id": "q1", "width": 90, "height": 90}],
            "reply_to_message": {"message_id": 4, "date": 1700000000, "chat": PRIVATE, "text": "question"},
        },
    },
    {
        "update_id": 4,
        "callback_query": {
            "id": "cb1",
            "from": USER,
            "chat_instance": "ci",
            "data": "st:accept:12",
            "message": {
                "message_id": 8,
                "date": 1700000003,
                "chat": GROUP,
                "text": "card",
                "reply_markup": {"inline_keyboard": [[{"text": "OK", "callback_data": "st:accept:12"}]]},
            },
        },
    },
    {
        "update_id": 5,
        "my_chat_member": {
            "chat": GROUP,
            "from": USER,
            "date": 1700000004,
            "old_chat_member": {"status": "member", "user": USER},
            "new_chat_member": {"status": "left", "user": USER},
        },
    },
    {
        "update_id": 6,
        "message": {
            "message_id": 9,
            "date": 1700000005,
            "chat": {"id": -5, "type": "group", "title": "Old"},
            "from": USER,
            "migrate_to_chat_id": -1005,
        },
    },
    {
        "update_id": 7,
        "edited_message": {
            "message_id": 10,
            "date": 1700000006,
            "edit_date": 1700000007,
            "chat": PRIVATE,
            "from": USER,
            "location": {"latitude": 35.7, "longitude": 51.4},
        },
    },
]


def test_this_process_builds_aiogram_types_on_first_use():
    # the pinned aiogram and pydantic allow it; an upgrade that does not would silently start slower
    assert lazy_types.LAZY is True


def test_updates_read_the_same_as_sent():
    for raw in UPDATES:
        update = Update.model_validate(raw)
        assert update.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=True) == raw


def test_every_type_and_method_can_be_built():
    models = [
        getattr(module, name)
        for module in (aiogram.types, aiogram.methods)
        for name in module.__all__
        if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), BaseModel)
    ]
    assert len(models) > 500
    for model in models:
        if not model.__pydantic_complete__:
            model.model_rebuild()
        assert model.__pydantic_complete__, model.__name__


# a process as `python -m bot run` starts one: what it imports and builds before its first answer
FRESH_START = """
import json, sys
import bot.delivery.outbox_sender, bot.jobs, bot.runner, handlers
from aiogram.types import Message, Update
from pydantic import BaseModel
from bot import lazy_types
built_at_import = [
    m.__name__ for m in lazy_types._aiogram_models(BaseModel)
    if m.__module__.startswith(("aiogram.types", "aiogram.methods")) and m.__pydantic_complete__
]
lazy_types.build_for(list[Update])
print(json.dumps({
    "built_at_import": built_at_import,
    "config_left_as_it_was": BaseModel.model_config == {},
    "built_for_updates": [Message.__pydantic_complete__, Update.__pydantic_complete__],
    "imported": sorted(m for m in ("openpyxl", "matplotlib", "numpy", "holidays") if m in sys.modules),
}))
"""


def test_a_bot_process_starts_without_building_types_or_importing_report_libraries():
    out = subprocess.run([sys.executable, "-c", FRESH_START], cwd=ROOT, capture_output=True, text=True, check=True)
    fresh = json.loads(out.stdout)
    assert fresh["built_at_import"] == []  # every Bot API type and method, TelegramMethod[...] included
    assert fresh["config_left_as_it_was"]  # pydantic's default configuration is back for other models
    assert fresh["built_for_updates"] == [True, True]  # Message on its own, then Update reusing it
    assert fresh["imported"] == []  # reports, charts and the holiday library wait until needed
