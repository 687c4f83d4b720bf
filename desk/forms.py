"""Filling a service's form: the draft (kept in the FSM storage between messages) and moving between
fields. Plain functions over plain data; each field reads its own answers (desk/catalog.py)."""

from __future__ import annotations

import uuid
from typing import Any

from desk.catalog import FileField, ServiceCard
from desk.documents import delete_documents
from models import Document

PROFILE_ATTRS = {"full_name", "national_id", "mobile"}


def new_draft(card: ServiceCard, profile: dict) -> dict:
    draft: dict[str, Any] = {
        "svc": card.code,
        "ver": card.version,
        "token": uuid.uuid4().hex,
        "pos": 0,
        "answers": {},
        "review": False,
    }
    for f in card.form:
        prefill = getattr(f, "prefill", None)
        if prefill in PROFILE_ATTRS and profile.get(prefill):
            draft["answers"][f.name] = profile[prefill]
    draft["pos"] = _skip_prefilled(card, draft, 0, +1)
    return draft


def _prefilled(card: ServiceCard, draft: dict, i: int) -> bool:
    f = card.form[i]
    return getattr(f, "prefill", None) in PROFILE_ATTRS and f.name in draft["answers"]


def _skip_prefilled(card: ServiceCard, draft: dict, i: int, step: int) -> int:
    while 0 <= i < len(card.form) and _prefilled(card, draft, i):
        i += step
    return i


def current(card: ServiceCard, draft: dict):
    pos = draft["pos"]
    return card.form[pos] if 0 <= pos < len(card.form) else None


def first_position(card: ServiceCard, draft: dict) -> int:
    return _skip_prefilled(card, draft, 0, +1)


def advance(card: ServiceCard, draft: dict) -> None:
    """After an answer: back to the review when editing from it, else the next field to ask."""
    if draft["review"]:
        draft["pos"] = len(card.form)
        return
    draft["pos"] = _skip_prefilled(card, draft, draft["pos"] + 1, +1)


def back(card: ServiceCard, draft: dict) -> None:
    pos = _skip_prefilled(card, draft, min(draft["pos"], len(card.form)) - 1, -1)
    draft["pos"] = max(pos, first_position(card, draft)) if pos >= 0 else first_position(card, draft)
    draft["review"] = False


def done(card: ServiceCard, draft: dict) -> bool:
    return draft["pos"] >= len(card.form)


def edit(card: ServiceCard, draft: dict, name: str) -> bool:
    for i, f in enumerate(card.form):
        if f.name == name:
            draft["pos"], draft["review"] = i, True
            return True
    return False


def missing_required(card: ServiceCard, draft: dict) -> list:
    return [f for f in card.form if f.required and draft["answers"].get(f.name) in (None, "", [])]


def answers_for_request(card: ServiceCard, draft: dict) -> list[dict]:
    return [{"name": f.name, "type": f.type, "value": draft["answers"].get(f.name)} for f in card.form]


def document_ids(draft: dict, card: ServiceCard) -> list[int]:
    return [i for f in card.form if isinstance(f, FileField) for i in (draft["answers"].get(f.name) or [])]


async def discard_files(draft: dict, store) -> int:
    """The files a half-filled form uploaded (attached to no request yet): deleted with the draft,
    rows and files on disk."""
    if "svc" not in draft:
        return 0
    ids = [i for v in draft.get("answers", {}).values() if isinstance(v, list) for i in v if isinstance(i, int)]
    return await delete_documents(store, Document.filter(id__in=ids, request=None)) if ids else 0


def given_answers(card: ServiceCard | None, draft: dict) -> int:
    """How many questions the citizen answered themselves (profile prefills not counted)."""
    answers = draft.get("answers") or {}
    prefilled = {f.name for f in card.form if getattr(f, "prefill", None) in PROFILE_ATTRS} if card else set()
    return sum(1 for name, value in answers.items() if name not in prefilled and value not in (None, "", []))
